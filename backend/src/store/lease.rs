//! A lease on a row: a holder column and an until column. Whoever holds an unexpired lease
//! may act on the row, so several server instances never do the same work at once, and a
//! crashed instance's lease runs out and is taken over. Every step is one conditional
//! UPDATE, so it holds across instances on every database; `now` is always passed in.
//! Used by the mail sync (`mail_sync_states`) and the token refresh (`mailbox_tokens`).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Select, TransactionTrait, UpdateMany,
};

/// The lease columns of entity `E`, whose rows are keyed by an integer `key`.
pub struct Lease<E: EntityTrait> {
    key: E::Column,
    holder: E::Column,
    until: E::Column,
}

impl<E: EntityTrait> Lease<E> {
    pub const fn new(key: E::Column, holder: E::Column, until: E::Column) -> Self {
        Self { key, holder, until }
    }

    /// No lease, or one that has run out by `now`.
    pub fn free_at(&self, now: DateTime<Utc>) -> Condition {
        Condition::any()
            .add(self.until.is_null())
            .add(self.until.lte(now))
    }

    /// Row `id` while `holder` holds its lease.
    fn held(&self, id: i32, holder: &str) -> Condition {
        Condition::all()
            .add(self.key.eq(id))
            .add(self.holder.eq(holder))
    }

    /// Takes the lease of row `id` for `holder` until `until`, if it is free `now`. Exactly
    /// one claimant wins.
    pub async fn claim(
        &self,
        db: &impl ConnectionTrait,
        id: i32,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, DbErr> {
        let result = E::update_many()
            .col_expr(self.holder, Expr::value(holder))
            .col_expr(self.until, Expr::value(until))
            .filter(self.key.eq(id))
            .filter(self.free_at(now))
            .exec(db)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Claims each row `select` lists (it selects the key column alone, and should ask only
    /// for rows [`Self::free_at`] `now`), each for a holder of its own from `new_holder`;
    /// returns the claimed keys with their holders. PostgreSQL and MariaDB lock the listed
    /// rows with `FOR UPDATE SKIP LOCKED`, so rows another instance is claiming right now are
    /// skipped, not waited for; SQLite has no row locks and the conditional UPDATE decides.
    pub async fn claim_listed(
        &self,
        db: &(impl ConnectionTrait + TransactionTrait),
        select: Select<E>,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        new_holder: impl Fn() -> String,
    ) -> Result<Vec<(i32, String)>, DbErr> {
        let mut claimed = Vec::new();
        if db.get_database_backend() == DatabaseBackend::Sqlite {
            let ids: Vec<i32> = select.into_tuple().all(db).await?;
            for id in ids {
                let holder = new_holder();
                if self.claim(db, id, &holder, now, until).await? {
                    claimed.push((id, holder));
                }
            }
            return Ok(claimed);
        }
        let txn = db.begin().await?;
        let ids: Vec<i32> = select
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .into_tuple()
            .all(&txn)
            .await?;
        for id in ids {
            let holder = new_holder();
            if self.claim(&txn, id, &holder, now, until).await? {
                claimed.push((id, holder));
            }
        }
        txn.commit().await?;
        Ok(claimed)
    }

    /// The UPDATE that extends `holder`'s lease of row `id` to `until`, matching only while
    /// `holder` holds it; callers may set more columns in the same statement.
    pub fn renewing(&self, id: i32, holder: &str, until: DateTime<Utc>) -> UpdateMany<E> {
        E::update_many()
            .col_expr(self.until, Expr::value(until))
            .filter(self.held(id, holder))
    }

    /// Extends the lease while work makes progress; false when `holder` lost it (it ran out
    /// and another instance took the row over).
    pub async fn renew(
        &self,
        db: &impl ConnectionTrait,
        id: i32,
        holder: &str,
        until: DateTime<Utc>,
    ) -> Result<bool, DbErr> {
        let result = self.renewing(id, holder, until).exec(db).await?;
        // MariaDB counts matched rows, not changed ones (sqlx connects with CLIENT_FOUND_ROWS).
        Ok(result.rows_affected == 1)
    }

    /// The UPDATE that gives `holder`'s lease of row `id` back, matching only while `holder`
    /// holds it; callers may set more columns in the same statement.
    pub fn releasing(&self, id: i32, holder: &str) -> UpdateMany<E> {
        E::update_many()
            .col_expr(self.holder, Expr::value(Option::<String>::None))
            .col_expr(self.until, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(self.held(id, holder))
    }

    /// Gives the lease back; false when `holder` no longer held it.
    pub async fn release(
        &self,
        db: &impl ConnectionTrait,
        id: i32,
        holder: &str,
    ) -> Result<bool, DbErr> {
        let result = self.releasing(id, holder).exec(db).await?;
        Ok(result.rows_affected == 1)
    }
}
