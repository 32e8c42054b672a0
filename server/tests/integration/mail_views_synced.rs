//! After merging mail-sync: "Nu ophalen" through the server function has the scheduler fetch
//! a message with an attachment from the fake; the list, the message page and the download
//! show it.

use fake_microsoft::directory::Message;
use http::{Request, StatusCode};
use rules::mail::FetchOutcome;
use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::mail_sync::connected;
use crate::on_every_database;
use crate::support::microsoft::*;
use crate::support::{get, post, send_full, Fields, Poster};

async fn fetched_mail_is_listed_and_downloadable(db: DatabaseConnection) {
    let setup = connected(&db).await;
    let router = router_of(setup.state.clone()).await;
    let message: Message = serde_json::from_value(json!({
        "subject": "Jaarverslag e2e",
        "from": {"name": "Piet Puk", "address": "piet@example.org"},
        "to": [{"name": "Info", "address": INFO}],
        "received_at": "2026-11-20T10:00:00Z",
        "body": {"content_type": "text", "content": "Hierbij het jaarverslag."},
        "attachments": [{"name": "jaarverslag.txt", "content_type": "text/plain", "content_base64": "T3BicmVuZ3N0IDIwMjY="}],
    }))
    .unwrap();
    setup.fake.add_message(INFO, message).unwrap();

    // "Nu ophalen" asks the scheduler, which fetches.
    let scheduler = backend::mail::spawn_scheduler(setup.state.clone());
    let fields = Fields::default().set("id", &setup.id.to_string());
    let answer = post(&router, "fetch_mail_now", &fields, Poster::Script, "/").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let outcome: FetchOutcome = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(outcome, FetchOutcome::Requested);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let status =
            backend::flows::mail::status(&setup.state, setup.id, rules::access::Role::Beheerder)
                .await
                .unwrap()
                .unwrap();
        if !status.progress.is_active() && status.last_outcome.is_some() {
            assert!(
                matches!(status.last_outcome, Some(FetchOutcome::Fetched { new_messages, .. }) if new_messages >= 1),
                "{:?}",
                status.last_outcome
            );
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not fetched in 30 s");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    scheduler.abort();

    let (status, html) = get(
        &router,
        &format!("/instellingen/mailboxen/{}/berichten", setup.id),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Jaarverslag e2e") && html.contains("Piet Puk"),
        "{html}"
    );
    let prefix = format!("/instellingen/mailboxen/{}/berichten/", setup.id);
    let start = html
        .find(&format!("href=\"{prefix}"))
        .expect("a message link")
        + 6;
    let link: String = html[start..].chars().take_while(|c| *c != '"').collect();
    // The first row is the newest: the one just delivered.
    let (status, html) = get(&router, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Hierbij het jaarverslag."), "{html}");
    let start = html.find("/bijlagen/").expect("a download link");
    let from = html[..start].rfind('"').unwrap() + 1;
    let end = start + html[start..].find('"').unwrap();
    let download = &html[from..end];
    let answer = send_full(
        &router,
        Request::get(download)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, "Opbrengst 2026");

    let (_, html) = get(&router, &format!("/instellingen/mailboxen/{}", setup.id)).await;
    assert!(
        html.contains("data-testid=\"mail-message-count\""),
        "{html}"
    );
}

on_every_database!(fetched_mail_is_listed_and_downloadable);
