//! Storing a delta page: its new messages with their attachments, its removals, and the link
//! to go on from, in ONE transaction — a sync that fails half-way resumes from the last
//! stored page, without losing or duplicating anything (the unique index on
//! `(mailbox_id, graph_id)`, Graph's immutable id, skips or refuses what is stored already).
//! Each message is normalised for every database first (`normalise`); one the database still
//! refuses is rolled back on its own savepoint and quarantined (`quarantine`), and the page,
//! with its link, is stored without it (issue 21).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend,
    DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use super::attachments::FetchedAttachment;
use super::content;
use super::delta::{IncomingMessage, NextLink};
use super::error::SyncError;
use super::lease::SYNC_LEASE;
use super::normalise;
use super::quarantine::{self, Quarantined, Reason};
use super::sanitize::display_body;
use crate::entities::{
    mail_attachment as attachment, mail_message as message, mail_sync_state as sync_state,
};

/// A new message and its attachments, ready to store.
pub struct NewMessage {
    pub message: IncomingMessage,
    pub attachments: Vec<FetchedAttachment>,
}

/// What storing a page changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageCounts {
    pub new: usize,
    pub removed: usize,
    /// Messages skipped into the quarantine.
    pub quarantined: usize,
}

/// A page ready to store.
pub struct PageToStore<'a> {
    /// The page's messages to store, each Graph id once.
    pub new: Vec<NewMessage>,
    /// Rows stored before immutable ids, or fetched over IMAP before the mailbox switched to
    /// Microsoft Api, that a listed message takes over:
    /// (row id, immutable id); see [`sort_listed`].
    pub adopted: Vec<(i32, String)>,
    /// Messages skipped before storing (Graph no longer had them).
    pub quarantined: Vec<Quarantined>,
    /// Graph ids reported `@removed`.
    pub removed: &'a [String],
    pub next: &'a NextLink,
}

/// What the database already holds of a page's messages.
#[derive(Debug, Default)]
pub struct Listed {
    /// Graph ids not stored yet (each once).
    pub new: HashSet<String>,
    /// Graph id → the row stored under Graph's old, mutable id that it takes over.
    pub adopt: HashMap<String, i32>,
}

/// Sorts a page's messages: stored already (by immutable id), stored before immutable ids
/// (a row with `graph_id_immutable` false, the same Message-ID *and* the same receive time:
/// Exchange sets that, not the sender, so a pre-empted Message-ID is not taken for the real
/// message), or new.
pub async fn sort_listed(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    messages: &[IncomingMessage],
) -> Result<Listed, DbErr> {
    if messages.is_empty() {
        return Ok(Listed::default());
    }
    let ids: Vec<String> = messages.iter().map(|m| m.graph_id.clone()).collect();
    let stored: HashSet<String> = message::Entity::find()
        .select_only()
        .column(message::Column::GraphId)
        .filter(message::Column::MailboxId.eq(mailbox_id))
        .filter(message::Column::GraphId.is_in(ids))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let rest: Vec<&IncomingMessage> = messages
        .iter()
        .filter(|m| !stored.contains(&m.graph_id))
        .collect();
    // One query for both kinds of row a message may take over: one stored before immutable
    // ids, and one fetched over IMAP before the mailbox switched (see `taken_over`).
    let (mut legacy, mut fetched_over_imap) = taken_over(db, mailbox_id, &rest).await?;
    let mut listed = Listed::default();
    for m in rest {
        if listed.new.contains(&m.graph_id) || listed.adopt.contains_key(&m.graph_id) {
            continue;
        }
        let same = legacy
            .iter()
            .position(|(_, key, at)| *key == m.internet_message_id && Some(*at) == m.received_at);
        // Two messages fetched over IMAP with one Message-ID are two messages; a message
        // without one matches nothing.
        let over_imap = || {
            if m.graph_id.starts_with(IMAP_KEY_PREFIX) || m.internet_message_id.is_empty() {
                return None;
            }
            fetched_over_imap
                .iter()
                .position(|(_, key)| *key == m.internet_message_id)
        };
        match (same, over_imap()) {
            (Some(index), _) => {
                let (row, _, _) = legacy.swap_remove(index);
                listed.adopt.insert(m.graph_id.clone(), row);
            }
            (None, Some(index)) => {
                let (row, _) = fetched_over_imap.swap_remove(index);
                listed.adopt.insert(m.graph_id.clone(), row);
            }
            (None, None) => {
                listed.new.insert(m.graph_id.clone());
            }
        }
    }
    Ok(listed)
}

/// The start of the key of a message fetched over IMAP (`imap:{folder}:{uidvalidity}:{uid}`,
/// `mail::imap_fetch`); Graph's ids never start so.
pub const IMAP_KEY_PREFIX: &str = "imap:";

/// The rows with the Message-ID of one of `messages` that a message may take over, in one
/// query: rows stored before immutable ids (`graph_id_immutable` false: id, Message-ID and
/// receive time), and rows fetched over IMAP (id and Message-ID). A mailbox that switched
/// from IMAP to Microsoft Api (issue 23) lists its mail again on its first Graph sync, which
/// takes those rows over instead of storing them twice; the Message-ID is the only key the
/// two share (IMAP's receive time is the server's, not Exchange's).
async fn taken_over(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    messages: &[&IncomingMessage],
) -> Result<(Vec<(i32, String, DateTime<Utc>)>, Vec<(i32, String)>), DbErr> {
    if messages.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let keys: Vec<String> = messages
        .iter()
        .map(|m| m.internet_message_id.clone())
        .collect();
    let rows: Vec<(i32, String, DateTime<Utc>, bool, String)> = message::Entity::find()
        .select_only()
        .column(message::Column::Id)
        .column(message::Column::InternetMessageId)
        .column(message::Column::ReceivedAt)
        .column(message::Column::GraphIdImmutable)
        .column(message::Column::GraphId)
        .filter(message::Column::MailboxId.eq(mailbox_id))
        .filter(message::Column::InternetMessageId.is_in(keys))
        .filter(
            Condition::any()
                .add(message::Column::GraphIdImmutable.eq(false))
                .add(message::Column::GraphId.starts_with(IMAP_KEY_PREFIX)),
        )
        .order_by_asc(message::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut legacy = Vec::new();
    let mut over_imap = Vec::new();
    for (id, key, received_at, immutable, graph_id) in rows {
        if graph_id.starts_with(IMAP_KEY_PREFIX) {
            over_imap.push((id, key));
        } else if !immutable {
            legacy.push((id, key, received_at));
        }
    }
    Ok((legacy, over_imap))
}

/// PostgreSQL plans the per-page lookups (`sort_listed`, `taken_over`) by the message
/// table's statistics. A first sync of a large mailbox is a bulk load: until the next
/// ANALYZE (autovacuum's, a minute apart at best, never where it is off) the planner takes
/// the table for nearly empty and reads all of the mailbox's rows on every page — measured
/// (bench row 5, autovacuum off): 57 s instead of about 10 for 100,000 messages, 31 ms per
/// lookup against 1 ms. One ANALYZE when a run passes `threshold` new messages is enough for
/// the rest of the run: the planner scales the statistics with the table's size. A failure
/// is logged, not the sync's: the lookups are only slower without it.
pub async fn analyze_after_bulk(
    db: &impl ConnectionTrait,
    threshold: usize,
    stored_before: usize,
    stored_after: usize,
) {
    if db.get_database_backend() != DatabaseBackend::Postgres
        || !(stored_before < threshold && stored_after >= threshold)
    {
        return;
    }
    if let Err(error) = db.execute_unprepared("ANALYZE mail_messages").await {
        tracing::warn!(%error, "refreshing the message table's statistics failed");
    }
}

/// The page as one transaction, under the lease of `holder` (renewed until `lease_until`).
/// Any message stored already is skipped (on MariaDB the caller left those out: see
/// `sync::prepare_page`).
pub async fn store_page(
    db: &(impl ConnectionTrait + TransactionTrait),
    mailbox_id: i32,
    holder: &str,
    page: PageToStore<'_>,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<PageCounts, SyncError> {
    let PageToStore {
        new: messages,
        adopted,
        mut quarantined,
        removed,
        next,
    } = page;
    let backend = db.get_database_backend();
    let txn = db.begin().await?;
    if backend == DatabaseBackend::Postgres {
        // The commit need not wait for the WAL to reach the disk. A crash may then lose the
        // last pages stored (never half of one: the database stays consistent); the stored
        // resume link is then the one before them, so the next sync fetches them again, and
        // the unique key keeps what survived from being stored twice.
        // And the page's writes may run on a generic plan: the connection plans every
        // statement for its values (`server::db`), which for the multi-row insert meant
        // planning 700 parameters on every page; an insert and an update by key gain
        // nothing from a custom plan. The removals set it back (below).
        txn.execute_unprepared(
            "SET LOCAL synchronous_commit = off; SET LOCAL plan_cache_mode = auto",
        )
        .await?;
    }
    // The lease check and the sync state's update in one statement: it matches only while
    // `holder` holds the lease, and from then on the row is ours until the commit (a row
    // lock on PostgreSQL and MariaDB, the write lock on SQLite), so an instance taking the
    // mailbox over waits for this page or finds the lease renewed.
    if !save_progress(&txn, mailbox_id, holder, next, now, lease_until).await? {
        txn.rollback().await?;
        return Err(SyncError::LeaseLost(mailbox_id));
    }
    for (row, graph_id) in adopted {
        message::Entity::update_many()
            .col_expr(message::Column::GraphId, Expr::value(graph_id))
            .col_expr(message::Column::GraphIdImmutable, Expr::value(true))
            .filter(message::Column::Id.eq(row))
            .filter(
                Condition::any()
                    .add(message::Column::GraphIdImmutable.eq(false))
                    .add(message::Column::GraphId.starts_with(IMAP_KEY_PREFIX)),
            )
            .exec(&txn)
            .await?;
    }
    let mut counts = PageCounts::default();
    let mut plain = Vec::new();
    let mut stored_ids = Vec::new();
    for new in messages {
        if new.message.graph_id.chars().count() > normalise::SHORT_MAX_CHARS {
            // Truncating the key would make it another message's; nothing to do but skip.
            quarantined.push(Quarantined::of(
                &new.message,
                Reason::IdTooLong,
                format!("{} characters", new.message.graph_id.chars().count()),
            ));
        } else if new.attachments.is_empty() {
            plain.push(new.message);
        } else {
            let listed = (new.message.graph_id.clone(), new.message.subject.clone());
            let savepoint = txn.begin().await?;
            match insert_with_attachments(&savepoint, mailbox_id, new, now).await {
                Ok(()) => {
                    savepoint.commit().await?;
                    counts.new += 1;
                    stored_ids.push(listed.0);
                }
                Err(error) => {
                    savepoint.rollback().await?;
                    quarantined.push(refused(listed, &error));
                }
            }
        }
    }
    if !plain.is_empty() {
        stored_ids.extend(plain.iter().map(|m| m.graph_id.clone()));
        counts.new += insert_plain(&txn, mailbox_id, plain, now, &mut quarantined).await?;
    }
    if backend == DatabaseBackend::Postgres && !removed.is_empty() {
        // The removals search the mailbox's messages by Graph id: planned for their values,
        // as everywhere else, so a plan made while the table was small is never reused.
        txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan")
            .await?;
    }
    counts.removed = mark_removed(&txn, mailbox_id, removed, now).await?;
    let skipped: HashSet<&str> = quarantined.iter().map(|q| q.graph_id.as_str()).collect();
    stored_ids.retain(|id| !skipped.contains(id.as_str()));
    quarantine::release(&txn, mailbox_id, stored_ids).await?;
    counts.quarantined = quarantined.len();
    quarantine::record(&txn, mailbox_id, quarantined, now).await?;
    super::progress::add_stored(&txn, mailbox_id, counts.new).await?;
    txn.commit().await?;
    Ok(counts)
}

/// Messages without attachments need no id back: one statement for all of them, on a
/// savepoint; when the database refuses it, one savepoint per message, so only the message
/// it refuses is quarantined. The messages stored (not counting those stored already).
async fn insert_plain(
    txn: &(impl ConnectionTrait + TransactionTrait),
    mailbox_id: i32,
    plain: Vec<IncomingMessage>,
    now: DateTime<Utc>,
    quarantined: &mut Vec<Quarantined>,
) -> Result<usize, DbErr> {
    let listed: Vec<(String, String)> = plain
        .iter()
        .map(|m| (m.graph_id.clone(), m.subject.clone()))
        .collect();
    let models: Vec<message::ActiveModel> = plain
        .into_iter()
        .map(|m| message_model(mailbox_id, m, now))
        .collect();
    let savepoint = txn.begin().await?;
    match insert_many(&savepoint, models.clone()).await {
        Ok(stored) => {
            savepoint.commit().await?;
            return Ok(stored);
        }
        Err(error) => {
            savepoint.rollback().await?;
            tracing::info!(mailbox_id, %error, "a page's messages refused together; one by one");
        }
    }
    let mut stored = 0;
    for (model, message) in models.into_iter().zip(listed) {
        let savepoint = txn.begin().await?;
        match insert_many(&savepoint, vec![model]).await {
            Ok(one) => {
                savepoint.commit().await?;
                stored += one;
            }
            Err(error) => {
                savepoint.rollback().await?;
                quarantined.push(refused(message, &error));
            }
        }
    }
    Ok(stored)
}

/// Inserts `models`; how many were new. Already stored (a page fetched again after a failure
/// or a lost delta token): skipped by the unique index, and not counted — except on MariaDB,
/// which has no `ON CONFLICT … DO NOTHING` that counts, where the caller left them out.
async fn insert_many(
    db: &impl ConnectionTrait,
    models: Vec<message::ActiveModel>,
) -> Result<usize, DbErr> {
    let listed = models.len();
    let insert = message::Entity::insert_many(models);
    if db.get_database_backend() == DatabaseBackend::MySql {
        insert.exec_without_returning(db).await?;
        return Ok(listed);
    }
    let inserted = insert
        .on_conflict(
            OnConflict::columns([message::Column::MailboxId, message::Column::GraphId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(usize::try_from(inserted).unwrap_or(listed))
}

/// The quarantine entry of a message the database refused, with what it said.
fn refused((graph_id, subject): (String, String), error: &DbErr) -> Quarantined {
    Quarantined {
        graph_id,
        subject: Some(subject).filter(|s| !s.is_empty()),
        reason: Reason::Refused,
        detail: Some(error.to_string()),
    }
}

/// Stores where the sync goes on (the next page's link, or the delta link at the end of a
/// round) and renews the lease, if `holder` still holds it; false when it does not.
async fn save_progress(
    txn: &impl ConnectionTrait,
    mailbox_id: i32,
    holder: &str,
    next: &NextLink,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let (delta_link, resume_link) = match next {
        NextLink::More(link) => (None, Some(link.as_str())),
        NextLink::Done(link) => (Some(link.as_str()), None),
    };
    let mut update = SYNC_LEASE
        .renewing(mailbox_id, holder, lease_until)
        .col_expr(sync_state::Column::ResumeLink, Expr::value(resume_link))
        .col_expr(sync_state::Column::LastFetchedAt, Expr::value(now));
    if let Some(link) = delta_link {
        update = update.col_expr(sync_state::Column::DeltaLink, Expr::value(link));
    }
    let result = update.exec(txn).await?;
    // MariaDB counts matched rows, not changed ones (sqlx connects with CLIENT_FOUND_ROWS).
    Ok(result.rows_affected == 1)
}

/// The row of a message, every field normalised to fit every database (`normalise`).
fn message_model(mailbox_id: i32, m: IncomingMessage, now: DateTime<Utc>) -> message::ActiveModel {
    use normalise::{bytes, chars, without_nul, ADDRESS_MAX_CHARS, SHORT_MAX_CHARS};
    let (body_is_html, body) = display_body(&m.body_content_type, without_nul(m.body));
    let json = |list: Vec<String>| {
        let list: Vec<String> = list.into_iter().map(without_nul).collect();
        serde_json::to_string(&list).unwrap_or_else(|_| "[]".into())
    };
    message::ActiveModel {
        mailbox_id: Set(mailbox_id),
        from_address: Set(chars(m.from_address, ADDRESS_MAX_CHARS)),
        from_name: Set(m.from_name.map(|n| chars(n, SHORT_MAX_CHARS))),
        to_addresses: Set(json(m.to)),
        cc_addresses: Set(json(m.cc)),
        graph_id: Set(m.graph_id),
        graph_id_immutable: Set(true),
        internet_message_id: Set(chars(m.internet_message_id, SHORT_MAX_CHARS)),
        subject: Set(bytes(m.subject, normalise::SUBJECT_MAX_BYTES)),
        received_at: Set(normalise::received_at(m.received_at, now)),
        body_is_html: Set(body_is_html),
        body: Set(without_nul(body)),
        has_attachments: Set(m.has_attachments),
        removed_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
}

async fn insert_with_attachments(
    txn: &impl ConnectionTrait,
    mailbox_id: i32,
    new: NewMessage,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let stored = message_model(mailbox_id, new.message, now)
        .insert(txn)
        .await?;
    for file in new.attachments {
        let in_chunks = file.content.is_some();
        // Not read back: only its id.
        let row = attachment::Entity::insert(attachment::ActiveModel {
            message_id: Set(stored.id),
            name: Set(normalise::chars(file.name, normalise::SHORT_MAX_CHARS)),
            content_type: Set(normalise::chars(
                file.content_type,
                normalise::SHORT_MAX_CHARS,
            )),
            size: Set(file.size),
            content: Set(None),
            skipped_reason: Set(file.skipped.map(|r| r.as_str().to_string())),
            content_in_chunks: Set(in_chunks),
            ..Default::default()
        })
        .exec(txn)
        .await?;
        if let Some(content) = file.content {
            content::store(txn, row.last_insert_id, content, now).await?;
        }
    }
    Ok(())
}

async fn mark_removed(
    txn: &impl ConnectionTrait,
    mailbox_id: i32,
    graph_ids: &[String],
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    if graph_ids.is_empty() {
        return Ok(0);
    }
    let result = message::Entity::update_many()
        .col_expr(message::Column::RemovedAt, Expr::value(now))
        .filter(message::Column::MailboxId.eq(mailbox_id))
        .filter(message::Column::GraphId.is_in(graph_ids.to_vec()))
        .filter(message::Column::RemovedAt.is_null())
        .exec(txn)
        .await?;
    Ok(usize::try_from(result.rows_affected).unwrap_or(usize::MAX))
}

/// Forgets the delta and resume links (Graph lost the sync state): the next page request
/// starts a new round; the unique key keeps what is stored from being stored twice.
pub async fn forget_links(db: &impl ConnectionTrait, mailbox_id: i32) -> Result<(), DbErr> {
    sync_state::Entity::update_many()
        .col_expr(
            sync_state::Column::DeltaLink,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            sync_state::Column::ResumeLink,
            Expr::value(Option::<String>::None),
        )
        .filter(sync_state::Column::MailboxId.eq(mailbox_id))
        .exec(db)
        .await?;
    Ok(())
}
