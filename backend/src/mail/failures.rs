//! Failure bookkeeping: consecutive failures per mailbox, "fout" only after
//! `MAIL_MAX_CONSECUTIVE_FAILURES` in a row, a success clears it; each failure is recorded
//! as a `mail_sync` connection attempt with Graph's request ids, like connect's attempts,
//! and only the last `MAIL_FAILURE_HISTORY` of them are kept. The count sets when the
//! mailbox is due again (`MailSettings::next_due`: repeated failures back off).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::error::SyncError;
use super::{MailSettings, SyncStatus};
use crate::connect::app_only::Refusal;
use crate::connect::attempts_store::{self, ErrorRecord, NewAttempt};
use crate::connect::{AttemptKind, Outcome, RefreshError};
use crate::entities::{connection_attempt as attempt, mail_sync_state as sync_state, mailbox};
use crate::microsoft::identity::token_client::TokenFailure;

/// A sync succeeded at `now`: failures cleared; after failures, a success attempt so the
/// mailbox page no longer shows the old error as the latest.
pub async fn record_success(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let before = sync_state::Entity::find_by_id(mailbox_id).one(db).await?;
    sync_state::Entity::update_many()
        .col_expr(sync_state::Column::ConsecutiveFailures, Expr::value(0))
        .col_expr(
            sync_state::Column::Status,
            Expr::value(SyncStatus::Ok.as_str()),
        )
        .col_expr(sync_state::Column::LastFetchedAt, Expr::value(now))
        .col_expr(sync_state::Column::LastSuccessAt, Expr::value(now))
        .col_expr(
            sync_state::Column::LastErrorCode,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            sync_state::Column::LastErrorMessage,
            Expr::value(Option::<String>::None),
        )
        .filter(sync_state::Column::MailboxId.eq(mailbox_id))
        .exec(db)
        .await?;
    // Econobis' "date last fetched", kept for the mailbox form's log section.
    mailbox::Entity::update_many()
        .col_expr(mailbox::Column::DateLastFetched, Expr::value(Some(now)))
        .filter(mailbox::Column::Id.eq(mailbox_id))
        .exec(db)
        .await?;
    if before.is_some_and(|row| row.consecutive_failures > 0) {
        insert_attempt(
            db,
            mailbox_id,
            Outcome::Success,
            ErrorRecord::default(),
            now,
        )
        .await?;
    }
    Ok(())
}

/// A sync failed at `now`: one more consecutive failure ("fout" from
/// `MAIL_MAX_CONSECUTIVE_FAILURES` on), the error kept on the state and recorded as an
/// attempt, the history trimmed to `MAIL_FAILURE_HISTORY`. Busy or taken-over syncs do not
/// count. The consecutive failures now.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    error: &SyncError,
    settings: &MailSettings,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    let Some(row) = sync_state::Entity::find_by_id(mailbox_id).one(db).await? else {
        return Ok(0);
    };
    if !error.counts_as_failure() {
        return Ok(row.consecutive_failures);
    }
    let max = settings.max_consecutive_failures;
    let failures = row.consecutive_failures.saturating_add(1);
    let status = status_after(failures, max);
    let message: String = error.to_string().chars().take(4000).collect();
    sync_state::Entity::update_many()
        .col_expr(
            sync_state::Column::ConsecutiveFailures,
            Expr::value(failures),
        )
        .col_expr(sync_state::Column::Status, Expr::value(status.as_str()))
        .col_expr(sync_state::Column::LastFetchedAt, Expr::value(now))
        .col_expr(
            sync_state::Column::LastErrorCode,
            Expr::value(Some(error.code().chars().take(128).collect::<String>())),
        )
        .col_expr(
            sync_state::Column::LastErrorMessage,
            Expr::value(Some(message)),
        )
        .filter(sync_state::Column::MailboxId.eq(mailbox_id))
        .exec(db)
        .await?;
    // A refused or failed refresh already recorded an attempt of its own.
    let recorded_by_refresh = matches!(
        error,
        SyncError::Token(RefreshError::Refused { .. } | RefreshError::Failed { .. })
    );
    if !recorded_by_refresh {
        let (outcome, record) = attempt_of(error);
        insert_attempt(db, mailbox_id, outcome, record, now).await?;
    }
    trim_history(db, mailbox_id, settings.failure_history).await?;
    tracing::warn!(mailbox_id, failures, status = status.as_str(), code = %error.code(), %error, "mail sync failed");
    Ok(failures)
}

/// Keeps a mailbox's last `keep` mail-sync attempts (at least one), so a mailbox failing
/// for weeks does not fill the database with its history.
async fn trim_history(db: &impl ConnectionTrait, mailbox_id: i32, keep: u32) -> Result<(), DbErr> {
    let of_mailbox = || {
        attempt::Entity::find()
            .filter(attempt::Column::MailboxId.eq(mailbox_id))
            .filter(attempt::Column::Kind.eq(AttemptKind::MailSync.as_str()))
    };
    let oldest_kept: Option<i32> = of_mailbox()
        .select_only()
        .column(attempt::Column::Id)
        .order_by_desc(attempt::Column::Id)
        .offset(u64::from(keep.max(1)) - 1)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    if let Some(oldest_kept) = oldest_kept {
        attempt::Entity::delete_many()
            .filter(attempt::Column::MailboxId.eq(mailbox_id))
            .filter(attempt::Column::Kind.eq(AttemptKind::MailSync.as_str()))
            .filter(attempt::Column::Id.lt(oldest_kept))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// "fout" from `max` consecutive failures on.
pub fn status_after(consecutive_failures: i32, max: u32) -> SyncStatus {
    if i64::from(consecutive_failures) >= i64::from(max.max(1)) {
        SyncStatus::Failing
    } else {
        SyncStatus::Ok
    }
}

/// The attempt's outcome and what it keeps of the error.
pub fn attempt_of(error: &SyncError) -> (Outcome, ErrorRecord) {
    match error {
        SyncError::Graph(graph) => (
            Outcome::SyncFailed,
            ErrorRecord {
                error: Some(error.code()),
                error_description: Some(graph.message.clone()),
                // Graph's request-id and client-request-id are what support asks for.
                trace_id: graph.request_id.clone(),
                correlation_id: graph.client_request_id.clone(),
                error_timestamp: graph.date.clone(),
                error_body: Some(graph.body.clone()).filter(|b| !b.is_empty()),
                ..ErrorRecord::default()
            },
        ),
        SyncError::AppOnlyRefused { refusal, graph } => (
            match refusal {
                Refusal::OutsideScope => Outcome::OutsideScope,
                Refusal::NotFoundByAddress => Outcome::NotFoundByAddress,
            },
            ErrorRecord {
                error: Some(graph.code.clone()),
                error_description: Some(graph.message.clone()),
                trace_id: graph.request_id.clone(),
                correlation_id: graph.client_request_id.clone(),
                error_timestamp: graph.date.clone(),
                error_body: Some(graph.body.clone()).filter(|b| !b.is_empty()),
                ..ErrorRecord::default()
            },
        ),
        SyncError::Token(RefreshError::AppToken(TokenFailure::Microsoft(error))) => {
            (Outcome::AppTokenRefused, ErrorRecord::from_microsoft(error))
        }
        SyncError::Timeout | SyncError::Unreachable(_) => (
            Outcome::Unreachable,
            ErrorRecord::local(&error.code(), error.to_string()),
        ),
        SyncError::Malformed { detail, body } => (
            Outcome::Malformed,
            ErrorRecord {
                error_body: body.clone(),
                ..ErrorRecord::local("malformed_response", detail.clone())
            },
        ),
        _ => (
            Outcome::SyncFailed,
            ErrorRecord::local(&error.code(), error.to_string()),
        ),
    }
}

async fn insert_attempt(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    outcome: Outcome,
    record: ErrorRecord,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let new = NewAttempt {
        mailbox_id,
        kind: AttemptKind::MailSync,
        state_hash: None,
        pkce_verifier_encrypted: None,
        prompt: None,
        started_by_user_id: None,
    };
    let id = attempts_store::insert(db, new, now).await?;
    attempts_store::finish(db, id, outcome, record, now).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::microsoft::graph::GraphError;

    #[test]
    fn fout_only_after_max_failures() {
        assert_eq!(status_after(1, 5), SyncStatus::Ok);
        assert_eq!(status_after(4, 5), SyncStatus::Ok);
        assert_eq!(status_after(5, 5), SyncStatus::Failing);
        assert_eq!(status_after(9, 5), SyncStatus::Failing);
        assert_eq!(status_after(1, 0), SyncStatus::Failing, "at least one");
    }

    #[test]
    fn graph_errors_keep_their_ids_in_the_attempt() {
        let error = SyncError::Graph(Box::new(GraphError {
            status: 403,
            code: "ErrorAccessDenied".into(),
            message: "Access is denied.".into(),
            request_id: Some("r".into()),
            client_request_id: Some("c".into()),
            date: Some("d".into()),
            ..GraphError::default()
        }));
        let (outcome, record) = attempt_of(&error);
        assert_eq!(outcome, Outcome::SyncFailed);
        assert_eq!(record.error.as_deref(), Some("ErrorAccessDenied"));
        assert_eq!(record.trace_id.as_deref(), Some("r"));
        assert_eq!(record.correlation_id.as_deref(), Some("c"));
        assert!(!SyncError::Busy(1).counts_as_failure());
    }
}
