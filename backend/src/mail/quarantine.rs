//! Messages the sync skipped, so one bad message never stops a mailbox (issue 21): each is
//! kept once per (mailbox, Graph id) with a short reason, a bounded detail, when it was
//! first and last seen and how often; the page goes on and its link is stored. A message
//! that is stored later (Graph lists it again after a change) leaves the quarantine.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::delta::IncomingMessage;
use super::normalise;
use crate::entities::mail_quarantine as quarantine;

/// Why a message was skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Graph answered 404 for its attachments or for marking it read: deleted or moved
    /// after the page listed it.
    Gone,
    /// Its Graph id is longer than the column (and the key) holds.
    IdTooLong,
    /// The database refused it after normalising (`detail` says what it said).
    Refused,
}

impl Reason {
    /// The stored code; `rules::mail::quarantine_reason` words it.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Gone => "gone",
            Reason::IdTooLong => "id_too_long",
            Reason::Refused => "refused",
        }
    }
}

/// The detail's bound: enough for a database's error, never a body.
pub const DETAIL_MAX_CHARS: usize = 1000;

/// A message to quarantine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quarantined {
    pub graph_id: String,
    pub subject: Option<String>,
    pub reason: Reason,
    pub detail: Option<String>,
}

impl Quarantined {
    pub fn of(message: &IncomingMessage, reason: Reason, detail: impl Into<String>) -> Self {
        Self {
            graph_id: message.graph_id.clone(),
            subject: Some(message.subject.clone()).filter(|s| !s.is_empty()),
            reason,
            detail: Some(detail.into()),
        }
    }
}

/// Records `skipped` at `now` for mailbox `mailbox_id`: new ones inserted, known ones
/// counted once more (inside the page's transaction, under the sync lease: no other writer).
pub async fn record(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    skipped: Vec<Quarantined>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for entry in skipped {
        let graph_id = normalise::chars(entry.graph_id, normalise::SHORT_MAX_CHARS);
        let subject = entry
            .subject
            .map(|s| normalise::chars(s, normalise::SHORT_MAX_CHARS));
        let detail = entry.detail.map(|d| normalise::chars(d, DETAIL_MAX_CHARS));
        tracing::warn!(
            mailbox_id,
            graph_id,
            reason = entry.reason.code(),
            "mail message quarantined"
        );
        let known = quarantine::Entity::find()
            .filter(quarantine::Column::MailboxId.eq(mailbox_id))
            .filter(quarantine::Column::GraphId.eq(graph_id.as_str()))
            .one(db)
            .await?;
        match known {
            Some(row) => {
                quarantine::Entity::update_many()
                    .col_expr(quarantine::Column::LastSeenAt, Expr::value(now))
                    .col_expr(
                        quarantine::Column::SeenCount,
                        Expr::col(quarantine::Column::SeenCount).add(1),
                    )
                    .col_expr(quarantine::Column::Reason, Expr::value(entry.reason.code()))
                    .col_expr(quarantine::Column::Detail, Expr::value(detail))
                    .filter(quarantine::Column::Id.eq(row.id))
                    .exec(db)
                    .await?;
            }
            None => {
                quarantine::ActiveModel {
                    mailbox_id: Set(mailbox_id),
                    graph_id: Set(graph_id),
                    subject: Set(subject),
                    reason: Set(entry.reason.code().to_string()),
                    detail: Set(detail),
                    first_seen_at: Set(now),
                    last_seen_at: Set(now),
                    seen_count: Set(1),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
        }
    }
    Ok(())
}

/// Forgets the quarantine of messages now stored.
pub async fn release(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    graph_ids: Vec<String>,
) -> Result<(), DbErr> {
    if graph_ids.is_empty() {
        return Ok(());
    }
    quarantine::Entity::delete_many()
        .filter(quarantine::Column::MailboxId.eq(mailbox_id))
        .filter(quarantine::Column::GraphId.is_in(graph_ids))
        .exec(db)
        .await?;
    Ok(())
}

/// A mailbox's quarantine for its page: how many, and the `limit` last seen.
pub async fn latest(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    limit: u64,
) -> Result<(u64, Vec<quarantine::Model>), DbErr> {
    let of_mailbox =
        || quarantine::Entity::find().filter(quarantine::Column::MailboxId.eq(mailbox_id));
    let count = of_mailbox().count(db).await?;
    let rows = of_mailbox()
        .order_by_desc(quarantine::Column::LastSeenAt)
        .order_by_desc(quarantine::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok((count, rows))
}
