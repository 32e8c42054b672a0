//! The sync lease on `mail_sync_states`: whoever holds it (unexpired) syncs the mailbox, so
//! several server instances never sync one mailbox at once, and a crashed instance's lease
//! expires and is taken over. PostgreSQL and MariaDB pick due mailboxes with
//! `SELECT … FOR UPDATE SKIP LOCKED`; everywhere the claim itself is a conditional UPDATE.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr, LockBehavior, LockType};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use super::SyncStatus;
use crate::entities::mail_sync_state as sync_state;

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

fn free_at(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(sync_state::Column::LeaseUntil.is_null())
        .add(sync_state::Column::LeaseUntil.lt(now))
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
    let result = sync_state::Entity::update_many()
        .col_expr(sync_state::Column::LeaseHolder, Expr::value(holder))
        .col_expr(sync_state::Column::LeaseUntil, Expr::value(until))
        .filter(sync_state::Column::MailboxId.eq(mailbox_id))
        .filter(free_at(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Claims up to `limit` of the `candidates` that are due `now` and not leased; returns each
/// claimed mailbox with its holder.
pub async fn claim_due(
    db: &(impl ConnectionTrait + TransactionTrait),
    candidates: &[i32],
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<(i32, String)>, DbErr> {
    if candidates.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let due = Condition::any()
        .add(sync_state::Column::NextDueAt.is_null())
        .add(sync_state::Column::NextDueAt.lte(now));
    let select = sync_state::Entity::find()
        .select_only()
        .column(sync_state::Column::MailboxId)
        .filter(sync_state::Column::MailboxId.is_in(candidates.to_vec()))
        .filter(due)
        .filter(free_at(now))
        .order_by_asc(sync_state::Column::NextDueAt)
        .order_by_asc(sync_state::Column::MailboxId)
        .limit(limit);
    let mut claimed = Vec::new();
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        // SQLite has no row locks: the conditional UPDATE decides who gets each mailbox.
        let ids: Vec<i32> = select.into_tuple().all(db).await?;
        for id in ids {
            let holder = new_holder();
            if claim(db, id, &holder, now, until).await? {
                claimed.push((id, holder));
            }
        }
        return Ok(claimed);
    }
    let txn = db.begin().await?;
    // Rows another instance is claiming right now are skipped, not waited for.
    let ids: Vec<i32> = select
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .into_tuple()
        .all(&txn)
        .await?;
    for id in ids {
        let holder = new_holder();
        if claim(&txn, id, &holder, now, until).await? {
            claimed.push((id, holder));
        }
    }
    txn.commit().await?;
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
    let held = sync_state::Entity::find_by_id(mailbox_id)
        .one(db)
        .await?
        .is_some_and(|row| row.lease_holder.as_deref() == Some(holder));
    if !held {
        return Ok(false);
    }
    sync_state::Entity::update_many()
        .col_expr(sync_state::Column::LeaseUntil, Expr::value(until))
        .filter(sync_state::Column::MailboxId.eq(mailbox_id))
        .filter(sync_state::Column::LeaseHolder.eq(holder))
        .exec(db)
        .await?;
    Ok(true)
}

/// Gives the lease back and sets when the mailbox is due next.
pub async fn release(
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    holder: &str,
    next_due_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    sync_state::Entity::update_many()
        .col_expr(
            sync_state::Column::LeaseHolder,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            sync_state::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(sync_state::Column::NextDueAt, Expr::value(next_due_at))
        .filter(sync_state::Column::MailboxId.eq(mailbox_id))
        .filter(sync_state::Column::LeaseHolder.eq(holder))
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
