//! What the fake has issued: authorization codes, refresh tokens and access tokens, with the
//! facts each later check needs.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::pkce::PkceChallenge;

/// Authorization codes are single use and live 10 minutes.
pub const CODE_LIFETIME: Duration = Duration::minutes(10);
/// `expires_in` of access tokens, seconds (Microsoft: 60–90 minutes, typically 3599).
pub const ACCESS_TOKEN_SECONDS: i64 = 3599;
/// A refresh token unused this long expires (AADSTS700082).
pub const REFRESH_TOKEN_INACTIVITY: Duration = Duration::days(90);

/// An authorization code handed to the redirect URI.
#[derive(Debug, Clone)]
pub struct AuthorizationCode {
    /// The client it was issued to.
    pub client_id: Uuid,
    /// The signed-in user's tenant.
    pub tenant_id: Uuid,
    /// The signed-in user's object ID.
    pub user: Uuid,
    /// The redirect URI of the authorize request (the token request must repeat it).
    pub redirect_uri: String,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// PKCE challenge, when the authorize request carried one.
    pub pkce: Option<PkceChallenge>,
    /// OpenID Connect `nonce`, copied into the id_token.
    pub nonce: Option<String>,
    /// Issue time.
    pub issued_at: DateTime<Utc>,
    /// Set once the code is redeemed.
    pub redeemed_at: Option<DateTime<Utc>>,
    /// Whether the sign-in satisfied MFA.
    pub mfa: bool,
}

/// A refresh token.
#[derive(Debug, Clone)]
pub struct RefreshGrant {
    /// The client it was issued to.
    pub client_id: Uuid,
    /// The user's tenant.
    pub tenant_id: Uuid,
    /// The user's object ID.
    pub user: Uuid,
    /// Scopes it may be exchanged for.
    pub scopes: Vec<String>,
    /// Issue time (each use issues a new one, so also the last activity).
    pub issued_at: DateTime<Utc>,
    /// Whether the original sign-in satisfied MFA.
    pub mfa: bool,
    /// How often it has been exchanged (Microsoft keeps old refresh tokens valid; the
    /// count lets tests see a client that does not store the rotated one).
    pub uses: u32,
}

/// Who an access token speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessSubject {
    /// App-only (client credentials): the `roles` claim.
    App {
        /// Application permissions granted with admin consent when the token was issued.
        roles: Vec<String>,
    },
    /// Delegated: a user and the `scp` claim.
    User {
        /// The user's object ID.
        object_id: Uuid,
        /// Granted scopes.
        scopes: Vec<String>,
    },
}

/// An access token for Graph.
#[derive(Debug, Clone)]
pub struct AccessGrant {
    /// The client it was issued to.
    pub client_id: Uuid,
    /// The tenant whose data it reaches.
    pub tenant_id: Uuid,
    /// After this instant Graph answers 401 `InvalidAuthenticationToken`.
    pub expires_at: DateTime<Utc>,
    /// App-only or delegated.
    pub subject: AccessSubject,
}

/// Everything issued so far, keyed by the opaque string the client holds.
#[derive(Debug, Default)]
pub struct Grants {
    /// Authorization codes.
    pub codes: HashMap<String, AuthorizationCode>,
    /// Refresh tokens.
    pub refresh_tokens: HashMap<String, RefreshGrant>,
    /// Access tokens.
    pub access_tokens: HashMap<String, AccessGrant>,
}

impl AuthorizationCode {
    /// Whether the code is past its 10 minutes at `now`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        now - self.issued_at > CODE_LIFETIME
    }
}

impl RefreshGrant {
    /// Whether the token has been unused for 90 days at `now`.
    pub fn is_inactive(&self, now: DateTime<Utc>) -> bool {
        now - self.issued_at > REFRESH_TOKEN_INACTIVITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_expire_after_ten_minutes() {
        let issued_at = Utc::now();
        let code = AuthorizationCode {
            client_id: Uuid::nil(),
            tenant_id: Uuid::nil(),
            user: Uuid::nil(),
            redirect_uri: String::new(),
            scopes: Vec::new(),
            pkce: None,
            nonce: None,
            issued_at,
            redeemed_at: None,
            mfa: false,
        };
        assert!(!code.is_expired(issued_at + Duration::minutes(10)));
        assert!(code.is_expired(issued_at + Duration::minutes(10) + Duration::seconds(1)));
    }
}
