//! Hostile and odd mail against the fake Graph, on every database (issue 21): a poisoned page
//! stores every good message and quarantines the bad ones, and the next sync goes on from
//! there; a sender who pre-empts a Message-ID cannot hide the real message; rows stored
//! under Graph's old ids are taken over, not stored twice; failing syncs back off and keep a
//! bounded history.

use backend::entities::{
    connection_attempt as attempt, mail_message as message, mail_quarantine as quarantine,
};
use backend::mail::sync_now;
use base64::Engine as _;
use chrono::Utc;
use fake_microsoft::directory::Message;
use fake_microsoft::{Endpoint, Fault};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::mail_sync::{assert_no_duplicates, connected, state_row, stored};
use crate::on_every_database;
use crate::support::get;
use crate::support::microsoft::*;

/// The immutable form of the fake's message ids (`fake_microsoft::ids::immutable_id`).
const IMMUTABLE: &str = "AAkALg";

fn message_from(value: serde_json::Value) -> Message {
    serde_json::from_value(value).unwrap()
}

async fn quarantined(db: &DatabaseConnection) -> Vec<quarantine::Model> {
    quarantine::Entity::find()
        .order_by_asc(quarantine::Column::Id)
        .all(db)
        .await
        .unwrap()
}

async fn a_poisoned_page_stores_every_good_message_and_quarantines_the_bad_ones(
    db: DatabaseConnection,
) {
    let c = connected(&db).await;
    // PostgreSQL refuses NUL in text.
    c.fake
        .add_message(
            INFO,
            message_from(json!({
                "subject": "Nul\u{0}in het onderwerp",
                "from": {"name": "Af\u{0}zender", "address": "nul@example.nl"},
                "received_at": "2026-01-10T10:00:00Z",
                "body": {"content_type": "text", "content": "Tekst\u{0}met nul"}})),
        )
        .unwrap();
    // MariaDB's TEXT holds 65,535 bytes.
    let long_subject = format!("Lang {}", "é".repeat(50_000));
    c.fake
        .add_message(
            INFO,
            message_from(json!({
                "subject": long_subject,
                "from": {"address": "lang@example.nl"},
                "received_at": "2026-01-11T10:00:00Z"})),
        )
        .unwrap();
    // A date past what MariaDB's TIMESTAMP holds (and past the start date's filter).
    c.fake
        .add_message(
            INFO,
            message_from(json!({
                "subject": "Verre toekomst",
                "from": {"address": "datum@example.nl"},
                "received_at": "9999-12-31T23:59:59Z"})),
        )
        .unwrap();
    // Deleted after the page listed it: its attachments answer 404.
    let b64 = base64::engine::general_purpose::STANDARD.encode("a");
    c.fake
        .add_message(
            INFO,
            message_from(json!({
                "subject": "Verdwenen bijlage",
                "from": {"address": "weg@example.nl"},
                "received_at": "2026-01-12T10:00:00Z",
                "attachments": [{"name": "a.txt", "content_type": "text/plain",
                    "content_base64": b64}]})),
        )
        .unwrap();
    c.fake
        .fail(Endpoint::GraphAttachments, Fault::ItemGone, Some(1));
    // An id no key column holds.
    let long_id = format!("AAMk{}", "x".repeat(300));
    c.fake
        .add_message(
            INFO,
            message_from(json!({
                "id": long_id,
                "subject": "Te lange id",
                "from": {"address": "id@example.nl"},
                "received_at": "2026-01-13T10:00:00Z"})),
        )
        .unwrap();

    let before = Utc::now();
    let report = sync_now(&c.state, c.id).await.unwrap();
    let after = Utc::now();
    assert_eq!(
        (report.new_messages, report.quarantined),
        (6, 2),
        "{report:?}"
    );
    let messages = stored(&db).await;
    assert_eq!(
        messages.len(),
        6,
        "the demo's three and the three normalised"
    );
    assert_no_duplicates(&messages);
    let by_sender = |address: &str| {
        messages
            .iter()
            .find(|m| m.from_address == address)
            .unwrap_or_else(|| panic!("{address} stored"))
            .clone()
    };
    let nul = by_sender("nul@example.nl");
    assert_eq!(nul.subject, "Nulin het onderwerp");
    assert_eq!(nul.from_name.as_deref(), Some("Afzender"));
    assert_eq!(nul.body, "Tekstmet nul");
    let long = by_sender("lang@example.nl");
    assert!(long.subject.starts_with("Lang éé"));
    assert!(long.subject.len() <= 65_535 && long.subject.len() > 65_000);
    let dated = by_sender("datum@example.nl");
    assert!(
        (before - chrono::Duration::seconds(1)..=after + chrono::Duration::seconds(1))
            .contains(&dated.received_at),
        "the fetch time: {}",
        dated.received_at
    );
    assert!(messages.iter().all(|m| m.subject != "Verdwenen bijlage"));

    let skipped = quarantined(&db).await;
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    let gone = skipped.iter().find(|q| q.reason == "gone").unwrap();
    assert_eq!(gone.subject.as_deref(), Some("Verdwenen bijlage"));
    assert!(gone.graph_id.starts_with(IMMUTABLE));
    assert_eq!((gone.mailbox_id, gone.seen_count), (c.id, 1));
    assert_eq!(gone.first_seen_at, gone.last_seen_at);
    let too_long = skipped.iter().find(|q| q.reason == "id_too_long").unwrap();
    assert_eq!(too_long.subject.as_deref(), Some("Te lange id"));
    assert!(skipped
        .iter()
        .all(|q| q.detail.as_deref().unwrap().len() <= 1000));

    let state = state_row(&db, c.id).await;
    assert!(state.delta_link.unwrap().contains("$deltatoken="));
    assert_eq!((state.resume_link, state.consecutive_failures), (None, 0));

    // The next sync goes on from the delta link: nothing of the page is fetched again.
    let seen = c.fake.graph_requests().len();
    let again = sync_now(&c.state, c.id).await.unwrap();
    assert_eq!(
        (again.new_messages, again.quarantined, again.pages),
        (0, 0, 1)
    );
    let requests = &c.fake.graph_requests()[seen..];
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert!(
        requests[0].path.contains("$deltatoken="),
        "{}",
        requests[0].path
    );
    assert_eq!(quarantined(&db).await.len(), 2);
}

async fn a_pre_empted_message_id_does_not_hide_the_real_message(db: DatabaseConnection) {
    let c = connected(&db).await;
    let pre_empting = message_from(json!({
        "internet_message_id": "<factuur-2026-01@leverancier.nl>",
        "subject": "Nep: betaal hier",
        "from": {"address": "oplichter@example.com"},
        "received_at": "2026-01-10T10:00:00Z"}));
    c.fake.add_message(INFO, pre_empting).unwrap();
    assert_eq!(sync_now(&c.state, c.id).await.unwrap().new_messages, 4);
    let real = message_from(json!({
        "internet_message_id": "<factuur-2026-01@leverancier.nl>",
        "subject": "Factuur januari",
        "from": {"address": "facturen@leverancier.nl"},
        "received_at": "2026-01-11T10:00:00Z"}));
    c.fake.add_message(INFO, real).unwrap();
    assert_eq!(sync_now(&c.state, c.id).await.unwrap().new_messages, 1);
    let messages = stored(&db).await;
    let sharing: Vec<&message::Model> = messages
        .iter()
        .filter(|m| m.internet_message_id == "<factuur-2026-01@leverancier.nl>")
        .collect();
    assert_eq!(sharing.len(), 2, "both stored");
    assert!(sharing.iter().any(|m| m.subject == "Factuur januari"));
    // Keyed on the immutable ids Graph returned because the sync asked for them.
    assert!(messages
        .iter()
        .all(|m| m.graph_id.starts_with(IMMUTABLE) && m.graph_id_immutable));
    assert_no_duplicates(&messages);
}

async fn rows_stored_under_old_ids_are_taken_over_not_stored_twice(db: DatabaseConnection) {
    let c = connected(&db).await;
    let pre_empting = message_from(json!({
        "internet_message_id": "<gedeeld@example.nl>",
        "subject": "Eerst",
        "from": {"address": "eerst@example.nl"},
        "received_at": "2026-01-10T10:00:00Z"}));
    c.fake.add_message(INFO, pre_empting).unwrap();
    sync_now(&c.state, c.id).await.unwrap();
    // As the migration leaves rows stored before immutable ids: Graph's default id, not
    // marked immutable, and the links forgotten.
    let directory = c.fake.directory();
    let (_, user) = directory.user_by_key(INFO).unwrap();
    for listed in &user.messages {
        message::Entity::update_many()
            .col_expr(message::Column::GraphId, Expr::value(listed.id.clone()))
            .col_expr(message::Column::GraphIdImmutable, Expr::value(false))
            .filter(message::Column::Subject.eq(listed.subject.clone()))
            .exec(&db)
            .await
            .unwrap();
    }
    backend::mail::store::forget_links(&db, c.id).await.unwrap();
    // Arrived since, with the Message-ID of a stored row but another receive time.
    let later = message_from(json!({
        "internet_message_id": "<gedeeld@example.nl>",
        "subject": "Later",
        "from": {"address": "later@example.nl"},
        "received_at": "2026-01-11T10:00:00Z"}));
    c.fake.add_message(INFO, later).unwrap();

    let report = sync_now(&c.state, c.id).await.unwrap();
    assert_eq!(report.new_messages, 1, "only the new one: {report:?}");
    let messages = stored(&db).await;
    assert_eq!(messages.len(), 5);
    assert!(messages
        .iter()
        .all(|m| m.graph_id.starts_with(IMMUTABLE) && m.graph_id_immutable));
    assert!(messages.iter().any(|m| m.subject == "Later"));
    assert_no_duplicates(&messages);
}

async fn failing_syncs_back_off_and_keep_a_bounded_history(db: DatabaseConnection) {
    let mut c = connected(&db).await;
    c.state.mail.retry.max_attempts = 1;
    c.state.mail.failure_history = 2;
    c.fake.fail(Endpoint::GraphDelta, Fault::ServerError, None);
    let mut waits = Vec::new();
    for _ in 0..4 {
        let at = Utc::now();
        assert!(sync_now(&c.state, c.id).await.is_err());
        let due = state_row(&db, c.id).await.next_due_at.unwrap();
        waits.push((due - at).num_seconds());
    }
    // The interval after one failure, then doubled per further failure (a second of slack
    // either way: the clock runs on, and MariaDB keeps whole seconds).
    for (wait, expected) in waits.iter().zip([300, 600, 1200, 2400]) {
        assert!((expected - 1..=expected + 1).contains(wait), "{waits:?}");
    }
    let history = attempt::Entity::find()
        .filter(attempt::Column::Kind.eq("mail_sync"))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(history, 2, "MAIL_FAILURE_HISTORY");
    c.fake.clear_faults();
    let at = Utc::now();
    sync_now(&c.state, c.id).await.unwrap();
    let due = state_row(&db, c.id).await.next_due_at.unwrap();
    assert!(
        (due - at).num_seconds() <= 301,
        "a success: the interval again"
    );
}

async fn the_mailbox_page_lists_skipped_messages(db: DatabaseConnection) {
    let c = connected(&db).await;
    let router = router_of(c.state.clone()).await;
    let (_, html) = get(&router, &format!("/instellingen/mailboxen/{}", c.id)).await;
    assert!(
        !html.contains("data-testid=\"mail-quarantine\""),
        "none yet"
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode("a");
    c.fake
        .add_message(
            INFO,
            message_from(json!({
                "subject": "Verdwenen <bijlage>",
                "from": {"address": "weg@example.nl"},
                "received_at": "2026-01-12T10:00:00Z",
                "attachments": [{"name": "a.txt", "content_type": "text/plain",
                    "content_base64": b64}]})),
        )
        .unwrap();
    c.fake
        .fail(Endpoint::GraphAttachments, Fault::ItemGone, Some(1));
    sync_now(&c.state, c.id).await.unwrap();

    let (status, html) = get(&router, &format!("/instellingen/mailboxen/{}", c.id)).await;
    assert_eq!(status, http::StatusCode::OK);
    assert!(html.contains("data-testid=\"mail-quarantine\""), "{html}");
    assert!(html.contains("Overgeslagen berichten"));
    assert!(
        html.contains("Verdwenen &lt;bijlage&gt;"),
        "the subject, escaped"
    );
    assert!(html.contains("data-reason=\"gone\""));
    assert!(html.contains("bestond niet meer bij Microsoft"));
    assert!(html.contains("1× overgeslagen"));
}

on_every_database!(
    a_poisoned_page_stores_every_good_message_and_quarantines_the_bad_ones,
    a_pre_empted_message_id_does_not_hide_the_real_message,
    rows_stored_under_old_ids_are_taken_over_not_stored_twice,
    failing_syncs_back_off_and_keep_a_bounded_history,
    the_mailbox_page_lists_skipped_messages,
);
