//! Throttling failed sign-ins, in the database so every server instance counts the same
//! failures. Three counts, so that guessing is bounded without letting anyone lock an admin
//! out of their own sign-in from another address:
//! - an account *at one address* locks after `SIGN_IN_MAX_FAILURES` within the window: the
//!   guesser is stopped, the admin at their own address is not;
//! - an address locks after four times as many, over every account it tried;
//! - an account from *everywhere* (many addresses guessing one account) gets growing delays
//!   after `SIGN_IN_MAX_FAILURES`: 1, 2, 4 … seconds after its latest failure, at most a
//!   minute. That bounds distributed guessing to about one guess a minute, and the admin
//!   waits at most that long.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};

use crate::entities::sign_in_failure;

/// When sign-in is locked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// This many failures within `window` lock the account at that address
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

/// The longest an account waits between failures from everywhere.
const LONGEST_ACCOUNT_DELAY: TimeDelta = TimeDelta::seconds(60);

impl ThrottlePolicy {
    /// True when `failures` of one account at one address within the window reach the limit.
    pub fn locks(&self, failures: u64) -> bool {
        failures >= self.max_failures
    }

    /// True when `failures` from one address, over all accounts, reach its limit.
    pub fn locks_address(&self, failures: u64) -> bool {
        failures >= self.max_failures.saturating_mul(4)
    }

    /// How long after its latest failure an account may be tried again, having failed
    /// `failures` times within the window from any address.
    pub fn account_delay(&self, failures: u64) -> TimeDelta {
        if failures < self.max_failures {
            return TimeDelta::zero();
        }
        let doublings = (failures - self.max_failures).min(6);
        TimeDelta::seconds(1 << doublings).min(LONGEST_ACCOUNT_DELAY)
    }
}

const PAIR: &str = "pair";
const ACCOUNT: &str = "account";
const ADDRESS: &str = "address";

/// The subject of the account-at-address count: the address first, so a long account name
/// never cuts it off.
fn pair(account: &str, address: &str) -> String {
    format!("{address} {account}")
}

fn subject(text: &str) -> String {
    text.chars().take(320).collect()
}

fn recent(
    scope: &str,
    subject_text: &str,
    now: DateTime<Utc>,
    policy: &ThrottlePolicy,
) -> sea_orm::Select<sign_in_failure::Entity> {
    sign_in_failure::Entity::find()
        .filter(sign_in_failure::Column::Scope.eq(scope))
        .filter(sign_in_failure::Column::Subject.eq(subject(subject_text)))
        .filter(sign_in_failure::Column::FailedAt.gt(now - policy.window))
}

/// True when this account at this address, this address, or this account from everywhere
/// must wait.
pub async fn is_locked(
    db: &impl ConnectionTrait,
    account: &str,
    address: &str,
    now: DateTime<Utc>,
    policy: &ThrottlePolicy,
) -> Result<bool, DbErr> {
    over_limits(db, account, address, now, policy, None).await
}

/// The three limits over the failures in the window, leaving out the rows `own` (pair,
/// account, address) of the attempt being judged.
async fn over_limits(
    db: &impl ConnectionTrait,
    account: &str,
    address: &str,
    now: DateTime<Utc>,
    policy: &ThrottlePolicy,
    own: Option<[i32; 3]>,
) -> Result<bool, DbErr> {
    let [own_pair, own_account, own_address] = own.map_or([None; 3], |ids| ids.map(Some));
    let others = |scope: &str, text: &str, own: Option<i32>| {
        let rows = recent(scope, text, now, policy);
        match own {
            Some(id) => rows.filter(sign_in_failure::Column::Id.ne(id)),
            None => rows,
        }
    };
    let at_address = others(PAIR, &pair(account, address), own_pair);
    if policy.locks(at_address.count(db).await?) {
        return Ok(true);
    }
    if policy.locks_address(others(ADDRESS, address, own_address).count(db).await?) {
        return Ok(true);
    }
    let from_everywhere = others(ACCOUNT, account, own_account);
    let delay = policy.account_delay(from_everywhere.clone().count(db).await?);
    if delay.is_zero() {
        return Ok(false);
    }
    let latest = from_everywhere
        .order_by_desc(sign_in_failure::Column::FailedAt)
        .one(db)
        .await?;
    Ok(latest.is_some_and(|latest| now < latest.failed_at + delay))
}

/// A sign-in attempt counted before its password is checked: the rows it added, so a
/// refused or successful attempt can take back what should not count.
#[derive(Debug)]
pub struct CountedAttempt {
    account: String,
    address: String,
    ids: Vec<i32>,
}

/// Counts an attempt against all three before its password is checked (and forgets
/// failures older than the window); a checked attempt that failed stays counted. Parallel guesses
/// cannot then all pass [`is_locked`] before any of them is recorded: each attempt sees
/// every one counted before it ([`is_beyond_limit`]).
pub async fn count_attempt(
    db: &impl ConnectionTrait,
    account: &str,
    address: &str,
    now: DateTime<Utc>,
    policy: &ThrottlePolicy,
) -> Result<CountedAttempt, DbErr> {
    sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::FailedAt.lte(now - policy.window))
        .exec(db)
        .await?;
    let mut ids = Vec::with_capacity(3);
    for (scope, text) in [
        (PAIR, pair(account, address)),
        (ACCOUNT, account.to_string()),
        (ADDRESS, address.to_string()),
    ] {
        let row = sign_in_failure::ActiveModel {
            scope: Set(scope.to_string()),
            subject: Set(subject(&text)),
            failed_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        ids.push(row.id);
    }
    Ok(CountedAttempt {
        account: account.to_string(),
        address: address.to_string(),
        ids,
    })
}

/// True when `attempt` goes beyond what [`is_locked`] allows, counting every other attempt
/// recorded in the window — also those recorded after it: of parallel attempts, each sees
/// at least those committed before its own count, so no more than the limit get through
/// (under a race a few fewer may).
pub async fn is_beyond_limit(
    db: &impl ConnectionTrait,
    attempt: &CountedAttempt,
    now: DateTime<Utc>,
    policy: &ThrottlePolicy,
) -> Result<bool, DbErr> {
    let Ok(own) = <[i32; 3]>::try_from(attempt.ids.as_slice()) else {
        return Ok(true);
    };
    over_limits(
        db,
        &attempt.account,
        &attempt.address,
        now,
        policy,
        Some(own),
    )
    .await
}

/// Takes back an attempt that was no guess: refused before its password was checked.
pub async fn withdraw(db: &impl ConnectionTrait, attempt: CountedAttempt) -> Result<(), DbErr> {
    sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::Id.is_in(attempt.ids))
        .exec(db)
        .await?;
    Ok(())
}

/// After a successful sign-in: the account's failures at this address and from everywhere
/// are forgotten ([`forget_account`]), and the attempt no longer counts against the address.
pub async fn succeeded(db: &impl ConnectionTrait, attempt: CountedAttempt) -> Result<(), DbErr> {
    forget_account(db, &attempt.account, &attempt.address).await?;
    withdraw(db, attempt).await
}

/// Forgets the account's failures at this address and from everywhere after a successful
/// sign-in there. The address's own count stays: one valid account must not reset the count
/// of guesses at others; so do the account's counts at other addresses.
pub async fn forget_account(
    db: &impl ConnectionTrait,
    account: &str,
    address: &str,
) -> Result<(), DbErr> {
    for (scope, text) in [
        (ACCOUNT, account.to_string()),
        (PAIR, pair(account, address)),
    ] {
        sign_in_failure::Entity::delete_many()
            .filter(sign_in_failure::Column::Scope.eq(scope))
            .filter(sign_in_failure::Column::Subject.eq(subject(&text)))
            .exec(db)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_an_account_at_an_address_twenty_the_address() {
        let policy = ThrottlePolicy::default();
        assert!(!policy.locks(4));
        assert!(policy.locks(5));
        assert!(!policy.locks_address(19));
        assert!(policy.locks_address(20));
    }

    #[test]
    fn an_account_from_everywhere_waits_longer_after_each_failure_at_most_a_minute() {
        let policy = ThrottlePolicy::default();
        let seconds = |failures| policy.account_delay(failures).num_seconds();
        assert_eq!([seconds(0), seconds(4)], [0, 0]);
        assert_eq!(
            [seconds(5), seconds(6), seconds(7), seconds(10)],
            [1, 2, 4, 32]
        );
        assert_eq!([seconds(11), seconds(12), seconds(1000)], [60, 60, 60]);
    }
}
