//! Incoming mail when things go wrong, on every database: 429/503 `Retry-After` honoured,
//! back-off on 500, 401 → one refresh → retry, a failure half-way resumed without loss or
//! duplicates, a lost delta token resynced, "fout" only after N failures and cleared.

use std::time::Duration;

use backend::entities::connection_attempt as attempt;
use backend::mail::{summaries, sync_now, SyncError};
use base64::Engine as _;
use fake_microsoft::directory::Message;
use fake_microsoft::{Endpoint, Fault};
use rules::mailbox_list::MailboxStatus;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::mail_sync::{assert_no_duplicates, connected, mail, state_row, stored};
use crate::on_every_database;
use crate::support::microsoft::*;

async fn throttling_and_unavailability_are_waited_out(db: DatabaseConnection) {
    let mut c = connected(&db).await;
    c.state.mail.retry.max_attempts = 5;
    c.fake.throttle(Endpoint::GraphDelta, 7, Some(1));
    c.fake.fail(
        Endpoint::GraphDelta,
        Fault::ServiceUnavailable {
            retry_after_seconds: Some(2),
        },
        Some(1),
    );
    c.fake
        .fail(Endpoint::GraphDelta, Fault::ServerError, Some(1));
    let report = sync_now(&c.state, c.id).await.unwrap();
    assert_eq!(report.new_messages, 3);
    let waits = c.pause.waits();
    assert_eq!(waits.len(), 3, "{waits:?}");
    assert_eq!(waits[0], Duration::from_secs(7), "Retry-After of the 429");
    assert_eq!(waits[1], Duration::from_secs(2), "Retry-After of the 503");
    // The 500 (third attempt) backs off exponentially: 4 s, less up to half by jitter.
    assert!(
        (Duration::from_secs(2)..=Duration::from_secs(4)).contains(&waits[2]),
        "{waits:?}"
    );
    assert_eq!(state_row(&db, c.id).await.consecutive_failures, 0);
}

async fn a_rejected_token_is_refreshed_once_and_the_request_retried(db: DatabaseConnection) {
    let c = connected(&db).await;
    // Graph's clock moves past the token's hour; ours still thinks it is fresh.
    c.fake.advance_clock(chrono::Duration::minutes(61));
    let report = sync_now(&c.state, c.id).await.unwrap();
    assert_eq!(report.new_messages, 3);
    assert_eq!(c.fake.token_request_count("refresh_token"), 1);
    let unauthorized = c
        .fake
        .graph_requests()
        .into_iter()
        .filter(|r| r.status == 401)
        .count();
    assert_eq!(unauthorized, 1);
    // A token refused again after the refresh is an error, not a loop.
    c.fake.revoke_refresh_tokens(INFO).unwrap();
    c.fake.advance_clock(chrono::Duration::minutes(61));
    let error = sync_now(&c.state, c.id).await.unwrap_err();
    assert!(matches!(error, SyncError::Token(_)), "{error}");
    assert_eq!(state_row(&db, c.id).await.consecutive_failures, 1);
}

async fn a_sync_failing_half_way_resumes_without_loss_or_duplicates(db: DatabaseConnection) {
    let c = connected(&db).await;
    c.fake.add_message(INFO, mail("Vier", 10)).unwrap();
    c.fake.add_message(INFO, mail("Vijf", 11)).unwrap();
    let with_file: Message = serde_json::from_value(json!({
        "subject": "Zes", "from": {"address": "x@example.nl"},
        "received_at": "2026-01-12T10:00:00Z",
        "attachments": [{"name": "a.txt", "content_type": "text/plain",
            "content_base64": base64::engine::general_purpose::STANDARD.encode("a")}]}))
    .unwrap();
    c.fake.add_message(INFO, with_file).unwrap();
    // Pages of two: the third page's attachment fetch fails every time.
    c.fake
        .fail(Endpoint::GraphAttachments, Fault::ServerError, None);
    let error = sync_now(&c.state, c.id).await.unwrap_err();
    assert_eq!(error.code(), "ErrorInternalServerError");
    assert_eq!(c.pause.waits().len(), 2, "bounded: 3 attempts");
    assert_eq!(stored(&db).await.len(), 4, "two pages stored");
    let state = state_row(&db, c.id).await;
    assert!(state.resume_link.unwrap().contains("$skiptoken="));
    assert_eq!(state.delta_link, None);
    assert_eq!(state.consecutive_failures, 1);

    c.fake.clear_faults();
    let before = c.fake.graph_requests().len();
    let report = sync_now(&c.state, c.id).await.unwrap();
    assert_eq!(
        (report.new_messages, report.pages),
        (2, 1),
        "resumed at page 3"
    );
    let resumed = &c.fake.graph_requests()[before];
    assert!(resumed.path.contains("$skiptoken="), "{}", resumed.path);
    let messages = stored(&db).await;
    assert_eq!(messages.len(), 6);
    assert_no_duplicates(&messages);
    let state = state_row(&db, c.id).await;
    assert_eq!((state.resume_link, state.consecutive_failures), (None, 0));
}

async fn a_lost_delta_token_resyncs(db: DatabaseConnection) {
    let c = connected(&db).await;
    sync_now(&c.state, c.id).await.unwrap();
    c.fake.invalidate_delta_tokens(INFO).unwrap();
    c.fake.add_message(INFO, mail("Na de resync", 14)).unwrap();
    let report = sync_now(&c.state, c.id).await.unwrap();
    assert_eq!(report.new_messages, 1);
    let gone = c
        .fake
        .graph_requests()
        .into_iter()
        .filter(|r| r.status == 410)
        .count();
    assert_eq!(gone, 1);
    let messages = stored(&db).await;
    assert_eq!(messages.len(), 4);
    assert_no_duplicates(&messages);
    assert!(state_row(&db, c.id).await.delta_link.is_some());
}

async fn a_mailbox_is_fout_only_after_repeated_failures_and_a_success_clears_it(
    db: DatabaseConnection,
) {
    let mut c = connected(&db).await;
    c.state.mail.max_consecutive_failures = 3;
    c.state.mail.retry.max_attempts = 1;
    c.fake.fail(Endpoint::GraphDelta, Fault::ServerError, None);
    let list_status = |db: DatabaseConnection, id: i32| async move {
        backend::mailboxes::list_rows(&db)
            .await
            .unwrap()
            .into_iter()
            .find(|row| row.id == id)
            .unwrap()
            .status
    };
    for failures in 1..=2 {
        assert!(sync_now(&c.state, c.id).await.is_err());
        let state = state_row(&db, c.id).await;
        assert_eq!(
            (state.consecutive_failures, state.status.as_str()),
            (failures, "ok")
        );
        assert_eq!(
            list_status(db.clone(), c.id).await,
            MailboxStatus::Connected
        );
    }
    assert!(sync_now(&c.state, c.id).await.is_err());
    let state = state_row(&db, c.id).await;
    assert_eq!(
        (state.consecutive_failures, state.status.as_str()),
        (3, "fout")
    );
    assert_eq!(
        state.last_error_code.as_deref(),
        Some("ErrorInternalServerError")
    );
    assert_eq!(
        list_status(db.clone(), c.id).await,
        MailboxStatus::Error(Some("ErrorInternalServerError".into()))
    );
    let summary = summaries(&db, &[c.id]).await.unwrap()[&c.id].clone();
    assert!(summary.failing);
    assert!(summary
        .last_error
        .clone()
        .unwrap()
        .starts_with("ErrorInternalServerError: "));
    // The list's mail columns, read with its rows, say the same as the mailbox page.
    let listed = backend::mailboxes::list(&db).await.unwrap().mail;
    assert_eq!(listed, [summary.row(c.id)]);
    // Each failure is in the history, with Graph's request ids.
    let recorded = attempt::Entity::find()
        .filter(attempt::Column::Kind.eq("mail_sync"))
        .order_by_asc(attempt::Column::Id)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(recorded.len(), 3);
    assert!(recorded.iter().all(|a| a.outcome == "sync_failed"
        && a.error.as_deref() == Some("ErrorInternalServerError")
        && a.trace_id.is_some()
        && a.correlation_id.is_some()
        && a.error_body.is_some()));

    c.fake.clear_faults();
    sync_now(&c.state, c.id).await.unwrap();
    let state = state_row(&db, c.id).await;
    assert_eq!(
        (state.consecutive_failures, state.status.as_str()),
        (0, "ok")
    );
    assert_eq!(state.last_error_code, None);
    assert_eq!(
        list_status(db.clone(), c.id).await,
        MailboxStatus::Connected
    );
    let latest = attempt::Entity::find()
        .order_by_desc(attempt::Column::Id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (latest.kind.as_str(), latest.outcome.as_str()),
        ("mail_sync", "success")
    );
}

on_every_database!(
    throttling_and_unavailability_are_waited_out,
    a_rejected_token_is_refreshed_once_and_the_request_retried,
    a_sync_failing_half_way_resumes_without_loss_or_duplicates,
    a_lost_delta_token_resyncs,
    a_mailbox_is_fout_only_after_repeated_failures_and_a_success_clears_it,
);
