//! Signing in: throttle, verify the password, start a new session.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use secrecy::SecretString;

use super::client_address::TrustedProxies;
use super::password_checks::PasswordChecks;
use super::sessions::{self, SessionPolicy, SessionToken};
use super::throttle::{self, ThrottlePolicy};
use super::{password, users, Actor};
use rules::access::{Role, SignInError};

/// The policies sign-in applies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthPolicy {
    pub sessions: SessionPolicy,
    pub throttle: ThrottlePolicy,
    /// Whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`).
    pub trusted_proxies: TrustedProxies,
    /// `Secure` on the session cookie: set when `PUBLIC_BASE_URL` is https.
    pub secure_cookie: bool,
    /// How many passwords are checked at once (`SIGN_IN_CONCURRENT_CHECKS`).
    pub password_checks: PasswordChecks,
}

/// What a sign-in attempt came to.
#[derive(Debug)]
pub enum SignInOutcome {
    /// A new session: its token goes into the cookie.
    SignedIn {
        token: SessionToken,
        actor: Actor,
    },
    Refused(SignInError),
}

/// Checks `email`/`password` typed at `address`, throttled ([`throttle`]): per account at
/// this address, per address, and for the account from everywhere with growing delays. The
/// attempt is counted before the password is checked, so parallel guesses get no more than
/// sequential ones; a throttled attempt, or one that finds every password-check slot busy
/// ([`PasswordChecks`]), is refused without checking the password and does not count.
pub async fn sign_in(
    db: &impl ConnectionTrait,
    policy: &AuthPolicy,
    email: &str,
    password: SecretString,
    address: &str,
    now: DateTime<Utc>,
) -> Result<SignInOutcome, DbErr> {
    let account_key = users::normalize_email(email);
    if throttle::is_locked(db, &account_key, address, now, &policy.throttle).await? {
        tracing::warn!(%address, "sign-in refused: too many failures");
        return Ok(SignInOutcome::Refused(SignInError::Throttled));
    }
    let attempt = throttle::count_attempt(db, &account_key, address, now, &policy.throttle).await?;
    if throttle::is_beyond_limit(db, &attempt, now, &policy.throttle).await? {
        throttle::withdraw(db, attempt).await?;
        tracing::warn!(%address, "sign-in refused: too many attempts at once");
        return Ok(SignInOutcome::Refused(SignInError::Throttled));
    }
    let account = users::find_by_email(db, &account_key).await?;
    let stored_hash = account.as_ref().map(|a| a.password_hash.clone());
    let checked = policy
        .password_checks
        .run(move || match stored_hash {
            Some(hash) => password::verify_password(&password, &hash),
            None => {
                password::verify_against_nothing(&password);
                false
            }
        })
        .await;
    let Some(verified) = checked else {
        throttle::withdraw(db, attempt).await?;
        tracing::warn!(%address, "sign-in refused: every password check slot is busy");
        return Ok(SignInOutcome::Refused(SignInError::Busy));
    };
    let role = account.as_ref().and_then(|a| Role::parse(&a.role));
    let (Some(account), Some(role), true) = (account, role, verified) else {
        // The attempt stays counted.
        tracing::warn!(%address, "sign-in refused: unknown e-mail address or wrong password");
        return Ok(SignInOutcome::Refused(SignInError::Rejected));
    };
    throttle::succeeded(db, attempt).await?;
    let token = sessions::start(db, account.id, now, &policy.sessions).await?;
    tracing::info!(user_id = account.id, role = role.as_str(), "signed in");
    Ok(SignInOutcome::SignedIn {
        token,
        actor: Actor {
            user_id: account.id,
            email: account.email,
            role,
        },
    })
}
