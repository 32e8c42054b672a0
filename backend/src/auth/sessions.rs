//! Sessions in the database, so any server instance serves any user. The cookie holds a
//! 256-bit random token; the table holds only its SHA-256, so reading the table does not
//! yield a usable session.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, JoinType, QueryFilter, QuerySelect, RelationDef,
};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use super::Actor;
use crate::entities::{session, user};
use rules::access::Role;

/// How long a session lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Without a request for this long, the session ends (`SESSION_IDLE_MINUTES`).
    pub idle: TimeDelta,
    /// After this long from sign-in, the session ends regardless (`SESSION_ABSOLUTE_HOURS`).
    pub absolute: TimeDelta,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: TimeDelta::minutes(30),
            absolute: TimeDelta::hours(12),
        }
    }
}

/// `last_seen_at` is written at most this often, not on every request.
const TOUCH_INTERVAL: TimeDelta = TimeDelta::seconds(60);

/// The cookie's secret. `Debug` prints `[REDACTED]`.
#[derive(Debug)]
pub struct SessionToken(SecretString);

impl SessionToken {
    /// 256 random bits, base64url.
    pub fn generate() -> SessionToken {
        SessionToken(SecretString::from(super::random_base64url::<32>()))
    }

    /// The token from a cookie value; None for anything that cannot be one.
    pub fn from_cookie(value: &str) -> Option<SessionToken> {
        let plausible = value.len() == 43
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        plausible.then(|| SessionToken(SecretString::from(value.to_string())))
    }

    /// The value for the `Set-Cookie` header: the only place the token is exposed.
    pub fn cookie_value(&self) -> &str {
        self.0.expose_secret()
    }

    /// The session's id in the database: hex SHA-256 of the token.
    pub fn id(&self) -> String {
        let digest = Sha256::digest(self.0.expose_secret().as_bytes());
        digest.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

/// Whether a stored session still counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStatus {
    Active,
    /// No request for longer than the idle time.
    Idle,
    /// Past the absolute end.
    Expired,
}

/// Decides a session's status at `now`.
pub fn session_status(
    now: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    policy: &SessionPolicy,
) -> SessionStatus {
    if now >= expires_at {
        SessionStatus::Expired
    } else if now >= last_seen_at + policy.idle {
        SessionStatus::Idle
    } else {
        SessionStatus::Active
    }
}

/// True when `last_seen_at` is old enough to be written again.
pub fn needs_touch(now: DateTime<Utc>, last_seen_at: DateTime<Utc>) -> bool {
    now - last_seen_at >= TOUCH_INTERVAL
}

/// Starts a new session for `user_id` and returns its token (for the cookie only).
pub async fn start(
    db: &impl ConnectionTrait,
    user_id: i32,
    now: DateTime<Utc>,
    policy: &SessionPolicy,
) -> Result<SessionToken, DbErr> {
    let token = SessionToken::generate();
    session::ActiveModel {
        id: Set(token.id()),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + policy.absolute),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The actor of an active session; an idle or expired session is deleted and yields None.
pub async fn resolve(
    db: &impl ConnectionTrait,
    token: &SessionToken,
    now: DateTime<Utc>,
    policy: &SessionPolicy,
) -> Result<Option<Actor>, DbErr> {
    // The session and its account in one query: this runs for every request.
    let account_of_session: RelationDef = session::Entity::belongs_to(user::Entity)
        .from(session::Column::UserId)
        .to(user::Column::Id)
        .into();
    let Some((stored, account)) = session::Entity::find_by_id(token.id())
        .select_also(user::Entity)
        .join(JoinType::LeftJoin, account_of_session)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if session_status(now, stored.last_seen_at, stored.expires_at, policy) != SessionStatus::Active
    {
        session::Entity::delete_by_id(stored.id).exec(db).await?;
        return Ok(None);
    }
    let Some(account) = account else {
        return Ok(None);
    };
    let Some(role) = Role::parse(&account.role) else {
        tracing::error!(user_id = account.id, "unknown role in users table");
        return Ok(None);
    };
    if needs_touch(now, stored.last_seen_at) {
        let mut active = stored.into_active_model();
        active.last_seen_at = Set(now);
        active.update(db).await?;
    }
    Ok(Some(Actor {
        user_id: account.id,
        email: account.email,
        role,
    }))
}

/// Ends the session of `token` (signing out).
pub async fn end(db: &impl ConnectionTrait, token: &SessionToken) -> Result<(), DbErr> {
    session::Entity::delete_by_id(token.id()).exec(db).await?;
    Ok(())
}

/// Ends every session of `user_id` (after a password reset).
pub async fn end_all_of(db: &impl ConnectionTrait, user_id: i32) -> Result<u64, DbErr> {
    let result = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + TimeDelta::minutes(minutes)
    }

    #[test]
    fn idle_and_absolute_expiry() {
        let policy = SessionPolicy::default();
        let signed_in = at(0);
        let expires = signed_in + policy.absolute;
        let status = |now, last_seen| session_status(now, last_seen, expires, &policy);
        assert_eq!(status(at(29), signed_in), SessionStatus::Active);
        assert_eq!(status(at(30), signed_in), SessionStatus::Idle);
        assert_eq!(
            status(at(11 * 60 + 59), at(11 * 60 + 50)),
            SessionStatus::Active
        );
        assert_eq!(status(at(12 * 60), at(12 * 60 - 1)), SessionStatus::Expired);
    }

    #[test]
    fn last_seen_is_written_at_most_once_a_minute() {
        assert!(!needs_touch(at(0) + TimeDelta::seconds(59), at(0)));
        assert!(needs_touch(at(1), at(0)));
    }

    #[test]
    fn tokens_are_random_and_stored_only_as_their_hash() {
        let token = SessionToken::generate();
        assert_eq!(token.cookie_value().len(), 43);
        assert_ne!(
            token.cookie_value(),
            SessionToken::generate().cookie_value()
        );
        let id = token.id();
        assert_eq!(id.len(), 64);
        assert!(!id.contains(token.cookie_value()));
        assert!(!format!("{token:?}").contains(token.cookie_value()));
        let again = SessionToken::from_cookie(token.cookie_value()).map(|t| t.id());
        assert_eq!(again, Some(id));
        assert!(SessionToken::from_cookie("short").is_none());
        assert!(SessionToken::from_cookie(&"a;".repeat(22)[..43]).is_none());
    }
}
