//! The bundle and pages as a browser receives them: a content-hashed bundle file is cached
//! for a year and sent precompressed (brotli or gzip, as the browser accepts), a file
//! without a hash is revalidated, pages are compressed as they are sent (and never cached),
//! except the fetched mail, which is never compressed (BREACH).

use std::time::Duration;

use axum::body::Body;
use axum::Router;
use http::{header, Request, StatusCode};
use rules::access::Role;
use sea_orm::DatabaseConnection;

use crate::support::{
    run_on, send_full, session_as, test_state, with_session, Backend, FullAnswer,
};

const HASHED: &str = "mailboxen.AbCdEfGhIjKlMnOpQrSt_-.js";

/// A site directory with one hashed bundle file (and its precompressed variants) and one
/// file without a hash.
fn site() -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!(
        "mailboxen-site-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).expect("site dir");
    std::fs::write(pkg.join(HASHED), "console.log('plain');").expect("file");
    std::fs::write(pkg.join(format!("{HASHED}.br")), "brotli bytes").expect("file");
    std::fs::write(pkg.join(format!("{HASHED}.gz")), "gzip bytes").expect("file");
    std::fs::write(pkg.join("mailboxen.css"), "body { margin: 0 }").expect("file");
    root
}

fn served(db: DatabaseConnection, site: &std::path::Path) -> Router {
    let root = site.display().to_string();
    let config = server::config::Config::from_lookup(|name| match name {
        "APP_ENV" => Some("test".to_string()),
        "LEPTOS_SITE_ROOT" => Some(root.clone()),
        _ => None,
    })
    .expect("config");
    let router = server::router(test_state(db), server::leptos_options(&config));
    server::service(
        router,
        &server::Serving {
            request_timeout: Duration::from_secs(30),
            trusted_proxies: Default::default(),
        },
    )
}

async fn fetch(router: &Router, path: &str, accept_encoding: Option<&str>) -> FullAnswer {
    let mut request = Request::get(path);
    if let Some(accepted) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, accepted);
    }
    send_full(router, request.body(Body::empty()).expect("request")).await
}

async fn bundle_files_are_cached_and_precompressed(db: DatabaseConnection) {
    let site = site();
    let router = served(db, &site);
    let path = format!("/pkg/{HASHED}");

    let brotli = fetch(&router, &path, Some("gzip, deflate, br")).await;
    assert_eq!(brotli.status, StatusCode::OK);
    assert_eq!(brotli.header("content-encoding"), "br");
    assert_eq!(brotli.body, "brotli bytes");
    assert_eq!(
        brotli.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    let gzip = fetch(&router, &path, Some("gzip")).await;
    assert_eq!(
        (gzip.header("content-encoding"), gzip.body.as_str()),
        ("gzip", "gzip bytes")
    );
    let plain = fetch(&router, &path, None).await;
    assert_eq!(
        (plain.header("content-encoding"), plain.body.as_str()),
        ("", "console.log('plain');")
    );

    let unhashed = fetch(&router, "/pkg/mailboxen.css", None).await;
    assert_eq!(unhashed.status, StatusCode::OK);
    assert_eq!(unhashed.header("cache-control"), "no-cache");
    let missing = fetch(&router, "/pkg/mailboxen.ontbreekt.js", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.header("cache-control"), "");
    let _ = std::fs::remove_dir_all(&site);
}

async fn pages_are_compressed_and_not_cached_but_mail_is_never_compressed(db: DatabaseConnection) {
    let site = site();
    let token = session_as(&db, Role::Beheerder).await;
    let router = with_session(served(db, &site), &token);

    let page = fetch(&router, "/instellingen/mailboxen", Some("gzip")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("content-type").starts_with("text/html"));
    assert_eq!(page.header("content-encoding"), "gzip");
    // Private pages never come back from a cache (the access edge).
    assert_eq!(page.header("cache-control"), "no-store");

    let mail = fetch(
        &router,
        "/instellingen/mailboxen/1/berichten",
        Some("gzip, br"),
    )
    .await;
    assert!(
        mail.header("content-type").starts_with("text/html"),
        "{}",
        mail.status
    );
    assert!(mail.body.len() > 100, "a page worth compressing");
    assert_eq!(
        mail.header("content-encoding"),
        "",
        "mail is sent uncompressed"
    );
    let _ = std::fs::remove_dir_all(&site);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bundle_files() {
    run_on(Backend::Sqlite, bundle_files_are_cached_and_precompressed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages() {
    run_on(
        Backend::Sqlite,
        pages_are_compressed_and_not_cached_but_mail_is_never_compressed,
    )
    .await;
}
