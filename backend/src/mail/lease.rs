//! The sync lease on `mail_sync_states` ([`crate::store::lease`]): whoever holds it
//! (unexpired) syncs the mailbox, so several server instances never sync one mailbox at
//! once, and a crashed instance's lease expires and is taken over. PostgreSQL and MariaDB
//! pick due mailboxes with `SELECT … FOR UPDATE SKIP LOCKED`; everywhere the claim itself is
//! a conditional UPDATE.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

use super::SyncStatus;
use crate::entities::mail_sync_state as sync_state;
use crate::store::lease::Lease;

/// The lease columns of a mailbox's sync state.
pub const SYNC_LEASE: Lease<sync_state::Entity> = Lease::new(
    sync_state::Column::MailboxId,
    sync_state::Column::LeaseHolder,
    sync_state::Column::LeaseUntil,
);

/// A fresh lease holder: this instance (host and process) and a random part, so the
/// database shows who syncs and two syncs never share a holder.
pub fn new_holder() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "server".into());
    let random = uuid::Uuid::new_v4().simple().to_string();
    let host: String = host.chars().take(64).collect();
    format!("{host}:{}:{}", std::process::id(), &random[..12])
}

/// Creates the mailbox's state row (due `now`) unless it exists.
pub async fn ensure_state(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if sync_state::Entity::find_by_id(mailbox_id)
        .one(db)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let row = sync_state::ActiveModel {
        mailbox_id: Set(mailbox_id),
        delta_link: Set(None),
        resume_link: Set(None),
        last_fetched_at: Set(None),
        last_success_at: Set(None),
        consecutive_failures: Set(0),
        last_error_code: Set(None),
        last_error_message: Set(None),
        status: Set(SyncStatus::Ok.as_str().to_string()),
        lease_holder: Set(None),
        lease_until: Set(None),
        next_due_at: Set(Some(now)),
        fetch_requested_at: Set(None),
        run_started_at: Set(None),
        run_stored: Set(0),
    };
    // Another instance may insert the same row at the same moment: that is fine.
    if let Err(error) = sync_state::Entity::insert(row).exec(db).await {
        let exists = sync_state::Entity::find_by_id(mailbox_id)
            .one(db)
            .await?
            .is_some();
        if !exists {
            return Err(error);
        }
    }
    Ok(())
}

/// Takes the lease of one mailbox for `holder` until `until`, if it is free `now` (an
/// expired lease counts as free). Exactly one claimant wins.
pub async fn claim(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    SYNC_LEASE.claim(db, mailbox_id, holder, now, until).await
}

/// Claims up to `limit` of the `candidates`: first those "Nu ophalen" asked for, oldest
/// request first, then (when `periodic`) those due `now`, none leased; returns each claimed
/// mailbox with its holder.
pub async fn claim_due(
    db: &(impl ConnectionTrait + TransactionTrait),
    candidates: &[i32],
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: u64,
    periodic: bool,
) -> Result<Vec<(i32, String)>, DbErr> {
    if candidates.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let free = || {
        sync_state::Entity::find()
            .select_only()
            .column(sync_state::Column::MailboxId)
            .filter(sync_state::Column::MailboxId.is_in(candidates.to_vec()))
            .filter(SYNC_LEASE.free_at(now))
    };
    let requested = free()
        .filter(sync_state::Column::FetchRequestedAt.is_not_null())
        .order_by_asc(sync_state::Column::FetchRequestedAt)
        .order_by_asc(sync_state::Column::MailboxId)
        .limit(limit);
    let mut claimed = SYNC_LEASE
        .claim_listed(db, requested, now, until, new_holder)
        .await?;
    let left = limit.saturating_sub(claimed.len() as u64);
    if !periodic || left == 0 {
        return Ok(claimed);
    }
    let due = Condition::any()
        .add(sync_state::Column::NextDueAt.is_null())
        .add(sync_state::Column::NextDueAt.lte(now));
    let select = free()
        .filter(due)
        .order_by_asc(sync_state::Column::NextDueAt)
        .order_by_asc(sync_state::Column::MailboxId)
        .limit(left);
    claimed.extend(
        SYNC_LEASE
            .claim_listed(db, select, now, until, new_holder)
            .await?,
    );
    Ok(claimed)
}

/// Extends the lease while a sync makes progress; false when `holder` lost it (it expired
/// and another instance took the mailbox over).
pub async fn renew(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    holder: &str,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    SYNC_LEASE.renew(db, mailbox_id, holder, until).await
}

/// Gives the lease back and sets when the mailbox is due next.
pub async fn release(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    holder: &str,
    next_due_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    SYNC_LEASE
        .releasing(mailbox_id, holder)
        .col_expr(sync_state::Column::NextDueAt, Expr::value(next_due_at))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holders_name_the_process_and_differ() {
        let a = new_holder();
        let b = new_holder();
        assert_ne!(a, b);
        assert!(a.contains(&std::process::id().to_string()));
        assert!(a.len() <= 128);
    }
}
