//! Connection attempts, pure: kinds, outcomes, the `state` and its hash, PKCE, and whether a
//! returning state may still be used (docs/microsoft.md §8: unguessable, single use, expires).

use chrono::{DateTime, Duration, Utc};
use oauth2::{CsrfToken, PkceCodeChallenge, PkceCodeVerifier};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// How long a started sign-in may take before its state is refused.
pub const ATTEMPT_LIFETIME: Duration = Duration::minutes(10);

/// What an attempt does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptKind {
    /// Interactive sign-in for the mailbox's delegated tokens.
    Connect,
    /// Refreshing the tokens (no browser).
    Refresh,
    /// An administrator grants the app's permissions for the tenant.
    AdminConsent,
    /// "Test app-registratie" (also run before every redirect to Microsoft).
    Preflight,
    /// A callback that could not be matched to a usable attempt of this mailbox (expired,
    /// already used, started by another user), kept so the history shows it.
    Callback,
    /// A failed sync of incoming mail (and the first success after failures).
    MailSync,
}

impl AttemptKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptKind::Connect => "connect",
            AttemptKind::Refresh => "refresh",
            AttemptKind::AdminConsent => "admin_consent",
            AttemptKind::Preflight => "preflight",
            AttemptKind::Callback => "callback",
            AttemptKind::MailSync => "mail_sync",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            Self::Connect,
            Self::Refresh,
            Self::AdminConsent,
            Self::Preflight,
            Self::Callback,
            Self::MailSync,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == value)
    }
}

/// Where an attempt ended (or that it has not yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Sent to Microsoft; not back yet.
    Pending,
    /// Back: claimed by one callback, the code is being redeemed.
    Redeeming,
    Success,
    /// Microsoft sent an error to the callback.
    Denied,
    /// The token endpoint refused (its error body is kept).
    TokenFailed,
    /// The token endpoint did not answer in time, or not at all.
    Unreachable,
    /// The token endpoint answered something that is no token response.
    Malformed,
    /// Another account than the mailbox's signed in; nothing was stored.
    WrongAccount,
    /// The mailbox has no Object ID and the account that signed in does not carry its
    /// address; nothing was stored.
    WrongAddress,
    /// The id_token failed a check (audience, tenant, expiry).
    InvalidIdToken,
    /// A preflight with at least one failed check.
    Failed,
    /// A callback for a sign-in that had expired.
    CallbackExpired,
    /// A callback for a sign-in that was already completed (a reload, a second tab).
    CallbackUsed,
    /// A callback arriving in another app user's session.
    CallbackOtherUser,
    /// Graph refused a mail sync (its error body is kept).
    SyncFailed,
    /// App-only: Graph refused the mailbox (403) while the app has no tenant-wide mail
    /// grant: outside its Exchange scope, or no permission or consent (issue 18).
    OutsideScope,
    /// App-only: no user has the mailbox's address as user principal name (404); the
    /// Object ID is needed.
    NotFoundByAddress,
    /// App-only: Microsoft refused the app's own token (client credentials).
    AppTokenRefused,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Redeeming => "redeeming",
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::TokenFailed => "token_failed",
            Outcome::Unreachable => "unreachable",
            Outcome::Malformed => "malformed",
            Outcome::WrongAccount => "wrong_account",
            Outcome::WrongAddress => "wrong_address",
            Outcome::InvalidIdToken => "invalid_id_token",
            Outcome::Failed => "failed",
            Outcome::CallbackExpired => "callback_expired",
            Outcome::CallbackUsed => "callback_used",
            Outcome::CallbackOtherUser => "callback_other_user",
            Outcome::SyncFailed => "sync_failed",
            Outcome::OutsideScope => "outside_scope",
            Outcome::NotFoundByAddress => "not_found_by_address",
            Outcome::AppTokenRefused => "app_token_refused",
        }
    }
}

/// Why a returning state cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StateProblem {
    #[error("the sign-in took longer than 10 minutes")]
    Expired,
    #[error("this sign-in was already completed")]
    Used,
    #[error("this sign-in was started by another user of the app")]
    StartedByAnotherUser,
}

/// The state is bound to the app user who started the sign-in: a callback arriving in
/// another user's session (or without one) may not complete it.
pub fn check_same_user(
    started_by_user_id: Option<i32>,
    signed_in_user_id: Option<i32>,
) -> Result<(), StateProblem> {
    match started_by_user_id {
        Some(starter) if signed_in_user_id != Some(starter) => {
            Err(StateProblem::StartedByAnotherUser)
        }
        _ => Ok(()),
    }
}

/// A fresh state: 256 random bits, base64url.
pub fn new_state() -> CsrfToken {
    CsrfToken::new_random_len(32)
}

/// A fresh PKCE verifier (32 random bytes → 43 characters) and its S256 challenge.
pub fn new_pkce() -> (PkceCodeChallenge, PkceCodeVerifier) {
    PkceCodeChallenge::new_random_sha256()
}

/// SHA-256 of the state, hex: what the database stores and is searched by.
pub fn state_hash(state: &str) -> String {
    Sha256::digest(state.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Compares two hashes in constant time.
pub fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Whether an attempt found by its state may be completed `now`.
pub fn check_returning(
    outcome: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StateProblem> {
    if outcome != Outcome::Pending.as_str() {
        return Err(StateProblem::Used);
    }
    if now >= expires_at {
        return Err(StateProblem::Expired);
    }
    Ok(())
}

#[cfg(test)]
mod user_binding_tests {
    use super::{check_same_user, StateProblem};

    #[test]
    fn only_the_user_who_started_may_complete() {
        assert_eq!(check_same_user(Some(7), Some(7)), Ok(()));
        assert_eq!(
            check_same_user(Some(7), Some(8)),
            Err(StateProblem::StartedByAnotherUser)
        );
        assert_eq!(
            check_same_user(Some(7), None),
            Err(StateProblem::StartedByAnotherUser)
        );
        // Attempts started before accounts existed carry no user.
        assert_eq!(check_same_user(None, Some(8)), Ok(()));
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 2, 10, minute, 0).unwrap()
    }

    #[test]
    fn states_are_long_random_and_hashed() {
        let a = new_state();
        let b = new_state();
        assert_ne!(a.secret(), b.secret());
        assert_eq!(a.secret().len(), 43, "256 bits, base64url");
        let hash = state_hash(a.secret());
        assert_eq!(hash.len(), 64);
        assert!(same_hash(&hash, &state_hash(a.secret())));
        assert!(!same_hash(&hash, &state_hash(b.secret())));
        assert!(!same_hash(&hash, "short"));
    }

    #[test]
    fn pkce_follows_rfc_7636() {
        let verifier = PkceCodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into());
        let challenge = PkceCodeChallenge::from_code_verifier_sha256(&verifier);
        assert_eq!(
            challenge.as_str(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let (challenge, verifier) = new_pkce();
        assert_eq!(challenge.method().as_str(), "S256");
        assert_eq!(verifier.secret().len(), 43);
    }

    #[test]
    fn a_state_expires_after_ten_minutes_with_an_injected_clock() {
        let expires_at = at(0) + ATTEMPT_LIFETIME;
        assert_eq!(check_returning("pending", expires_at, at(9)), Ok(()));
        assert_eq!(
            check_returning("pending", expires_at, at(10)),
            Err(StateProblem::Expired)
        );
        assert_eq!(
            check_returning("success", expires_at, at(1)),
            Err(StateProblem::Used)
        );
        assert_eq!(
            check_returning("redeeming", expires_at, at(11)),
            Err(StateProblem::Used)
        );
    }

    #[test]
    fn kinds_round_trip() {
        for kind in [
            AttemptKind::Connect,
            AttemptKind::Refresh,
            AttemptKind::AdminConsent,
            AttemptKind::Preflight,
            AttemptKind::Callback,
            AttemptKind::MailSync,
        ] {
            assert_eq!(AttemptKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(AttemptKind::parse("other"), None);
    }
}
