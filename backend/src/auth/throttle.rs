//! Throttling failed sign-ins per account (the e-mail address typed) and per client
//! address, in the database so every server instance counts the same failures.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter,
};

use crate::entities::sign_in_failure;

/// When sign-in is locked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// This many failures within `window` lock the account or address
    /// (`SIGN_IN_MAX_FAILURES`).
    pub max_failures: u64,
    /// The counting window; the lock lifts as failures age out of it
    /// (`SIGN_IN_WINDOW_MINUTES`).
    pub window: TimeDelta,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            max_failures: 5,
            window: TimeDelta::minutes(15),
        }
    }
}

impl ThrottlePolicy {
    /// True when `failures` within the window reach the limit.
    pub fn locks(&self, failures: u64) -> bool {
        failures >= self.max_failures
    }
}

const ACCOUNT: &str = "account";
const ADDRESS: &str = "address";

/// True when the account or the address has too many recent failures.
pub async fn is_locked(
    db: &impl ConnectionTrait,
    account: &str,
    address: &str,
    now: DateTime<Utc>,
    policy: &ThrottlePolicy,
) -> Result<bool, DbErr> {
    for (scope, subject) in [(ACCOUNT, account), (ADDRESS, address)] {
        let failures = sign_in_failure::Entity::find()
            .filter(sign_in_failure::Column::Scope.eq(scope))
            .filter(sign_in_failure::Column::Subject.eq(subject))
            .filter(sign_in_failure::Column::FailedAt.gt(now - policy.window))
            .count(db)
            .await?;
        if policy.locks(failures) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Counts a failure against both, and forgets failures older than the window.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    account: &str,
    address: &str,
    now: DateTime<Utc>,
    policy: &ThrottlePolicy,
) -> Result<(), DbErr> {
    sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::FailedAt.lte(now - policy.window))
        .exec(db)
        .await?;
    for (scope, subject) in [(ACCOUNT, account), (ADDRESS, address)] {
        sign_in_failure::ActiveModel {
            scope: Set(scope.to_string()),
            subject: Set(subject.chars().take(320).collect()),
            failed_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Forgets the account's failures after a successful sign-in. The address's stay: one
/// valid account must not reset the count of guesses at others.
pub async fn forget_account(db: &impl ConnectionTrait, account: &str) -> Result<(), DbErr> {
    sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::Scope.eq(ACCOUNT))
        .filter(sign_in_failure::Column::Subject.eq(account))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock() {
        let policy = ThrottlePolicy::default();
        assert!(!policy.locks(4));
        assert!(policy.locks(5));
    }
}
