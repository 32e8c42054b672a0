//! STUB of mail-sync's contract (MAIL-CONTRACT.md), so mail-send compiles and its views can
//! be tested before mail-sync lands. Dropped on merge: mail-sync provides the real module
//! (`summaries` below mirrors its `summary.rs`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use super::entities::{mail_message as message, mail_sync_state as sync_state};
use super::AppState;

/// What one sync did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub new_messages: usize,
    pub removed: usize,
    pub pages: usize,
}

/// Why a sync failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("another sync holds mailbox {0}")]
    Busy(i32),
    #[error("mailbox {0} does not fetch mail over Microsoft Graph")]
    NotSyncable(i32),
}

impl SyncError {
    /// A stable code ("ErrorAccessDenied", "429", "unreachable", …).
    pub fn code(&self) -> String {
        match self {
            SyncError::Busy(_) => "busy".into(),
            SyncError::NotSyncable(_) => "not_syncable".into(),
        }
    }
}

/// The list page's facts about one mailbox's mail.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MailSummary {
    pub last_fetched_at: Option<DateTime<Utc>>,
    pub message_count: u64,
    pub last_error: Option<String>,
    pub failing: bool,
}

/// "Nu ophalen" (the stub: no mailbox is syncable).
pub async fn sync_now(state: &AppState, mailbox_id: i32) -> Result<SyncReport, SyncError> {
    let _ = state;
    Err(SyncError::NotSyncable(mailbox_id))
}

/// Summaries of `mailbox_ids`, in one batch of queries.
pub async fn summaries(
    db: &impl ConnectionTrait,
    mailbox_ids: &[i32],
) -> Result<HashMap<i32, MailSummary>, DbErr> {
    let mut result: HashMap<i32, MailSummary> = mailbox_ids
        .iter()
        .map(|id| (*id, MailSummary::default()))
        .collect();
    if mailbox_ids.is_empty() {
        return Ok(result);
    }
    let states = sync_state::Entity::find()
        .filter(sync_state::Column::MailboxId.is_in(mailbox_ids.to_vec()))
        .all(db)
        .await?;
    for state in states {
        let entry = result.entry(state.mailbox_id).or_default();
        entry.last_fetched_at = state.last_success_at;
        entry.failing = state.status == "fout";
        entry.last_error = (state.consecutive_failures > 0).then(|| {
            state
                .last_error_code
                .or(state.last_error_message)
                .unwrap_or_default()
        });
    }
    let counts: Vec<(i32, i64)> = message::Entity::find()
        .select_only()
        .column(message::Column::MailboxId)
        .column_as(message::Column::Id.count(), "count")
        .filter(message::Column::MailboxId.is_in(mailbox_ids.to_vec()))
        .filter(message::Column::RemovedAt.is_null())
        .group_by(message::Column::MailboxId)
        .into_tuple()
        .all(db)
        .await?;
    for (mailbox_id, count) in counts {
        result.entry(mailbox_id).or_default().message_count = u64::try_from(count).unwrap_or(0);
    }
    Ok(result)
}
