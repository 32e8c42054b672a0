//! Starting a sign-in or an admin consent: an attempt in the database (state hashed, PKCE
//! verifier encrypted), and the URL to send the browser to.

use chrono::{DateTime, Utc};
use sea_orm::{DbErr, EntityTrait};

use super::attempt::{new_pkce, new_state, state_hash, AttemptKind};
use super::attempts_store::{self, NewAttempt};
use crate::cipher::{CipherError, SecretColumn};
use crate::entities::{mailbox, mailbox_microsoft_settings as settings};
use crate::microsoft::identity::authorize::{admin_consent_url, AuthorizeRequest};
use crate::AppState;
use rules::connection::ConnectPrompt;

/// Why no sign-in could be started.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("mailbox not found")]
    NotFound,
    #[error("mailbox has no Microsoft settings or no client secret")]
    NotConfigured,
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    #[error("encryption error: {0}")]
    Cipher(#[from] CipherError),
    #[error("invalid URL: {0}")]
    Url(#[from] url::ParseError),
    #[error("stored credential: {0}")]
    Credential(#[from] crate::app_registrations::CredentialLoadError),
}

/// Creates a `connect` attempt and returns the authorize URL (docs/microsoft.md §2).
pub async fn start_connection(
    state: &AppState,
    mailbox_id: i32,
    prompt: ConnectPrompt,
    started_by_user_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<String, StartError> {
    let (mailbox, settings) = configured(state, mailbox_id).await?;
    let csrf = new_state();
    let (challenge, verifier) = new_pkce();
    let verifier_encrypted = state
        .cipher
        .encrypt(verifier.secret(), SecretColumn::PkceVerifier)?;
    let new = NewAttempt {
        mailbox_id,
        kind: AttemptKind::Connect,
        state_hash: Some(state_hash(csrf.secret())),
        pkce_verifier_encrypted: Some(verifier_encrypted),
        prompt: Some(prompt.as_str().to_string()),
        started_by_user_id,
    };
    let attempt_id = attempts_store::insert(&state.db, new, now).await?;
    tracing::info!(
        mailbox_id,
        attempt_id,
        prompt = prompt.as_str(),
        "Microsoft sign-in started"
    );
    let redirect_uri = state.redirect_uri();
    let url = AuthorizeRequest {
        login_url: &state.microsoft.login_url,
        tenant_id: &settings.tenant_id,
        client_id: &settings.client_id,
        redirect_uri: &redirect_uri,
        state: csrf.secret(),
        code_challenge: challenge.as_str(),
        login_hint: &mailbox.email,
        prompt,
    }
    .url()?;
    Ok(url)
}

/// Creates an `admin_consent` attempt and returns the admin consent URL (docs/microsoft.md §5).
pub async fn start_admin_consent(
    state: &AppState,
    mailbox_id: i32,
    started_by_user_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<String, StartError> {
    let (_, settings) = configured(state, mailbox_id).await?;
    let csrf = new_state();
    let new = NewAttempt {
        mailbox_id,
        kind: AttemptKind::AdminConsent,
        state_hash: Some(state_hash(csrf.secret())),
        pkce_verifier_encrypted: None,
        prompt: None,
        started_by_user_id,
    };
    let attempt_id = attempts_store::insert(&state.db, new, now).await?;
    tracing::info!(mailbox_id, attempt_id, "Microsoft admin consent started");
    Ok(admin_consent_url(
        &state.microsoft.login_url,
        &settings.tenant_id,
        &settings.client_id,
        &state.redirect_uri(),
        csrf.secret(),
    )?)
}

/// NotFound when there is no mailbox `mailbox_id`.
pub async fn ensure_mailbox(state: &AppState, mailbox_id: i32) -> Result<(), StartError> {
    mailbox::Entity::find_by_id(mailbox_id)
        .one(&state.db)
        .await?
        .map(|_| ())
        .ok_or(StartError::NotFound)
}

async fn configured(
    state: &AppState,
    mailbox_id: i32,
) -> Result<(mailbox::Model, settings::Model), StartError> {
    let mailbox = mailbox::Entity::find_by_id(mailbox_id)
        .one(&state.db)
        .await?
        .ok_or(StartError::NotFound)?;
    let settings = settings::Entity::find_by_id(mailbox_id)
        .one(&state.db)
        .await?
        .filter(crate::app_registrations::has_credential)
        .ok_or(StartError::NotConfigured)?;
    Ok((mailbox, settings))
}
