//! [`summaries`]: what the mailbox page's Mail section shows — last fetched, message count,
//! last error. The list page reads the same with its rows (`server::mailboxes::list`).

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};

use super::SyncStatus;
use crate::entities::{mail_message as message, mail_sync_state as sync_state};
use rules::mail::MailSummaryRow;

/// The incoming mail of one mailbox, for the list page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSummary {
    /// The last successful sync.
    pub last_fetched_at: Option<DateTime<Utc>>,
    /// Stored messages not reported removed.
    pub message_count: u64,
    /// The last sync's error ("code: message") when it failed.
    pub last_error: Option<String>,
    /// "Fout": `MAIL_MAX_CONSECUTIVE_FAILURES` failed syncs in a row.
    pub failing: bool,
}

/// Summaries of `mailbox_ids` (each id present; mailboxes never synced get the default).
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
        entry.failing = state.status == SyncStatus::Failing.as_str();
        entry.last_error = (state.consecutive_failures > 0)
            .then(|| last_error_text(state.last_error_code, state.last_error_message));
    }
    let counts: Vec<(i32, i64)> = visible_counts(mailbox_ids).into_tuple().all(db).await?;
    for (mailbox_id, count) in counts {
        result.entry(mailbox_id).or_default().message_count = u64::try_from(count).unwrap_or(0);
    }
    Ok(result)
}

/// Each mailbox's visible (not removed) messages counted: answered from the index
/// `idx_mail_messages_visible` alone, never reading a row (and so never a body).
pub fn visible_counts(mailbox_ids: &[i32]) -> sea_orm::Select<message::Entity> {
    message::Entity::find()
        .select_only()
        .column(message::Column::MailboxId)
        .column_as(message::Column::Id.count(), "count")
        .filter(message::Column::MailboxId.is_in(mailbox_ids.to_vec()))
        .filter(message::Column::RemovedAt.is_null())
        .group_by(message::Column::MailboxId)
}

/// The "Laatste fout" text of a failed sync: "code: message", or whichever is known.
pub fn last_error_text(code: Option<String>, message: Option<String>) -> String {
    match (code, message) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code,
        (None, Some(message)) => message,
        (None, None) => String::new(),
    }
}

impl MailSummary {
    /// As the list page's mail columns of mailbox `mailbox_id` receive it.
    pub fn row(self, mailbox_id: i32) -> MailSummaryRow {
        MailSummaryRow {
            mailbox_id,
            last_fetched_at: self
                .last_fetched_at
                .map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true)),
            message_count: self.message_count,
            last_error: self.last_error,
            failing: self.failing,
        }
    }
}
