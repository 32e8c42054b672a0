//! Storing a delta page: its new messages with their attachments, its removals, and the link
//! to go on from, in ONE transaction — a sync that fails half-way resumes from the last
//! stored page, without losing or duplicating anything (the unique index on
//! `(mailbox_id, internet_message_id)` skips or refuses what is stored already).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr,
    EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};

use super::attachments::FetchedAttachment;
use super::delta::{IncomingMessage, NextLink};
use super::error::SyncError;
use super::lease::SYNC_LEASE;
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
}

/// Of `keys`, those not stored yet for the mailbox (each once, in order).
pub async fn absent_keys(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    keys: &[String],
) -> Result<Vec<String>, DbErr> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let stored: HashSet<String> = message::Entity::find()
        .select_only()
        .column(message::Column::InternetMessageId)
        .filter(message::Column::MailboxId.eq(mailbox_id))
        .filter(message::Column::InternetMessageId.is_in(keys.to_vec()))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut seen = HashSet::new();
    Ok(keys
        .iter()
        .filter(|key| !stored.contains(*key) && seen.insert((*key).clone()))
        .cloned()
        .collect())
}

/// The page as one transaction, under the lease of `holder` (renewed until `lease_until`).
/// `messages` are the page's messages to store, each key once; any of them stored already
/// is skipped (on MariaDB the caller left those out: see `sync::prepare_page`).
pub async fn store_page(
    db: &(impl ConnectionTrait + TransactionTrait),
    mailbox_id: i32,
    holder: &str,
    page: (Vec<NewMessage>, &[String], &NextLink),
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<PageCounts, SyncError> {
    let (messages, removed, next) = page;
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
    let mut counts = PageCounts::default();
    let mut plain = Vec::new();
    for new in messages {
        if new.attachments.is_empty() {
            plain.push(message_model(mailbox_id, new.message, now));
        } else {
            insert_with_attachments(&txn, mailbox_id, new, now).await?;
            counts.new += 1;
        }
    }
    // Messages without attachments need no id back: one statement for all of them.
    if !plain.is_empty() {
        let listed = plain.len();
        let insert = message::Entity::insert_many(plain);
        counts.new += if backend == DatabaseBackend::MySql {
            insert.exec_without_returning(&txn).await?;
            listed
        } else {
            // Already stored (a page fetched again after a failure or a lost delta token):
            // skipped by the unique index, and not counted.
            let inserted = insert
                .on_conflict(
                    OnConflict::columns([
                        message::Column::MailboxId,
                        message::Column::InternetMessageId,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
            usize::try_from(inserted).unwrap_or(listed)
        };
    }
    if backend == DatabaseBackend::Postgres && !removed.is_empty() {
        // The removals search the mailbox's messages by Graph id: planned for their values,
        // as everywhere else, so a plan made while the table was small is never reused.
        txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan")
            .await?;
    }
    counts.removed = mark_removed(&txn, mailbox_id, removed, now).await?;
    super::progress::add_stored(&txn, mailbox_id, counts.new).await?;
    txn.commit().await?;
    Ok(counts)
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

fn message_model(mailbox_id: i32, m: IncomingMessage, now: DateTime<Utc>) -> message::ActiveModel {
    let (body_is_html, body) = display_body(&m.body_content_type, m.body);
    let json = |list: &[String]| serde_json::to_string(list).unwrap_or_else(|_| "[]".into());
    message::ActiveModel {
        mailbox_id: Set(mailbox_id),
        from_address: Set(truncated(m.from_address, 320)),
        from_name: Set(m.from_name.map(|n| truncated(n, 255))),
        to_addresses: Set(json(&m.to)),
        cc_addresses: Set(json(&m.cc)),
        graph_id: Set(m.graph_id),
        internet_message_id: Set(m.key),
        subject: Set(m.subject),
        received_at: Set(m.received_at),
        body_is_html: Set(body_is_html),
        body: Set(body),
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
        // Not read back: the content would be returned and held twice.
        attachment::Entity::insert(attachment::ActiveModel {
            message_id: Set(stored.id),
            name: Set(truncated(file.name, 255)),
            content_type: Set(truncated(file.content_type, 255)),
            size: Set(file.size),
            content: Set(file.content),
            skipped_reason: Set(file.skipped.map(|r| r.as_str().to_string())),
            ..Default::default()
        })
        .exec_without_returning(txn)
        .await?;
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

/// At most `max` characters (the column's length).
fn truncated(mut text: String, max: usize) -> String {
    if let Some((end, _)) = text.char_indices().nth(max) {
        text.truncate(end);
    }
    text
}
