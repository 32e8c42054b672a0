//! Row 10, IMAP fetch throughput (issue 23): `count` messages in a folder of alice's on the
//! test Dovecot (`scripts/mailservers.sh`, which `make bench` starts), fetched by one
//! `sync_now` of an IMAP mailbox — the "Nu ophalen" of an IMAP mailbox, product defaults —
//! into SQLite and into PostgreSQL. The reference: a plain IMAP client reading the same
//! folder over the same kind of connection, one `UID FETCH 1:* BODY.PEEK[]` whose bodies are
//! counted and dropped, before and after each sync; each sync is compared with the mean of
//! the two around it (as row 5).

use std::time::{Duration, Instant};

use backend::cipher::SecretColumn;
use backend::entities::{mail_message, mailbox};
use backend::mailboxes::{self, NewMailbox};
use backend::mailserver::imap::open;
use backend::mailserver::{Endpoint, TlsRoots};
use backend::AppState;
use futures_util::TryStreamExt;
use rules::validation::Encryption;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter,
};
use secrecy::SecretString;

use crate::report::{self, Row};
use crate::{progress, seed, Result, Settings};

/// Issue 23 asks for the number beside the plain client, not for a ratio: the plain client
/// only counts bytes, where a sync parses, sanitises and stores each message.
pub const NAME: (u8, &str, &str) = (
    10,
    "IMAP: messages/s fetched from Dovecot and stored vs a plain IMAP client",
    "shown beside the plain client; every message stored once",
);

const USER: &str = "alice@example.test";
const PASSWORD: &str = "geheim";

/// The test Dovecot, as `scripts/mailservers.sh env` names it.
struct Dovecot {
    endpoint: Endpoint,
    roots: TlsRoots,
}

fn dovecot() -> Result<Dovecot> {
    let var = |name: &str| {
        std::env::var(name)
            .map_err(|_| format!("{name} is not set: `scripts/mailservers.sh start` first"))
    };
    Ok(Dovecot {
        endpoint: Endpoint {
            host: var("TEST_MAIL_HOST")?,
            port: var("TEST_IMAPS_PORT")?.parse()?,
            encryption: Some(Encryption::Ssl),
        },
        roots: TlsRoots::from_pem_file(&var("TEST_MAIL_CA_FILE")?)?,
    })
}

pub async fn run(settings: &Settings) -> Result<Row> {
    let count = settings.imap_messages;
    let dovecot = dovecot()?;
    // A folder per count: a second run finds it filled and starts at once.
    let folder = format!("bench-{count}");
    fill(&dovecot, &folder, count).await?;
    let dir = settings.work_dir.join("imap");
    std::fs::create_dir_all(&dir)?;

    let reference = || async {
        progress("row 10: the reference, a plain IMAP client");
        let started = Instant::now();
        let read = plain_read(&dovecot, &folder).await?;
        if read != count {
            return Err(format!("read {read} of {count} messages").into());
        }
        Result::Ok(started.elapsed())
    };
    // Dovecot builds its cache of a folder on the first read after the appends (measured:
    // that read takes 3–5 times as long as the next); that read is not the reference.
    plain_read(&dovecot, &folder).await?;
    let mut alone = vec![reference().await?];
    let (sqlite, _) = seed::fresh_sqlite(&dir.join("imap.db")).await?;
    progress("row 10: sync into SQLite");
    let on_sqlite = sync(sqlite, &dovecot, &folder).await?;
    alone.push(reference().await?);
    let on_postgres = match super::sync::fresh_postgres().await {
        Ok((db, _)) => {
            progress("row 10: sync into PostgreSQL");
            let synced = sync(db, &dovecot, &folder).await?;
            alone.push(reference().await?);
            Some(synced)
        }
        Err(error) => {
            progress(&format!("row 10: PostgreSQL unavailable: {error}"));
            None
        }
    };

    let rate = |n: usize, time: Duration| n as f64 / time.as_secs_f64();
    let around = |n: usize| rate(count, (alone[n] + alone[n + 1]) / 2);
    let runs: Vec<(&str, (usize, Duration))> =
        [("SQLite", Some(on_sqlite)), ("PostgreSQL", on_postgres)]
            .into_iter()
            .filter_map(|(name, run)| Some((name, run?)))
            .collect();
    let ours = runs
        .iter()
        .map(|(name, (stored, time))| {
            format!(
                "{name} {stored} in {:.1} s = {:.0}/s",
                time.as_secs_f64(),
                rate(*stored, *time)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let ratios: Vec<f64> = runs
        .iter()
        .enumerate()
        .map(|(n, (_, (stored, time)))| rate(*stored, *time) / around(n))
        .collect();
    let complete = runs.iter().all(|(_, (stored, _))| *stored == count) && runs.len() == 2;
    let (number, name, goal) = NAME;
    Ok(Row {
        number,
        name,
        ours,
        reference: format!(
            "one UID FETCH of the same messages, before and after each sync: {}",
            report::timed_references(count, &alone)
        ),
        ratio: report::named_ratios(runs.iter().map(|(name, _)| *name), &ratios),
        goal,
        met: Some(complete),
    })
}

/// `count` messages in `folder`, appended when the folder does not hold exactly that many.
async fn fill(dovecot: &Dovecot, folder: &str, count: usize) -> Result<()> {
    let password = SecretString::from(PASSWORD.to_string());
    let (mut session, _) =
        open(&dovecot.endpoint, &dovecot.roots, USER, &password, "INBOX").await?;
    if let Ok(found) = session.examine(folder).await {
        if found.exists as usize == count {
            let _ = session.logout().await;
            return Ok(());
        }
        session.select("INBOX").await?;
        session.delete(folder).await?;
    }
    session.create(folder).await?;
    progress(&format!("row 10: {count} messages into Dovecot's {folder}"));
    for n in 0..count {
        session.append(folder, None, None, message(n)).await?;
    }
    let _ = session.logout().await;
    Ok(())
}

/// A member's mail as a cooperative receives it: text and HTML, about 3 KB.
fn message(n: usize) -> String {
    let paragraph = "De ledenvergadering is op donderdag in het dorpshuis. Op de agenda staan \
                     de jaarcijfers, de nieuwe zonnevelden en de verkiezing van het bestuur. ";
    let text = paragraph.repeat(8);
    format!(
        "From: Lid {m} <lid{m}@example.nl>\r\nTo: alice@example.test\r\n\
         Subject: Ledenvergadering {n}\r\nMessage-ID: <bench-{n}@example.nl>\r\n\
         Date: Thu, 3 Dec 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/alternative; boundary=grens\r\n\r\n\
         --grens\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n\
         --grens\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>{text}</p>\r\n--grens--\r\n",
        m = n % 500
    )
}

/// The reference: every message of the folder read in one command; the number read.
async fn plain_read(dovecot: &Dovecot, folder: &str) -> Result<usize> {
    let password = SecretString::from(PASSWORD.to_string());
    let (mut session, _) = open(&dovecot.endpoint, &dovecot.roots, USER, &password, folder).await?;
    let mut read = 0;
    let mut bytes = 0;
    {
        let mut fetches = session
            .uid_fetch("1:*", "(UID FLAGS INTERNALDATE BODY.PEEK[])")
            .await?;
        while let Some(fetch) = fetches.try_next().await? {
            read += 1;
            bytes += fetch.body().map_or(0, <[u8]>::len);
        }
    }
    if bytes == 0 {
        return Err("the plain client read no bodies".into());
    }
    let _ = session.logout().await;
    Ok(read)
}

/// An IMAP mailbox for `folder` in `db`, fetched by one `sync_now`: stored and time taken
/// (an error when the rows stored are not the messages reported new).
async fn sync(
    db: DatabaseConnection,
    dovecot: &Dovecot,
    folder: &str,
) -> Result<(usize, Duration)> {
    let mut state: AppState = seed::state(db.clone(), "http://127.0.0.1:9")?;
    state.mail.tls_roots = dovecot.roots.clone();
    let id = imap_mailbox(&state, dovecot, folder).await?;
    let started = Instant::now();
    let report = backend::mail::sync_now(&state, id).await?;
    let time = started.elapsed();
    let rows = mail_message::Entity::find()
        .filter(mail_message::Column::MailboxId.eq(id))
        .count(&state.db)
        .await?;
    if rows != report.new_messages as u64 {
        return Err(format!("{} reported new, {rows} rows stored", report.new_messages).into());
    }
    Ok((report.new_messages, time))
}

async fn imap_mailbox(state: &AppState, dovecot: &Dovecot, folder: &str) -> Result<i32> {
    let id = mailboxes::insert(
        &state.db,
        NewMailbox {
            name: "Bench IMAP".into(),
            email: USER.into(),
            incoming_server_type: "imap".into(),
            outgoing_server_type: "smtp".into(),
            is_active: true,
            is_primary: false,
        },
    )
    .await?;
    let password = state
        .cipher
        .encrypt(PASSWORD, SecretColumn::MailboxPassword)?;
    mailbox::ActiveModel {
        id: Set(id),
        imap_host: Set(Some(dovecot.endpoint.host.clone())),
        imap_port: Set(Some(i32::from(dovecot.endpoint.port))),
        imap_encryption: Set(Some("ssl".into())),
        imap_inbox_prefix: Set(Some(folder.to_string())),
        username: Set(Some(USER.into())),
        password_encrypted: Set(Some(password)),
        ..Default::default()
    }
    .update(&state.db)
    .await?;
    Ok(id)
}
