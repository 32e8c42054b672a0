//! A mailbox connected without its password (issue 18, docs/microsoft.md §9): the app
//! registration's own token (client credentials), from the one cache keyed per registration
//! and credential, and the mailbox addressed by its Object ID or, when that is empty, by its
//! e-mail address (Graph's `/users/{userPrincipalName}`). Used by the mail sync, sending
//! and the preflight, so all three ask for and address the mailbox the same way.
//!
//! Pure, unit-tested in place: [`read_claims`] and [`name_refusal`]. I/O: [`load`] and
//! [`fetch_token`].

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use oauth2::TokenResponse as _;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use secrecy::SecretString;
use serde::Deserialize;

use crate::entities::{mailbox, mailbox_microsoft_settings as settings};
use crate::microsoft::graph::GraphError;
use crate::microsoft::identity::token_client::{TokenEndpoint, TokenFailure};
use crate::microsoft::identity::ClientCredential;
use crate::outgoing::{AppRegistration, AppToken};
use crate::AppState;
use rules::passwordless::{tenant_wide_mail_roles, ConnectionMethod};

/// The connection method stored for a mailbox's Microsoft settings.
pub fn method_of(settings: &settings::Model) -> ConnectionMethod {
    ConnectionMethod::parse(&settings.connection_method)
}

/// How Graph is to address the mailbox: its Object ID, or its e-mail address when no
/// Object ID is stored (Graph takes the user principal name where it takes the ID).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailboxKey {
    pub key: String,
    /// Addressed by its e-mail address: a 404 then means the address is no UPN.
    pub by_address: bool,
}

impl MailboxKey {
    pub fn of(object_id: &str, email: &str) -> Self {
        let object_id = object_id.trim();
        if object_id.is_empty() {
            MailboxKey {
                key: email.trim().to_string(),
                by_address: true,
            }
        } else {
            MailboxKey {
                key: object_id.to_string(),
                by_address: false,
            }
        }
    }
}

/// What asking for the app's token and addressing the mailbox need.
pub struct AppCredentials {
    pub registration: AppRegistration,
    pub tenant_id: String,
    pub client_id: String,
    pub credential: ClientCredential,
    pub mailbox: MailboxKey,
    /// The mailbox's address, for the scope script.
    pub email: String,
}

/// Why no credentials could be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error("mailbox {0} has no Microsoft Azure api instellingen or no client secret")]
    NotConfigured(i32),
    #[error("the stored credential cannot be used")]
    Secret,
    #[error(transparent)]
    Storage(#[from] DbErr),
}

/// The mailbox's app registration with the secret decrypted, and how to address it.
pub async fn load(
    state: &AppState,
    db: &impl ConnectionTrait,
    mailbox_id: i32,
) -> Result<AppCredentials, CredentialsError> {
    let not_configured = || CredentialsError::NotConfigured(mailbox_id);
    let stored = settings::Entity::find_by_id(mailbox_id)
        .one(db)
        .await?
        .ok_or_else(not_configured)?;
    let row = mailbox::Entity::find_by_id(mailbox_id)
        .one(db)
        .await?
        .ok_or_else(not_configured)?;
    let credential = crate::app_registrations::credential_of(db, &state.cipher, &stored)
        .await
        .map_err(|error| {
            tracing::error!(mailbox_id, %error, "the stored credential cannot be used");
            CredentialsError::Secret
        })?
        .ok_or_else(not_configured)?;
    Ok(AppCredentials {
        registration: AppRegistration::new(&stored.tenant_id, &stored.client_id, &credential),
        tenant_id: stored.tenant_id.trim().to_string(),
        client_id: stored.client_id.trim().to_string(),
        credential,
        mailbox: MailboxKey::of(&stored.object_id, &row.email),
        email: row.email.trim().to_string(),
    })
}

/// The cached app token of these credentials, or a new one (client credentials,
/// docs/microsoft.md §3). A failed request is not cached.
pub async fn fetch_token(
    state: &AppState,
    credentials: &AppCredentials,
    now: DateTime<Utc>,
) -> Result<AppToken, TokenFailure> {
    let registration = &credentials.registration;
    state
        .app_tokens
        .get_or_fetch(registration, now, || async {
            let response = TokenEndpoint::app(
                &state.microsoft.login_url,
                registration.tenant_id(),
                registration.client_id(),
            )
            .client_credentials(&state.http, &credentials.credential)
            .await?;
            let lifetime = response
                .expires_in()
                .and_then(|d| Duration::from_std(d).ok())
                // Microsoft always says; an hour is its usual lifetime.
                .unwrap_or_else(|| Duration::hours(1));
            tracing::info!(
                tenant_id = registration.tenant_id(),
                client_id = registration.client_id(),
                "app-only token fetched"
            );
            Ok::<_, TokenFailure>(AppToken {
                access_token: SecretString::from(response.access_token().secret().clone()),
                expires_at: now + lifetime,
            })
        })
        .await
}

/// What the app-only token says of the app's access: the application permissions granted
/// in Entra (`roles`; Exchange RBAC grants never appear here) and the service principal's
/// object ID (`oid`). Read without checking the signature: only shown and used to choose
/// advice, never to grant anything. Microsoft may make Graph tokens unreadable: then None.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct AppTokenClaims {
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub oid: Option<String>,
}

impl AppTokenClaims {
    /// Whether an Entra grant reaches every mailbox of the organisation.
    pub fn tenant_wide(&self) -> bool {
        !tenant_wide_mail_roles(&self.roles).is_empty()
    }
}

/// The claims of a JWT access token; None when it is no readable JWT.
pub fn read_claims(access_token: &str) -> Option<AppTokenClaims> {
    let payload = access_token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A refusal of Graph that the app-only method explains better than the Graph code alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// 403 `ErrorAccessDenied` (not an access policy) while the token holds no tenant-wide
    /// mail role: the only grants are Exchange RBAC ones and this mailbox is outside their
    /// scope, or no permission or admin consent at all.
    OutsideScope,
    /// 404 `ErrorInvalidUser` for a mailbox addressed by its e-mail address: the address is
    /// no user principal name (an alias); the Object ID is needed.
    NotFoundByAddress,
}

impl Refusal {
    /// The attempt outcome it is recorded as.
    pub fn outcome(self) -> &'static str {
        match self {
            Refusal::OutsideScope => "outside_scope",
            Refusal::NotFoundByAddress => "not_found_by_address",
        }
    }
}

/// Names Graph's `error` for an app-only mailbox; None when Graph's own code says it all.
pub fn name_refusal(error: &GraphError, by_address: bool, tenant_wide: bool) -> Option<Refusal> {
    match (error.status, error.code.as_str()) {
        (403, "ErrorAccessDenied") if !tenant_wide && !error.message.contains("OData") => {
            Some(Refusal::OutsideScope)
        }
        (404, "ErrorInvalidUser") if by_address => Some(Refusal::NotFoundByAddress),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
    use super::*;

    fn jwt(claims: &str) -> String {
        format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256"}"#),
            URL_SAFE_NO_PAD.encode(claims.as_bytes())
        )
    }

    #[test]
    fn claims_are_read_and_tenant_wide_roles_found() {
        let claims = read_claims(&jwt(
            r#"{"roles":["Mail.ReadWrite"],"oid":"sp-1","idtyp":"app"}"#,
        ))
        .unwrap();
        assert_eq!(claims.oid.as_deref(), Some("sp-1"));
        assert!(claims.tenant_wide());
        let scoped = read_claims(&jwt(r#"{"oid":"sp-1"}"#)).unwrap();
        assert!(!scoped.tenant_wide());
        assert_eq!(read_claims("opaque"), None);
    }

    #[test]
    fn a_mailbox_without_object_id_is_addressed_by_its_address() {
        let by_address = MailboxKey::of("  ", " gedeeld@example.nl ");
        assert_eq!(by_address.key, "gedeeld@example.nl");
        assert!(by_address.by_address);
        assert!(!MailboxKey::of("abc", "x@y.nl").by_address);
    }

    #[test]
    fn refusals_are_named_by_what_the_token_holds() {
        let denied = GraphError {
            status: 403,
            code: "ErrorAccessDenied".into(),
            message: "Access is denied. Check credentials and try again.".into(),
            ..GraphError::default()
        };
        assert_eq!(
            name_refusal(&denied, false, false),
            Some(Refusal::OutsideScope)
        );
        assert_eq!(name_refusal(&denied, false, true), None);
        let policy = GraphError {
            message: "Access to OData is disabled.".into(),
            ..denied.clone()
        };
        assert_eq!(name_refusal(&policy, false, false), None);
        let invalid = GraphError {
            status: 404,
            code: "ErrorInvalidUser".into(),
            ..GraphError::default()
        };
        assert_eq!(
            name_refusal(&invalid, true, false),
            Some(Refusal::NotFoundByAddress)
        );
        assert_eq!(name_refusal(&invalid, false, false), None);
    }
}
