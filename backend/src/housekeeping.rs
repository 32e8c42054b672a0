//! Housekeeping: rows nobody needs any more are removed on a schedule (the server's
//! `HOUSEKEEPING_INTERVAL_SECS`), so the tables stay small on an installation that runs for
//! years. `now` is passed in; several instances sweeping at once delete the same rows, which
//! is harmless.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
};

use crate::auth::sessions::SessionPolicy;
use crate::auth::throttle::ThrottlePolicy;
use crate::entities::{connection_attempt as attempt, session, sign_in_failure};

/// How long rows are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Connection attempts (sign-ins at Microsoft, refreshes, preflights, failed fetches)
    /// older than this leave the mailbox's history; each mailbox keeps its latest attempt
    /// of every kind whatever its age, as the mailbox page shows it.
    pub connection_attempts: TimeDelta,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            connection_attempts: TimeDelta::days(90),
        }
    }
}

/// How many rows a sweep removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub connection_attempts: u64,
    pub sign_in_failures: u64,
    /// Chunks of attachment content a sync staged and never stored (`mail::content`).
    pub staged_attachment_chunks: u64,
}

/// Removes, as of `now`: sessions past their absolute end or idle too long (they can no
/// longer be used: the access edge would delete them on their next request, which never
/// comes), failed sign-ins that have left the throttle's window (they no longer count; a
/// sign-in removes them too, but a quiet installation has none), and connection attempts
/// older than their retention, and attachment content staged by a sync that never stored
/// its message (older than [`crate::mail::content::STAGED_MAX_AGE`]).
pub async fn sweep(
    db: &impl ConnectionTrait,
    retention: &Retention,
    sessions: &SessionPolicy,
    throttle: &ThrottlePolicy,
    now: DateTime<Utc>,
) -> Result<Swept, DbErr> {
    let ended = session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(session::Column::ExpiresAt.lte(now))
                .add(session::Column::LastSeenAt.lte(now - sessions.idle)),
        )
        .exec(db)
        .await?
        .rows_affected;

    let failures = sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::FailedAt.lte(now - throttle.window))
        .exec(db)
        .await?
        .rows_affected;

    // The latest attempt of each kind per mailbox stays: the mailbox page shows the latest
    // attempt, the latest preflight and the latest failed fetch. Read first, then deleted
    // by id: MariaDB cannot delete from a table it reads in a subquery.
    let latest: Vec<Option<i32>> = attempt::Entity::find()
        .select_only()
        .column_as(Expr::col(attempt::Column::Id).max(), "id")
        .group_by(attempt::Column::MailboxId)
        .group_by(attempt::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let latest: Vec<i32> = latest.into_iter().flatten().collect();
    let mut old_attempts = attempt::Entity::delete_many()
        .filter(attempt::Column::CreatedAt.lt(now - retention.connection_attempts));
    if !latest.is_empty() {
        old_attempts = old_attempts.filter(attempt::Column::Id.is_not_in(latest));
    }
    let attempts = old_attempts.exec(db).await?.rows_affected;

    let staged_attachment_chunks =
        crate::mail::content::sweep_staged(db, now - crate::mail::content::STAGED_MAX_AGE).await?;

    Ok(Swept {
        sessions: ended,
        connection_attempts: attempts,
        sign_in_failures: failures,
        staged_attachment_chunks,
    })
}
