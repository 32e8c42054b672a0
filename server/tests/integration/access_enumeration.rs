//! Every server function and every page, found at run time, against every role: anonymous
//! → 401 or a redirect to /inloggen, `lezer` → 403 on what changes, `beheerder` → allowed.
//! A server function missing from `rules::access::SERVER_FUNCTIONS` fails this test.

use axum::body::Body;
use axum::Router;
use http::{Request, StatusCode};
use rules::access::{
    page_access, server_function_access, Access, Role, SERVER_FUNCTIONS, SIGN_IN_PATH,
};
use sea_orm::DatabaseConnection;

use crate::mailbox_form_fixtures::{create, imap_smtp_fields, microsoft_fields};
use crate::on_every_database;
use crate::support::{anonymous_router, post, router_as, send_full, Fields, Poster};

/// Arguments that make each known server function do real work; others get none.
fn sample_arguments(path: &str, kept: i32, deletable: i32) -> Fields {
    match path {
        "/api/get_mailbox_form" => Fields::default().set("segment", &kept.to_string()),
        "/api/list_audit_log" => Fields::default().set("id", &kept.to_string()),
        "/api/delete_mailbox" => Fields::default().set("id", &deletable.to_string()),
        "/api/save_mailbox" => microsoft_fields().set("name", "Nieuw via test"),
        "/api/start_microsoft_login" => Fields::default()
            .set("id", &kept.to_string())
            .set("prompt", "select_account"),
        "/api/grant_admin_consent" => Fields::default().set("id", &kept.to_string()),
        "/api/test_app_registration" => Fields::default().set("id", &kept.to_string()),
        "/api/list_connection_history" => Fields::default().set("id", &kept.to_string()),
        "/api/list_mail_messages" => Fields::default().set("mailbox_id", &kept.to_string()),
        "/api/get_mail_message" => Fields::default()
            .set("mailbox_id", &kept.to_string())
            .set("message_id", "1"),
        "/api/get_mail_status" => Fields::default().set("id", &kept.to_string()),
        "/api/fetch_mail_now" => Fields::default().set("id", &kept.to_string()),
        "/api/send_test_mail" => Fields::default().set("id", &kept.to_string()),
        // Its own method again: the mailboxes after it stay as they are.
        "/api/switch_connection_method" => Fields::default()
            .set("id", &kept.to_string())
            .set("method", "delegated"),
        // A Microsoft Api mailbox already: answered as not applicable, nothing changes.
        "/api/switch_to_microsoft_api" => Fields::default().set("id", &kept.to_string()),
        // No such credential or registration: answered as not found, nothing changes.
        "/api/check_app_credential"
        | "/api/use_app_credential"
        | "/api/remove_app_credential"
        | "/api/delete_app_registration" => Fields::default().set("id", "999999"),
        // No such setup: answered as not found, nothing changes; an empty tenant is
        // refused before anything is asked of Microsoft.
        "/api/get_setup"
        | "/api/setup_consent"
        | "/api/setup_skip_consent"
        | "/api/setup_mailboxes" => Fields::default().set("id", "999999"),
        "/api/setup_app" => Fields::default()
            .set("id", "999999")
            .set("client_id", "80aef83a-368f-4a54-a387-8c794cf71106"),
        "/api/setup_scope" => Fields::default()
            .set("id", "999999")
            .set("addresses", "info@example.org"),
        "/api/rename_app_registration" => Fields::default()
            .set("id", "999999")
            .set("version", "1")
            .set("display_name", "Niet bestaand"),
        "/api/make_app_certificate" => Fields::default().set("registration_id", "999999"),
        "/api/add_app_secret" => Fields::default()
            .set("registration_id", "999999")
            .set("value", "abc8Q~geen-geheim-van-deze-app-000000000")
            .set("expires_on", "2026-01-01"),
        "/api/set_credential_expiry" => Fields::default().set("id", "999999").set(
            "expires_on",
            &(chrono::Utc::now() + chrono::Duration::days(60))
                .format("%Y-%m-%d")
                .to_string(),
        ),
        _ => Fields::default(),
    }
}

async fn call(router: &Router, path: &str, fields: &Fields) -> (StatusCode, String) {
    let name = path.trim_start_matches("/api/");
    let answer = post(router, name, fields, Poster::Script, "/").await;
    (answer.status, answer.body)
}

async fn every_server_function_requires_its_role(db: DatabaseConnection) {
    let anonymous = anonymous_router(db.clone());
    let lezer = router_as(db.clone(), Role::Lezer).await;
    let postlezer = router_as(db.clone(), Role::Postlezer).await;
    let beheerder = router_as(db.clone(), Role::Beheerder).await;
    let kept = create(&beheerder, &microsoft_fields()).await;
    let deletable = create(&beheerder, &imap_smtp_fields()).await;

    let registered: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    assert!(
        registered.len() >= 7,
        "server functions found: {registered:?}"
    );
    for path in &registered {
        let access = server_function_access(path).unwrap_or_else(|| {
            panic!("{path} is not classified in rules::access::SERVER_FUNCTIONS")
        });
        let fields = sample_arguments(path, kept, deletable);
        let (status, body) = call(&anonymous, path, &fields).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "anonymous {path}: {body}");
        assert!(body.contains("niet ingelogd"), "Dutch message: {body}");

        let (status, body) = call(&lezer, path, &fields).await;
        match access {
            Access::Change => {
                assert_eq!(status, StatusCode::FORBIDDEN, "lezer {path}: {body}");
                assert!(body.contains("Alleen een beheerder"), "{body}");
            }
            Access::ReadMail => {
                assert_eq!(status, StatusCode::FORBIDDEN, "lezer {path}: {body}");
                assert!(body.contains("geen opgehaalde berichten"), "{body}");
            }
            Access::Read => assert_eq!(status, StatusCode::OK, "lezer {path}: {body}"),
        }
        let (status, body) = call(&postlezer, path, &fields).await;
        match access {
            Access::Change => {
                assert_eq!(status, StatusCode::FORBIDDEN, "postlezer {path}: {body}");
                assert!(body.contains("Alleen een beheerder"), "{body}");
            }
            Access::Read | Access::ReadMail => {
                assert_eq!(status, StatusCode::OK, "postlezer {path}: {body}")
            }
        }
        let (status, body) = call(&beheerder, path, &fields).await;
        assert_eq!(status, StatusCode::OK, "beheerder {path}: {body}");
    }
    for (known, _) in SERVER_FUNCTIONS {
        assert!(
            registered.contains(known),
            "{known} is classified but does not exist"
        );
    }
}

async fn every_page_requires_a_session(db: DatabaseConnection) {
    let anonymous = anonymous_router(db.clone());
    let lezer = router_as(db.clone(), Role::Lezer).await;
    let postlezer = router_as(db.clone(), Role::Postlezer).await;
    let beheerder = router_as(db.clone(), Role::Beheerder).await;
    let id = create(&beheerder, &microsoft_fields()).await;
    let message_id = crate::mail_views::insert_message(&db, id, "Hallo", 1).await;
    let get = |path: &str| Request::get(path).body(Body::empty()).expect("request");
    let checks = rules::setup::SetupChecks::default();
    let now = chrono::Utc::now();
    let setup = backend::setup::store::create(&db, "contoso.nl", None, &checks, None, now)
        .await
        .unwrap();

    // The process-wide list: generating another one while other tests render pages can
    // leave a response pending (server/src/routes.rs).
    let routes = server::route_list();
    assert!(routes.len() >= 4);
    let mut refused_to_lezer = Vec::new();
    for route in routes {
        // A setup's page shows a setup, every other `{id}` the mailbox.
        let own_id = if route.path().starts_with(rules::setup::SETUP_PATH) {
            setup
        } else {
            id
        };
        let path = route
            .path()
            .replace("{id}", &own_id.to_string())
            .replace("{message_id}", &message_id.to_string());
        let answer = send_full(&anonymous, get(&path)).await;
        if path == SIGN_IN_PATH {
            assert_eq!(answer.status, StatusCode::OK, "the sign-in page is public");
            continue;
        }
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "anonymous {path}");
        let location = answer.header("location");
        assert!(location.starts_with("/inloggen"), "{path} → {location}");
        let roles = [
            (Role::Lezer, &lezer),
            (Role::Postlezer, &postlezer),
            (Role::Beheerder, &beheerder),
        ];
        for (role, router) in roles {
            let answer = send_full(router, get(&path)).await;
            if !role.allows(page_access(&path).required_role()) {
                assert_eq!(answer.status, StatusCode::FORBIDDEN, "{role:?} {path}");
                assert!(answer.body.contains("geen opgehaalde berichten"));
                refused_to_lezer.push(path.clone());
                continue;
            }
            assert!(
                matches!(answer.status, StatusCode::OK | StatusCode::FOUND),
                "{role:?} {path}: {}",
                answer.status
            );
            assert!(!answer.header("location").starts_with("/inloggen"));
            assert_eq!(answer.header("cache-control"), "no-store", "{path}");
        }
    }
    assert_eq!(
        refused_to_lezer,
        [
            format!("/instellingen/mailboxen/{id}/berichten"),
            format!("/instellingen/mailboxen/{id}/berichten/{message_id}"),
        ],
        "the two mail pages, and only they, are refused to a lezer"
    );
}

on_every_database!(
    every_server_function_requires_its_role,
    every_page_requires_a_session,
);
