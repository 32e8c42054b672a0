//! Two real server processes (the `server` binary) against one PostgreSQL database and one
//! fake Microsoft: 20 mailboxes × 500 messages, every message stored exactly once, never two
//! Graph requests on one mailbox at once, and a killed instance's leases taken over.
//! PostgreSQL only (`FOR UPDATE SKIP LOCKED` across processes); skipped with a message when
//! `TEST_POSTGRES_URL` is unset, unless `REQUIRE_ALL_DATABASES` is set.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use backend::entities::{mail_message as message, mail_sync_state as sync_state};
use base64::Engine as _;
use chrono::Utc;
use fake_microsoft::directory::User;
use fake_microsoft::{Endpoint, FakeMicrosoft, Fault, SignInBrowser};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, QuerySelect};
use serde_json::json;

use crate::support::microsoft::*;
use crate::support::{Backend, TestDatabase};

const MAILBOXES: usize = 20;
const MESSAGES: usize = 500;

/// A server process, killed when dropped.
struct Instance {
    child: Child,
}

impl Instance {
    fn start(database_url: &str, fake: &FakeMicrosoft, name: &str) -> Instance {
        let key = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        let log = std::fs::File::create(std::env::temp_dir().join(format!("mail-{name}.log")))
            .expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("APP_ENV", "test")
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("ENCRYPTION_KEY", key)
            .env("MICROSOFT_LOGIN_URL", fake.base_url())
            .env("MICROSOFT_GRAPH_URL", fake.base_url())
            .env("MICROSOFT_HTTP_TIMEOUT_SECS", "10")
            .env("MAIL_SYNC_INTERVAL_SECS", "1")
            .env("MAIL_SYNC_START_DATE", "2026-01-01")
            .env("MAIL_PAGE_SIZE", "100")
            .env("MAIL_SYNC_LEASE_SECS", "3")
            .env("MAIL_SYNC_CONCURRENCY", "4")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("the server binary starts");
        Instance { child }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

fn user(index: usize) -> User {
    let messages: Vec<serde_json::Value> = (0..MESSAGES)
        .map(|n| {
            json!({
                "subject": format!("Bericht {n} aan postbus {index}"),
                "from": {"name": "Lid", "address": format!("lid{n}@example.nl")},
                "to": [{"address": format!("postbus{index}@{DOMAIN}")}],
                "received_at": format!("2026-02-{:02}T{:02}:{:02}:00Z", 1 + n / 100, (n / 10) % 10, n % 60),
                "body": {"content_type": "text", "content": "Hallo"},
            })
        })
        .collect();
    serde_json::from_value(json!({
        "object_id": uuid::Uuid::new_v4(),
        "user_principal_name": format!("postbus{index}@{DOMAIN}"),
        "display_name": format!("Postbus {index}"),
        "password": "Postbus-2026",
        "messages": messages,
    }))
    .expect("a user")
}

/// Twenty connected mailboxes, each a user of its own with 500 messages.
async fn connect_mailboxes(db: &DatabaseConnection, fake: &FakeMicrosoft) -> Vec<(i32, String)> {
    let state = state_with(db.clone(), fake, Duration::from_secs(10));
    let router = router_of(state).await;
    let mut mailboxes = Vec::new();
    for index in 0..MAILBOXES {
        let user = user(index);
        let upn = user.user_principal_name.clone();
        let object_id = user.object_id.to_string();
        fake.add_user(TENANT, user).expect("user added");
        let (id, url) = save_new(&router, &demo_fields(&upn, &object_id)).await;
        let mut browser = SignInBrowser::new().expect("browser");
        let back = sign_in(&mut browser, &url, &upn, "Postbus-2026").await;
        assert_eq!(
            callback(&router, &back).await.status,
            http::StatusCode::SEE_OTHER
        );
        mailboxes.push((id, upn));
    }
    mailboxes
}

async fn count(db: &DatabaseConnection) -> u64 {
    message::Entity::find().count(db).await.expect("count")
}

async fn per_mailbox(db: &DatabaseConnection) -> HashMap<i32, (u64, u64)> {
    // (rows, distinct keys) per mailbox.
    let rows: Vec<(i32, String)> = message::Entity::find()
        .select_only()
        .column(message::Column::MailboxId)
        .column(message::Column::InternetMessageId)
        .into_tuple()
        .all(db)
        .await
        .expect("messages");
    let mut keys: HashMap<i32, std::collections::HashSet<String>> = HashMap::new();
    let mut counts: HashMap<i32, u64> = HashMap::new();
    for (mailbox, key) in rows {
        *counts.entry(mailbox).or_default() += 1;
        keys.entry(mailbox).or_default().insert(key);
    }
    counts
        .into_iter()
        .map(|(mailbox, n)| (mailbox, (n, keys[&mailbox].len() as u64)))
        .collect()
}

async fn wait_for(what: &str, limit: Duration, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done().await {
        assert!(Instant::now() < deadline, "{what} within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_the_mailboxes_and_take_over_a_killed_ones_leases() {
    let Some(database) = TestDatabase::create(Backend::Postgres).await else {
        eprintln!("mail_multi_instance skipped: TEST_POSTGRES_URL is not set");
        return;
    };
    let db = database.connection();
    let fake: FakeMicrosoft = fake().await;
    let mailboxes = connect_mailboxes(&db, &fake).await;
    fake.clear_records();
    // Slow pages, so the kill lands mid-sync.
    fake.fail(Endpoint::GraphDelta, Fault::Latency { millis: 150 }, None);
    let started = Instant::now();
    let mut first = Instance::start(database.url(), &fake, "first");
    let second = Instance::start(database.url(), &fake, "second");

    // Kill the first instance while it holds leases and mail is still arriving.
    let marker = format!(":{}:", first.pid());
    wait_for(
        "the first instance syncing",
        Duration::from_secs(30),
        async || {
            let held = sync_state::Entity::find()
                .all(&db)
                .await
                .expect("states")
                .iter()
                .any(|s| {
                    s.lease_holder
                        .as_deref()
                        .is_some_and(|h| h.contains(&marker))
                });
            held && count(&db).await > 0
        },
    )
    .await;
    first.kill();
    let killed_at = Utc::now();
    let orphaned: Vec<i32> = sync_state::Entity::find()
        .all(&db)
        .await
        .expect("states")
        .into_iter()
        .filter(|s| {
            s.lease_holder
                .as_deref()
                .is_some_and(|h| h.contains(&marker))
        })
        .map(|s| s.mailbox_id)
        .collect();
    assert!(!orphaned.is_empty(), "the first instance held leases");
    let total = (MAILBOXES * MESSAGES) as u64;
    assert!(count(&db).await < total, "killed mid-sync");

    wait_for("all mail stored", Duration::from_secs(45), async || {
        count(&db).await >= total
    })
    .await;
    // Let a few more rounds run: nothing may be stored twice.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(count(&db).await, total, "every message exactly once");
    let stored = per_mailbox(&db).await;
    for (id, _) in &mailboxes {
        assert_eq!(
            stored.get(id),
            Some(&(MESSAGES as u64, MESSAGES as u64)),
            "mailbox {id}"
        );
    }
    // The killed instance's mailboxes were finished by the other after its lease ran out.
    for id in &orphaned {
        let state = sync_state::Entity::find_by_id(*id)
            .one(&db)
            .await
            .expect("state")
            .expect("a state");
        assert!(
            state.last_success_at.is_some_and(|at| at > killed_at),
            "mailbox {id} finished after the kill"
        );
    }
    for (_, upn) in &mailboxes {
        let concurrency = fake.mailbox_concurrency(upn).expect("a mailbox");
        assert_eq!(
            concurrency.max_in_flight, 1,
            "{upn} synced by one instance at a time"
        );
    }
    eprintln!(
        "mail_multi_instance: {total} messages in {:?}, {} leases taken over",
        started.elapsed(),
        orphaned.len()
    );
    drop(second);
    let _ = tokio::time::timeout(Duration::from_secs(60), database.drop_database()).await;
}
