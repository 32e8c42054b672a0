//! Row 5, sync throughput: 100,000 messages in info@'s inbox in the fake Microsoft (in this
//! process), fetched by one `sync_now` — the "Nu ophalen" of issue 8, product defaults (50
//! per page) — into SQLite and into PostgreSQL. The reference: the same delta pages (same
//! URL, `$select`, page size and token) only downloaded and parsed for their next link,
//! before and after each sync; each sync is compared with the mean of the two around it.
//! Peak RSS is the sync's own: it runs in a child process (`bench sync-worker`), which reports
//! its `VmHWM`, so the fake's 100,000 messages are not counted.

use std::time::{Duration, Instant};

use backend::connect::ensure_fresh_access_token;
use backend::mail::delta::first_url;
use backend::AppState;
use chrono::Utc;
use fake_microsoft::directory::Message;
use fake_microsoft::FakeMicrosoft;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};

use crate::report::{self, Row};
use crate::server_process::own_peak_rss_kib;
use crate::{progress, seed, Result, Settings};

pub const NAME: (u8, &str, &str) = (
    5,
    "Sync: messages/s stored vs downloaded; peak RSS, 100,000 messages",
    "ratio ≥ 0.5, RSS < 150 MB",
);

/// The bench's own PostgreSQL database, dropped and created for every run (rows 5 and 10).
const POSTGRES_DATABASE: &str = "mailboxen_bench";
/// Messages are dated within the last days; the first sync looks back this far.
pub const LOOK_BACK_DAYS: i64 = 30;

/// What a worker reports.
struct Synced {
    stored: usize,
    time: Duration,
    peak_rss_kib: u64,
}

pub async fn run(settings: &Settings) -> Result<Row> {
    let count = settings.sync_messages;
    let dir = settings.work_dir.join("sync");
    std::fs::create_dir_all(&dir)?;
    let fake = FakeMicrosoft::start_demo().await?;
    progress(&format!("row 5: {count} messages into the fake's inbox"));
    deliver(&fake, count)?;

    let (sqlite, url) = seed::fresh_sqlite(&dir.join("sync.db")).await?;
    let (state, mailbox_id) = connected(sqlite, fake.base_url()).await?;
    // The reference is measured before and after each sync, and each sync is compared with
    // the two around it: the machine's speed drifts over a row that takes half a minute.
    let reference = || async {
        progress("row 5: the reference, downloading the pages only");
        let started = Instant::now();
        let downloaded = download(&state, mailbox_id).await?;
        if downloaded != count {
            return Err(format!("downloaded {downloaded} of {count} messages").into());
        }
        Result::Ok(started.elapsed())
    };
    let mut alone = vec![reference().await?];

    progress("row 5: sync into SQLite");
    let on_sqlite = worker(settings, &url, fake.base_url(), mailbox_id).await?;
    alone.push(reference().await?);
    let on_postgres = match fresh_postgres().await {
        Ok((db, url)) => {
            let (_, mailbox_id) = connected(db, fake.base_url()).await?;
            progress("row 5: sync into PostgreSQL");
            let synced = worker(settings, &url, fake.base_url(), mailbox_id).await?;
            alone.push(reference().await?);
            Some(synced)
        }
        Err(error) => {
            progress(&format!("row 5: PostgreSQL unavailable: {error}"));
            None
        }
    };

    let rate = |n: usize, time: Duration| n as f64 / time.as_secs_f64();
    // The reference around the n-th sync: the mean time of the downloads before and after it.
    let around = |n: usize| rate(count, (alone[n] + alone[n + 1]) / 2);
    let runs: Vec<(&str, &Synced)> = [
        ("SQLite", Some(&on_sqlite)),
        ("PostgreSQL", on_postgres.as_ref()),
    ]
    .into_iter()
    .filter_map(|(name, run)| Some((name, run?)))
    .collect();
    let ours = runs
        .iter()
        .map(|(name, run)| {
            format!(
                "{name} {} in {:.1} s = {:.0}/s, peak RSS {:.1} MiB",
                run.stored,
                run.time.as_secs_f64(),
                rate(run.stored, run.time),
                run.peak_rss_kib as f64 / 1024.0
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let ratios: Vec<f64> = runs
        .iter()
        .enumerate()
        .map(|(n, (_, run))| rate(run.stored, run.time) / around(n))
        .collect();
    let complete = runs.iter().all(|(_, run)| run.stored == count) && on_postgres.is_some();
    let fits = runs
        .iter()
        .all(|(_, run)| run.peak_rss_kib * 1024 < 150_000_000);
    let (number, name, goal) = NAME;
    Ok(Row {
        number,
        name,
        ours,
        reference: format!(
            "downloading the same pages only, before and after each sync: {}",
            report::timed_references(count, &alone)
        ),
        ratio: report::named_ratios(runs.iter().map(|(name, _)| *name), &ratios),
        goal,
        met: Some(complete && fits && ratios.iter().all(|ratio| *ratio >= 0.5)),
    })
}

/// Messages per Graph page: the product's default (`MAIL_PAGE_SIZE`), or
/// `BENCH_SYNC_PAGE_SIZE` to see what the page size does.
fn page_size() -> u32 {
    std::env::var("BENCH_SYNC_PAGE_SIZE")
        .ok()
        .and_then(|size| size.trim().parse().ok())
        .unwrap_or_else(|| backend::mail::MailSettings::default().page_size)
}

/// `count` plain-text messages in info@'s inbox, one a minute up to now.
fn deliver(fake: &FakeMicrosoft, count: usize) -> Result<()> {
    let now = Utc::now();
    let mut messages = Vec::with_capacity(count);
    for n in 0..count {
        let received =
            now - chrono::Duration::minutes((count - n) as i64 % (LOOK_BACK_DAYS * 1440 - 60));
        let message: Message = serde_json::from_value(json!({
            "subject": format!("Ledenvergadering {n}"),
            "from": {"name": "Lid", "address": format!("lid{}@example.nl", n % 500)},
            "to": [{"name": "Info", "address": seed::INFO}],
            "received_at": received.to_rfc3339(),
            "body": {"content_type": "text", "content": format!("Bericht {n}: de notulen volgen.")},
        }))?;
        messages.push(message);
    }
    fake.add_messages(seed::INFO, messages)?;
    Ok(())
}

/// A migrated database with a signed-in account and info@ connected for real (sign-in at
/// the fake, callback): the state and the mailbox id.
pub async fn connected(db: DatabaseConnection, fake_url: &str) -> Result<(AppState, i32)> {
    let state = seed::state(db.clone(), fake_url)?;
    let (user_id, _) = seed::signed_in(&db).await?;
    let mailbox_id = super::callback::connect_info(&state, user_id).await?;
    Ok((state, mailbox_id))
}

/// Downloads every page of the first sync as `sync_now` asks for them; the messages seen.
async fn download(state: &AppState, mailbox_id: i32) -> Result<usize> {
    let token: SecretString = ensure_fresh_access_token(state, mailbox_id, Utc::now()).await?;
    let since = Utc::now() - chrono::Duration::days(LOOK_BACK_DAYS);
    let mut next = Some(first_url(&state.microsoft.graph_url, seed::INFO_ID, since));
    let page_size = page_size();
    let mut messages = 0;
    while let Some(url) = next {
        let page: Value = state
            .http
            .get(&url)
            .bearer_auth(token.expose_secret())
            .header("Prefer", format!("odata.maxpagesize={page_size}"))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        messages += page["value"].as_array().map_or(0, Vec::len);
        next = page["@odata.nextLink"].as_str().map(str::to_owned);
    }
    Ok(messages)
}

/// A fresh, migrated PostgreSQL database next to the tests' (`TEST_POSTGRES_URL`'s server).
pub async fn fresh_postgres() -> Result<(DatabaseConnection, String)> {
    let tests = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/mailboxen_test".into());
    let server = tests
        .rsplit_once('/')
        .map_or(tests.as_str(), |(server, _)| server);
    let admin = Database::connect(format!("{server}/postgres")).await?;
    admin
        .execute_unprepared(&format!(
            "DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)"
        ))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {POSTGRES_DATABASE}"))
        .await?;
    admin.close().await?;
    let url = format!("{server}/{POSTGRES_DATABASE}");
    let db = server::db::connect_and_migrate(&url).await?;
    Ok((db, url))
}

/// Runs the sync in a child process and reads its report.
async fn worker(
    settings: &Settings,
    db_url: &str,
    fake_url: &str,
    mailbox_id: i32,
) -> Result<Synced> {
    let args = ["sync-worker", db_url, fake_url, &mailbox_id.to_string()];
    let fields = crate::worker::report(settings, args.map(str::to_owned).to_vec()).await?;
    match fields.as_slice() {
        [stored, seconds, rss] => Ok(Synced {
            stored: stored.parse()?,
            time: Duration::from_secs_f64(seconds.parse()?),
            peak_rss_kib: rss.parse()?,
        }),
        _ => Err(format!("unexpected sync worker report: {fields:?}").into()),
    }
}

/// `bench sync-worker <database-url> <fake-url> <mailbox-id>`: one `sync_now`, then prints
/// "stored seconds peak-rss-kib".
pub async fn worker_main(args: &[String]) -> Result<()> {
    let [db_url, fake_url, mailbox_id] = args else {
        return Err("usage: bench sync-worker <database-url> <fake-url> <mailbox-id>".into());
    };
    let db = server::db::connect_and_migrate(db_url).await?;
    let mut state = seed::state(db, fake_url)?;
    state.mail.first_sync_since = Some(Utc::now() - chrono::Duration::days(LOOK_BACK_DAYS));
    state.mail.page_size = page_size();
    let started = Instant::now();
    let report = backend::mail::sync_now(&state, mailbox_id.parse()?).await?;
    let time = started.elapsed();
    println!(
        "{} {} {}",
        report.new_messages,
        time.as_secs_f64(),
        own_peak_rss_kib()
    );
    Ok(())
}
