//! Secrets never leave the server in clear and are not stored in clear.

use http::StatusCode;
use rules::mailbox_form::SaveOutcome;
use sea_orm::DatabaseConnection;

use crate::mailbox_form_fixtures::*;
use crate::on_every_database;
use crate::support::{get, post, signed_in_router, Poster};

async fn no_response_carries_a_secret(db: DatabaseConnection) {
    let router = signed_in_router(db).await;
    let ms = create(&router, &microsoft_fields()).await;
    let imap = create(
        &router,
        &imap_smtp_fields().set("email", "leden2@zonnecoop.nl"),
    )
    .await;
    let mut bodies = Vec::new();
    // Invalid saves answer with issues, never with the values.
    let invalid = microsoft_fields().set("name", "").set("password", PASSWORD);
    let answer = post(&router, "save_mailbox", &invalid, Poster::Script, "/").await;
    assert!(matches!(
        serde_json::from_str(&answer.body),
        Ok(SaveOutcome::Invalid { .. })
    ));
    bodies.push(answer.body);
    for id in [ms, imap] {
        for path in ["", "?opgeslagen=1", "?verwijderen=1"] {
            let (status, html) = get(&router, &format!("/instellingen/mailboxen/{id}{path}")).await;
            assert_eq!(status, StatusCode::OK);
            bodies.push(html);
        }
        bodies.push(form_data(&router, &id.to_string()).await.1);
    }
    bodies.push(get(&router, "/instellingen/mailboxen").await.1);
    let list = post(
        &router,
        "list_mailboxes",
        &Default::default(),
        Poster::Script,
        "/",
    )
    .await;
    bodies.push(list.body);
    for body in &bodies {
        assert!(!body.contains(SECRET) && !body.contains(PASSWORD));
        assert!(!body.contains(&SECRET[..12]), "not even a long prefix");
    }
}

on_every_database!(no_response_carries_a_secret);

/// Reads the SQLite file (and its write-ahead log) byte by byte: the secret and the password
/// must not be there.
#[tokio::test]
async fn the_sqlite_file_holds_no_secret_in_clear() {
    let path = std::env::temp_dir().join(format!("mbx_secret_{}.db", std::process::id()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = server::db::connect_and_migrate(&url).await.unwrap();
    let router = signed_in_router(db.clone()).await;
    create(&router, &microsoft_fields()).await;
    create(&router, &imap_smtp_fields()).await;
    db.close().await.unwrap();

    let mut bytes = Vec::new();
    for suffix in ["", "-wal"] {
        let file = format!("{}{suffix}", path.display());
        if let Ok(content) = std::fs::read(&file) {
            bytes.extend(content);
        }
        let _ = std::fs::remove_file(&file);
    }
    let _ = std::fs::remove_file(format!("{}-shm", path.display()));
    let contains = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(contains("info@zonnecoop.nl"), "the file was read");
    assert!(contains("Xyz"), "the hint is stored");
    assert!(
        !contains(SECRET) && !contains(&SECRET[3..]),
        "client secret in clear"
    );
    assert!(!contains(PASSWORD), "password in clear");
}
