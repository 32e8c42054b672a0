//! "Nu ophalen" as a request to the scheduler, and how far a sync is, kept on the mailbox's
//! sync state: any server instance may run the sync and any may render the page, so what a
//! page shows lives in the database (issues 21 and 22). A sync is running exactly while its
//! lease is unexpired, so a sync on an instance that died stops showing when its lease runs
//! out.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::lease::{self, SYNC_LEASE};
use crate::entities::mail_sync_state as sync_state;

/// Records that "Nu ophalen" asked for a sync of the mailbox at `now`. The caller wakes
/// the local scheduler; other instances find the request on their next look.
pub async fn request(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    lease::ensure_state(db, mailbox_id, now).await?;
    sync_state::Entity::update_many()
        .col_expr(sync_state::Column::FetchRequestedAt, Expr::value(now))
        .filter(sync_state::Column::MailboxId.eq(mailbox_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Drops a request for a mailbox that turned out not to be one to sync, so the scheduler
/// does not claim it again and again.
pub async fn forget_request(db: &impl ConnectionTrait, mailbox_id: i32) -> Result<(), DbErr> {
    sync_state::Entity::update_many()
        .col_expr(
            sync_state::Column::FetchRequestedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(sync_state::Column::MailboxId.eq(mailbox_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A sync under `holder`'s lease starts at `now`: it answers any request made before it,
/// and counts from zero.
pub async fn start_run(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    holder: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<(), DbErr> {
    SYNC_LEASE
        .renewing(mailbox_id, holder, lease_until)
        .col_expr(
            sync_state::Column::FetchRequestedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(sync_state::Column::RunStartedAt, Expr::value(now))
        .col_expr(sync_state::Column::RunStored, Expr::value(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Adds `stored` new messages to the running sync's count (inside the page's transaction).
pub async fn add_stored(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    stored: usize,
) -> Result<(), DbErr> {
    if stored == 0 {
        return Ok(());
    }
    let stored = i32::try_from(stored).unwrap_or(i32::MAX);
    sync_state::Entity::update_many()
        .col_expr(
            sync_state::Column::RunStored,
            Expr::col(sync_state::Column::RunStored).add(stored),
        )
        .filter(sync_state::Column::MailboxId.eq(mailbox_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Where the mail of one mailbox stands at `now`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Nothing asked, nothing running.
    Idle,
    /// "Nu ophalen" was pressed and no sync has started since.
    Waiting,
    /// A sync holds the lease: it started at `started_at` and stored `stored` messages.
    Running {
        started_at: DateTime<Utc>,
        stored: u64,
    },
}

/// The progress a sync state shows at `now`. A request older than `request_expiry` that no
/// instance took up (the mailbox could no longer be synced) no longer shows as waiting.
pub fn progress_of(
    row: &sync_state::Model,
    now: DateTime<Utc>,
    request_expiry: chrono::Duration,
) -> Progress {
    let leased = row.lease_holder.is_some() && row.lease_until.is_some_and(|until| until > now);
    if leased {
        if let Some(started_at) = row.run_started_at {
            // A request made after this sync started waits for the next one; the page
            // shows the sync that runs.
            return Progress::Running {
                started_at,
                stored: u64::try_from(row.run_stored).unwrap_or(0),
            };
        }
    }
    match row.fetch_requested_at {
        Some(at) if at + request_expiry > now => Progress::Waiting,
        _ => Progress::Idle,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn row() -> sync_state::Model {
        sync_state::Model {
            mailbox_id: 1,
            delta_link: None,
            resume_link: None,
            last_fetched_at: None,
            last_success_at: None,
            consecutive_failures: 0,
            last_error_code: None,
            last_error_message: None,
            status: "ok".into(),
            lease_holder: None,
            lease_until: None,
            next_due_at: None,
            fetch_requested_at: None,
            run_started_at: None,
            run_stored: 0,
        }
    }

    #[test]
    fn running_only_while_the_lease_holds() {
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap();
        let expiry = chrono::Duration::minutes(5);
        let mut running = row();
        running.lease_holder = Some("a".into());
        running.lease_until = Some(now + chrono::Duration::seconds(30));
        running.run_started_at = Some(now - chrono::Duration::seconds(10));
        running.run_stored = 120;
        assert_eq!(
            progress_of(&running, now, expiry),
            Progress::Running {
                started_at: now - chrono::Duration::seconds(10),
                stored: 120
            }
        );
        // The instance died: its lease ran out, and the page stops saying "bezig".
        running.lease_until = Some(now - chrono::Duration::seconds(1));
        assert_eq!(progress_of(&running, now, expiry), Progress::Idle);
    }

    #[test]
    fn a_request_waits_until_taken_up_or_expired() {
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap();
        let expiry = chrono::Duration::minutes(5);
        let mut asked = row();
        asked.fetch_requested_at = Some(now - chrono::Duration::seconds(3));
        assert_eq!(progress_of(&asked, now, expiry), Progress::Waiting);
        asked.fetch_requested_at = Some(now - chrono::Duration::minutes(6));
        assert_eq!(progress_of(&asked, now, expiry), Progress::Idle);
    }
}
