//! Storing a delta page: its new messages with their attachments, its removals, and the link
//! to go on from, in ONE transaction — a sync that fails half-way resumes from the last
//! stored page, without losing or duplicating anything.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr,
    EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};

use super::attachments::FetchedAttachment;
use super::delta::{IncomingMessage, NextLink};
use super::error::SyncError;
use super::sanitize::display_body;
use crate::server::entities::{
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
pub async fn store_page(
    db: &(impl ConnectionTrait + TransactionTrait),
    mailbox_id: i32,
    holder: &str,
    page: (&[NewMessage], &[String], &NextLink),
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<PageCounts, SyncError> {
    let (messages, removed, next) = page;
    let txn = db.begin().await?;
    let mut select = sync_state::Entity::find_by_id(mailbox_id);
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        select = select.lock_exclusive();
    }
    let held = select
        .one(&txn)
        .await?
        .is_some_and(|row| row.lease_holder.as_deref() == Some(holder));
    if !held {
        txn.rollback().await?;
        return Err(SyncError::LeaseLost(mailbox_id));
    }
    // Checked again inside the transaction: insert only what is absent.
    let keys: Vec<String> = messages.iter().map(|m| m.message.key.clone()).collect();
    let absent: HashSet<String> = absent_keys(&txn, mailbox_id, &keys)
        .await?
        .into_iter()
        .collect();
    let mut counts = PageCounts::default();
    let mut inserted = HashSet::new();
    let mut plain = Vec::new();
    for new in messages {
        if absent.contains(&new.message.key) && inserted.insert(new.message.key.clone()) {
            counts.new += 1;
            if new.attachments.is_empty() {
                plain.push(message_model(mailbox_id, new, now));
            } else {
                insert_with_attachments(&txn, mailbox_id, new, now).await?;
            }
        }
    }
    // Messages without attachments need no id back: one statement for all of them.
    if !plain.is_empty() {
        message::Entity::insert_many(plain).exec(&txn).await?;
    }
    counts.removed = mark_removed(&txn, mailbox_id, removed, now).await?;
    let (delta_link, resume_link) = match next {
        NextLink::More(link) => (None, Some(link.clone())),
        NextLink::Done(link) => (Some(link.clone()), None),
    };
    let mut update = sync_state::Entity::update_many()
        .col_expr(sync_state::Column::ResumeLink, Expr::value(resume_link))
        .col_expr(sync_state::Column::LeaseUntil, Expr::value(lease_until))
        .col_expr(sync_state::Column::LastFetchedAt, Expr::value(now));
    if let Some(link) = delta_link {
        update = update.col_expr(sync_state::Column::DeltaLink, Expr::value(link));
    }
    update
        .filter(sync_state::Column::MailboxId.eq(mailbox_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(counts)
}

fn message_model(mailbox_id: i32, new: &NewMessage, now: DateTime<Utc>) -> message::ActiveModel {
    let m = &new.message;
    let (body_is_html, body) = display_body(&m.body_content_type, &m.body);
    let json = |list: &[String]| serde_json::to_string(list).unwrap_or_else(|_| "[]".into());
    message::ActiveModel {
        mailbox_id: Set(mailbox_id),
        graph_id: Set(m.graph_id.clone()),
        internet_message_id: Set(m.key.clone()),
        from_address: Set(truncate(&m.from_address, 320)),
        from_name: Set(m.from_name.as_deref().map(|n| truncate(n, 255))),
        to_addresses: Set(json(&m.to)),
        cc_addresses: Set(json(&m.cc)),
        subject: Set(m.subject.clone()),
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
    new: &NewMessage,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let stored = message_model(mailbox_id, new, now).insert(txn).await?;
    for file in &new.attachments {
        attachment::ActiveModel {
            message_id: Set(stored.id),
            name: Set(truncate(&file.name, 255)),
            content_type: Set(truncate(&file.content_type, 255)),
            size: Set(file.size),
            content: Set(file.content.clone()),
            skipped_reason: Set(file.skipped.map(|r| r.as_str().to_string())),
            ..Default::default()
        }
        .insert(txn)
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
fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => text[..end].to_string(),
        None => text.to_string(),
    }
}
