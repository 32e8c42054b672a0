//! Incoming mail against the fake Graph, on every database: the first sync with paging,
//! incremental delta with new and removed messages, duplicates ignored, mark-as-read, the
//! attachment cap, the lease, and the scheduler.

use std::sync::Arc;
use std::time::Duration;

use backend::entities::{
    mail_attachment as attachment, mail_message as message, mail_sync_state as sync_state, mailbox,
};
use backend::mail::delta::{IncomingMessage, NextLink};
use backend::mail::store::{store_page, NewMessage, PageToStore};
use backend::mail::{lease, summaries, sync_now, MailSettings, RecordedPause, SyncError};
use backend::microsoft::graph::RetryPolicy;
use backend::AppState;
use base64::Engine as _;
use chrono::{TimeZone, Utc};
use fake_microsoft::directory::Message;
use fake_microsoft::{Endpoint, FakeMicrosoft};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use crate::on_every_database;
use crate::support::microsoft::*;

/// A connected info@ mailbox with mail settings for tests: 2 messages per page, mail since
/// 2026-01-01, retries recorded instead of slept.
pub struct Connected {
    pub fake: FakeMicrosoft,
    pub state: AppState,
    pub id: i32,
    pub pause: Arc<RecordedPause>,
}

/// `files` with the content of those stored in chunks read back into `content`, chunk by
/// chunk as the download route reads it.
pub async fn with_contents(
    db: &DatabaseConnection,
    mut files: Vec<attachment::Model>,
) -> Vec<attachment::Model> {
    for file in files.iter_mut().filter(|f| f.content_in_chunks) {
        let mut content = Vec::new();
        let mut seq = 0;
        while let Some(chunk) = backend::mail::content::read_chunk(db, file.id, seq)
            .await
            .unwrap()
        {
            content.extend(chunk);
            seq += 1;
        }
        file.content = Some(content);
    }
    files
}

pub async fn connected(db: &DatabaseConnection) -> Connected {
    let (fake, mut state, id) = connected_info(db).await;
    let pause = Arc::new(RecordedPause::default());
    state.mail = MailSettings {
        sync_interval: Duration::ZERO,
        first_sync_since: Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
        page_size: 2,
        retry: RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        },
        pause: pause.clone(),
        ..MailSettings::default()
    };
    Connected {
        fake,
        state,
        id,
        pause,
    }
}

/// A plain-text message for info@ received on `day` January 2026.
pub fn mail(subject: &str, day: u32) -> Message {
    serde_json::from_value(json!({
        "subject": subject,
        "from": {"name": "Afzender", "address": "afzender@example.nl"},
        "to": [{"name": "Info", "address": INFO}],
        "received_at": format!("2026-01-{day:02}T10:00:00Z"),
        "body": {"content_type": "text", "content": format!("Tekst van {subject}")},
    }))
    .unwrap()
}

pub async fn stored(db: &DatabaseConnection) -> Vec<message::Model> {
    message::Entity::find()
        .order_by_asc(message::Column::Id)
        .all(db)
        .await
        .unwrap()
}

pub async fn state_row(db: &DatabaseConnection, id: i32) -> sync_state::Model {
    sync_state::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .expect("a sync state")
}

/// Every stored key (the Graph id) once.
pub fn assert_no_duplicates(messages: &[message::Model]) {
    let mut keys: Vec<&str> = messages.iter().map(|m| m.graph_id.as_str()).collect();
    keys.sort_unstable();
    let before = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), before, "a message stored twice");
}

async fn the_first_sync_pages_through_the_inbox_and_stores_every_field(db: DatabaseConnection) {
    let c = connected(&db).await;
    let html = serde_json::from_value(json!({
        "subject": "Nieuwsbrief",
        "from": {"name": "", "address": "nieuws@example.nl"},
        "to": [{"name": "Info", "address": INFO}],
        "cc": [{"name": "Bestuur", "address": "bestuur@example.nl"}],
        "received_at": "2026-01-09T10:00:00Z",
        "body": {"content_type": "html",
                 "content": "<p onclick=\"x()\">Hallo</p><script>alert(1)</script>"},
    }))
    .unwrap();
    c.fake.add_message(INFO, html).unwrap();
    c.fake
        .add_message(INFO, mail("Op de startdatum", 1))
        .unwrap();
    // Received 2025: before MAIL_SYNC_START_DATE, so not fetched.
    let old: Message = serde_json::from_value(json!({
        "subject": "Oud", "from": {"address": "oud@example.nl"},
        "received_at": "2025-12-01T10:00:00Z"}))
    .unwrap();
    c.fake.add_message(INFO, old).unwrap();

    let report = sync_now(&c.state, c.id).await.unwrap();
    assert_eq!((report.new_messages, report.pages), (5, 3), "{report:?}");
    let messages = stored(&db).await;
    assert_eq!(messages.len(), 5);
    assert!(messages.iter().all(|m| m.subject != "Oud"));
    let first = messages
        .iter()
        .find(|m| m.subject == "Vraag over mijn jaarafrekening")
        .unwrap();
    assert_eq!(first.from_address, "marieke.devries@example.nl");
    assert_eq!(first.from_name.as_deref(), Some("Marieke de Vries"));
    assert!(first.body_is_html);
    assert!(first
        .to_addresses
        .contains("Info Energie Coöperatie <info@energiedemo.onmicrosoft.com>"));
    assert_eq!(
        first.received_at,
        Utc.with_ymd_and_hms(2026, 1, 5, 9, 14, 0).unwrap()
    );
    assert!(first
        .internet_message_id
        .ends_with("@fake-microsoft.local>"));
    let news = messages
        .iter()
        .find(|m| m.subject == "Nieuwsbrief")
        .unwrap();
    assert_eq!(news.body, "<p>Hallo</p>", "sanitised");
    assert_eq!(news.cc_addresses, r#"["Bestuur <bestuur@example.nl>"]"#);
    assert_eq!(news.from_name, None);

    let state = state_row(&db, c.id).await;
    assert!(state.delta_link.unwrap().contains("$deltatoken="));
    assert_eq!(state.resume_link, None);
    assert_eq!(
        (state.status.as_str(), state.consecutive_failures),
        ("ok", 0)
    );
    assert_eq!(state.lease_holder, None, "released");
    let first_request = c
        .fake
        .graph_requests()
        .into_iter()
        .find(|r| r.endpoint == Endpoint::GraphDelta)
        .unwrap();
    assert!(
        first_request
            .path
            .contains("$filter=receivedDateTime%20ge%202026-01-01T00%3A00%3A00Z"),
        "{}",
        first_request.path
    );
}

async fn an_incremental_sync_adds_new_and_marks_removed_messages(db: DatabaseConnection) {
    let c = connected(&db).await;
    sync_now(&c.state, c.id).await.unwrap();
    let gone = c
        .fake
        .directory()
        .user_by_key(INFO)
        .map(|(_, user)| user.messages[0].id.clone())
        .unwrap();
    c.fake.delete_message(INFO, &gone).unwrap();
    c.fake.add_message(INFO, mail("Nieuw 1", 10)).unwrap();
    c.fake.add_message(INFO, mail("Nieuw 2", 11)).unwrap();

    let report = sync_now(&c.state, c.id).await.unwrap();
    assert_eq!((report.new_messages, report.removed), (2, 1), "{report:?}");
    let messages = stored(&db).await;
    assert_eq!(messages.len(), 5);
    let removed: Vec<&message::Model> =
        messages.iter().filter(|m| m.removed_at.is_some()).collect();
    assert_eq!(removed.len(), 1);
    // Stored and reported under the immutable id the sync asks Graph for.
    assert_eq!(
        removed[0].graph_id,
        fake_microsoft::ids::immutable_id(&gone)
    );
    let summary = summaries(&db, &[c.id]).await.unwrap()[&c.id].clone();
    assert_eq!(summary.message_count, 4);
    assert!(summary.last_fetched_at.is_some());
    assert!(!summary.failing && summary.last_error.is_none());
}

async fn duplicates_are_ignored(db: DatabaseConnection) {
    let c = connected(&db).await;
    assert_eq!(sync_now(&c.state, c.id).await.unwrap().new_messages, 3);
    assert_eq!(sync_now(&c.state, c.id).await.unwrap().new_messages, 0);
    // A whole new round (as after a lost delta link) lists everything again.
    sync_state::Entity::update_many()
        .col_expr(
            sync_state::Column::DeltaLink,
            Expr::value(Option::<String>::None),
        )
        .filter(sync_state::Column::MailboxId.eq(c.id))
        .exec(&db)
        .await
        .unwrap();
    let again = sync_now(&c.state, c.id).await.unwrap();
    assert_eq!((again.new_messages, again.pages), (0, 2));
    let messages = stored(&db).await;
    assert_eq!(messages.len(), 3);
    assert_no_duplicates(&messages);
    // The database refuses a duplicate too.
    let mut copy = message::ActiveModel::from(messages[0].clone()).reset_all();
    copy.id = sea_orm::ActiveValue::NotSet;
    assert!(
        copy.insert(&db).await.is_err(),
        "UNIQUE(mailbox_id, graph_id)"
    );
}

async fn messages_are_marked_read_when_the_mailbox_says_so(db: DatabaseConnection) {
    let c = connected(&db).await;
    mailbox::Entity::update_many()
        .col_expr(mailbox::Column::EmailMarkAsSeen, Expr::value(true))
        .filter(mailbox::Column::Id.eq(c.id))
        .exec(&db)
        .await
        .unwrap();
    sync_now(&c.state, c.id).await.unwrap();
    let directory = c.fake.directory();
    let (_, user) = directory.user_by_key(INFO).unwrap();
    assert!(
        user.messages.iter().all(|m| m.is_read),
        "all read on the server"
    );
    let patches = c
        .fake
        .graph_requests()
        .into_iter()
        .filter(|r| r.method == "PATCH" && r.status == 200)
        .count();
    assert_eq!(patches, 2, "only the two unread messages");
    // Marking read changes the messages: the next round lists them again, stored once.
    sync_now(&c.state, c.id).await.unwrap();
    assert_eq!(stored(&db).await.len(), 3);
}

async fn attachments_are_kept_up_to_the_cap(db: DatabaseConnection) {
    let mut c = connected(&db).await;
    c.state.mail.attachment_max_bytes = 1000;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let with_files: Message = serde_json::from_value(json!({
        "subject": "Bijlagen",
        "from": {"address": "leden@example.nl"},
        "received_at": "2026-01-12T10:00:00Z",
        "attachments": [
            {"name": "klein.txt", "content_type": "text/plain", "content_base64": b64(b"hallo")},
            {"name": "groot.pdf", "content_type": "application/pdf", "content_base64": b64(&[7u8; 2000])}
        ]}))
    .unwrap();
    c.fake.add_message(INFO, with_files).unwrap();
    sync_now(&c.state, c.id).await.unwrap();
    let message = stored(&db)
        .await
        .into_iter()
        .find(|m| m.subject == "Bijlagen")
        .unwrap();
    assert!(message.has_attachments);
    let files = with_contents(
        &db,
        attachment::Entity::find()
            .filter(attachment::Column::MessageId.eq(message.id))
            .order_by_asc(attachment::Column::Id)
            .all(&db)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(files.len(), 2);
    assert!(
        files[0].content_in_chunks,
        "new content is stored in chunks"
    );
    assert_eq!(files[0].name, "klein.txt");
    assert_eq!(files[0].content.as_deref(), Some(&b"hallo"[..]));
    assert_eq!(files[0].skipped_reason, None);
    assert_eq!(files[1].name, "groot.pdf");
    assert_eq!(files[1].content, None);
    assert_eq!(files[1].skipped_reason.as_deref(), Some("too_large"));
    assert_eq!(files[1].size, 2000);
}

async fn a_held_lease_makes_a_second_sync_busy_and_an_expired_one_is_taken_over(
    db: DatabaseConnection,
) {
    let c = connected(&db).await;
    let now = Utc::now();
    lease::ensure_state(&db, c.id, now).await.unwrap();
    assert!(lease::claim(
        &db,
        c.id,
        "other-instance",
        now,
        now + chrono::Duration::minutes(5)
    )
    .await
    .unwrap());
    assert!(matches!(
        sync_now(&c.state, c.id).await,
        Err(SyncError::Busy(_))
    ));
    assert!(stored(&db).await.is_empty());
    // A crashed instance: its lease ran out.
    let mut row: sync_state::ActiveModel = state_row(&db, c.id).await.into();
    row.lease_until = Set(Some(now - chrono::Duration::seconds(1)));
    row.update(&db).await.unwrap();
    assert_eq!(sync_now(&c.state, c.id).await.unwrap().new_messages, 3);
    let state = state_row(&db, c.id).await;
    assert_eq!(state.lease_holder, None);
    assert!(state.next_due_at.is_some());
}

async fn the_scheduler_syncs_due_mailboxes(db: DatabaseConnection) {
    let mut c = connected(&db).await;
    c.state.mail.sync_interval = Duration::from_secs(1);
    let scheduler = backend::mail::spawn_scheduler(c.state.clone());
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while stored(&db).await.len() < 3 {
        assert!(std::time::Instant::now() < deadline, "not synced in 30 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    c.fake.add_message(INFO, mail("Later", 13)).unwrap();
    while stored(&db).await.len() < 4 {
        assert!(
            std::time::Instant::now() < deadline,
            "not synced again in 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    scheduler.abort();
    assert_no_duplicates(&stored(&db).await);
    // Periodic sync off at 0: nothing due is fetched, only what "Nu ophalen" asks for
    // (`mail_fetch_request`).
    c.state.mail.sync_interval = Duration::ZERO;
    while state_row(&db, c.id).await.lease_holder.is_some() {
        assert!(std::time::Instant::now() < deadline, "the last sync ends");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    c.fake.add_message(INFO, mail("Niet gevraagd", 14)).unwrap();
    let unasked = backend::mail::spawn_scheduler(c.state.clone());
    tokio::time::sleep(Duration::from_millis(500)).await;
    unasked.abort();
    assert_eq!(stored(&db).await.len(), 4);
}

/// A message as a delta page lists it, plain text.
fn incoming(key: &str) -> IncomingMessage {
    IncomingMessage {
        graph_id: format!("graph-{key}"),
        internet_message_id: key.to_string(),
        from_address: "afzender@example.nl".into(),
        from_name: None,
        to: vec![INFO.to_string()],
        cc: Vec::new(),
        subject: format!("Bericht {key}"),
        received_at: Some(Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap()),
        is_read: true,
        body_content_type: "text".into(),
        body: "Hallo".into(),
        has_attachments: false,
    }
}

async fn a_page_is_stored_only_while_the_lease_is_held(db: DatabaseConnection) {
    let c = connected(&db).await;
    let now = Utc::now();
    let until = now + chrono::Duration::minutes(5);
    lease::ensure_state(&db, c.id, now).await.unwrap();
    assert!(lease::claim(&db, c.id, "ours", now, until).await.unwrap());
    let next = NextLink::More("next-page".into());
    let page = |keys: &[&str], next| PageToStore {
        new: keys
            .iter()
            .map(|key| NewMessage {
                message: incoming(key),
                attachments: Vec::new(),
            })
            .collect(),
        adopted: Vec::new(),
        quarantined: Vec::new(),
        removed: &[],
        next,
    };
    // The same progress saved twice in one second changes nothing the second time, and
    // the lease still counts as ours (MariaDB reports matched rows, not changed ones).
    for _ in 0..2 {
        let counts = store_page(&db, c.id, "ours", page(&[], &next), now, until)
            .await
            .unwrap();
        assert_eq!(counts.new, 0);
    }
    let counts = store_page(&db, c.id, "ours", page(&["<a@x>"], &next), now, until)
        .await
        .unwrap();
    assert_eq!(counts.new, 1);
    // Another instance took the mailbox over: this sync's page is refused whole.
    let mut row: sync_state::ActiveModel = state_row(&db, c.id).await.into();
    row.lease_holder = Set(Some("theirs".into()));
    row.update(&db).await.unwrap();
    let done = NextLink::Done("delta".into());
    let lost = store_page(&db, c.id, "ours", page(&["<b@x>"], &done), now, until).await;
    assert!(
        matches!(lost, Err(SyncError::LeaseLost(id)) if id == c.id),
        "{lost:?}"
    );
    let messages = stored(&db).await;
    assert_eq!(messages.len(), 1, "nothing of the refused page");
    assert_eq!(messages[0].internet_message_id, "<a@x>");
    let state = state_row(&db, c.id).await;
    assert_eq!(state.delta_link, None);
    assert_eq!(state.resume_link.as_deref(), Some("next-page"));
    assert_eq!(state.lease_holder.as_deref(), Some("theirs"));
}

on_every_database!(
    the_first_sync_pages_through_the_inbox_and_stores_every_field,
    an_incremental_sync_adds_new_and_marks_removed_messages,
    duplicates_are_ignored,
    messages_are_marked_read_when_the_mailbox_says_so,
    attachments_are_kept_up_to_the_cap,
    a_held_lease_makes_a_second_sync_busy_and_an_expired_one_is_taken_over,
    the_scheduler_syncs_due_mailboxes,
    a_page_is_stored_only_while_the_lease_is_held,
    a_large_first_sync_refreshes_the_statistics_on_postgres,
);

/// `reltuples` of the message table: -1 on PostgreSQL until it is analysed.
async fn analysed_rows(db: &DatabaseConnection) -> f64 {
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            "SELECT reltuples::float8 AS n FROM pg_class WHERE relname = 'mail_messages'",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<f64>("", "n").unwrap()
}

async fn a_large_first_sync_refreshes_the_statistics_on_postgres(db: DatabaseConnection) {
    use sea_orm::ConnectionTrait;
    let mut c = connected(&db).await;
    // "Large" made small: the product refreshes after 2,000 new messages.
    c.state.mail.analyze_after_new_messages = 5;
    let postgres = db.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
    if postgres {
        assert_eq!(
            analysed_rows(&db).await,
            -1.0,
            "a new table is not analysed"
        );
    }
    for day in 1..=6 {
        c.fake
            .add_message(INFO, mail(&format!("Bericht {day}"), day))
            .unwrap();
    }
    // The demo inbox holds a few messages of its own besides these six.
    let report = sync_now(&c.state, c.id).await.unwrap();
    assert!(report.new_messages >= 6, "{report:?}");
    if postgres {
        // The planner now knows the table's size (ANALYZE ran once, after 5 messages).
        assert!(analysed_rows(&db).await >= 5.0);
    }
}
