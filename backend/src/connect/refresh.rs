//! [`ensure_fresh_access_token`]: what the mail sync calls before every Graph call. Refreshes
//! only when due, under a lease in the database (so one refresh per mailbox across every
//! server instance), stores the new refresh token every time, and never deletes tokens.

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use oauth2::RefreshToken;
use sea_orm::{DbErr, EntityTrait};
use secrecy::{ExposeSecret, SecretString};

use super::attempt::{AttemptKind, Outcome};
use super::attempts_store::{self, ErrorRecord, NewAttempt};
use super::refresh_policy::{classify, refresh_due, RefreshVerdict};
use super::tokens_store::{self, fresh_tokens, REFRESH_LEASE};
use crate::cipher::SecretColumn;
use crate::entities::{mailbox_microsoft_settings as settings, mailbox_token as token};
use crate::microsoft::identity::microsoft_error::MicrosoftError;
use crate::microsoft::identity::token_client::{TokenEndpoint, TokenFailure};
use crate::AppState;

/// Why no usable access token could be given.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error("mailbox {0} is not connected")]
    NotConnected(i32),
    #[error("mailbox {0} needs to be reconnected")]
    ReconnectNeeded(i32),
    #[error("another refresher held the lease too long")]
    Busy,
    /// Microsoft refused the refresh; recorded on attempt `attempt_id`.
    #[error("Microsoft refused the refresh: {error}")]
    Refused {
        attempt_id: i32,
        error: Box<MicrosoftError>,
        verdict: RefreshVerdict,
    },
    /// No (readable) answer; recorded on attempt `attempt_id`.
    #[error("refresh failed: {failure}")]
    Failed {
        attempt_id: i32,
        failure: TokenFailure,
    },
    #[error("stored secret unusable: {0}")]
    Secret(String),
    /// App-only (no refresh token): Microsoft refused the app's own token or did not
    /// answer; not recorded yet (the sync's bookkeeping records it).
    #[error("app-only token: {0}")]
    AppToken(TokenFailure),
    #[error("storage failed: {0}")]
    Storage(String),
}

fn storage(error: impl std::fmt::Display) -> RefreshError {
    RefreshError::Storage(error.to_string())
}

/// The mailbox's access token, refreshed first when less than 5 minutes remain at `now`.
pub async fn ensure_fresh_access_token(
    state: &AppState,
    mailbox_id: i32,
    now: DateTime<Utc>,
) -> Result<SecretString, RefreshError> {
    let timeout = state.microsoft.http_timeout;
    // The lease outlives the token request it guards, so a slow refresher keeps it.
    let lease =
        Duration::from_std(timeout * 2).unwrap_or(Duration::minutes(1)) + Duration::seconds(10);
    let started = Instant::now();
    loop {
        let now = now + Duration::from_std(started.elapsed()).unwrap_or_default();
        let (_, row) = usable_tokens(state, mailbox_id).await?;
        if !refresh_due(row.expires_at, now) {
            return decrypt(
                state,
                &row.access_token_encrypted,
                SecretColumn::AccessToken,
            );
        }
        let holder = uuid::Uuid::new_v4().simple().to_string();
        if REFRESH_LEASE
            .claim(&state.db, mailbox_id, &holder, now, now + lease)
            .await
            .map_err(storage)?
        {
            let result = refresh_under_lease(state, mailbox_id, &holder, now).await;
            crate::telemetry::token_refreshed(&result);
            if result.is_err() {
                REFRESH_LEASE
                    .release(&state.db, mailbox_id, &holder)
                    .await
                    .map_err(storage)?;
            }
            return result;
        }
        if started.elapsed() > timeout * 2 + StdDuration::from_secs(10) {
            return Err(RefreshError::Busy);
        }
        // Someone else refreshes: wait for its result rather than refreshing twice.
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
}

/// After Graph refused `rejected` with 401: refreshes now, even if the token looked fresh,
/// unless another caller has already replaced it (then that newer token is returned).
pub async fn refresh_rejected_access_token(
    state: &AppState,
    mailbox_id: i32,
    rejected: &SecretString,
    now: DateTime<Utc>,
) -> Result<SecretString, RefreshError> {
    let (_, row) = usable_tokens(state, mailbox_id).await?;
    let current = decrypt(
        state,
        &row.access_token_encrypted,
        SecretColumn::AccessToken,
    )?;
    if current.expose_secret() == rejected.expose_secret() {
        tokens_store::expire_access_token(&state.db, mailbox_id, &row.access_token_encrypted, now)
            .await
            .map_err(storage)?;
    }
    ensure_fresh_access_token(state, mailbox_id, now).await
}

/// The mailbox's Microsoft settings and tokens, unless it is not connected or needs a
/// reconnect.
async fn usable_tokens(
    state: &AppState,
    mailbox_id: i32,
) -> Result<(settings::Model, token::Model), RefreshError> {
    let settings = settings::Entity::find_by_id(mailbox_id)
        .one(&state.db)
        .await
        .map_err(storage)?;
    let Some(settings) = settings else {
        return Err(RefreshError::NotConnected(mailbox_id));
    };
    if settings.reconnect_needed {
        return Err(RefreshError::ReconnectNeeded(mailbox_id));
    }
    let tokens = tokens_store::load(&state.db, mailbox_id)
        .await
        .map_err(storage)?
        .ok_or(RefreshError::NotConnected(mailbox_id))?;
    Ok((settings, tokens))
}

fn decrypt(
    state: &AppState,
    stored: &[u8],
    column: SecretColumn,
) -> Result<SecretString, RefreshError> {
    state
        .cipher
        .decrypt(stored, column)
        .map(|decrypted| decrypted.secret)
        .map_err(|error| RefreshError::Secret(error.to_string()))
}

async fn refresh_under_lease(
    state: &AppState,
    mailbox_id: i32,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<SecretString, RefreshError> {
    // Read again under the lease: a refresher that finished just before may have done it.
    let (settings, row) = usable_tokens(state, mailbox_id).await?;
    if !refresh_due(row.expires_at, now) {
        REFRESH_LEASE
            .release(&state.db, mailbox_id, holder)
            .await
            .map_err(storage)?;
        return decrypt(
            state,
            &row.access_token_encrypted,
            SecretColumn::AccessToken,
        );
    }
    let stored_refresh = row
        .refresh_token_encrypted
        .as_deref()
        .ok_or(RefreshError::NotConnected(mailbox_id))?;
    let refresh_token = decrypt(state, stored_refresh, SecretColumn::RefreshToken)?;
    let credential = crate::app_registrations::credential_of(&state.db, &state.cipher, &settings)
        .await
        .map_err(|error| RefreshError::Secret(error.to_string()))?
        .ok_or(RefreshError::NotConnected(mailbox_id))?;
    let endpoint = TokenEndpoint::of_mailbox(state, &settings);
    let refresh_token = RefreshToken::new(refresh_token.expose_secret().to_string());
    match endpoint
        .redeem_refresh_token(&state.http, &credential, &refresh_token)
        .await
    {
        Ok(tokens) => {
            let fresh = fresh_tokens(&tokens, now);
            tokens_store::store_refreshed(
                &state.db,
                &state.cipher,
                mailbox_id,
                holder,
                &fresh,
                now,
            )
            .await
            .map_err(storage)?;
            tracing::info!(mailbox_id, "access token refreshed");
            Ok(fresh.access_token)
        }
        Err(failure) => Err(record_failure(state, mailbox_id, failure, now).await?),
    }
}

/// Records a failed refresh as an attempt of kind `refresh`; a definitive refusal also sets
/// "opnieuw verbinden nodig". The stored tokens are left alone either way.
async fn record_failure(
    state: &AppState,
    mailbox_id: i32,
    failure: TokenFailure,
    now: DateTime<Utc>,
) -> Result<RefreshError, RefreshError> {
    let outcome = match &failure {
        TokenFailure::Microsoft(_) => Outcome::TokenFailed,
        TokenFailure::Timeout | TokenFailure::Unreachable(_) => Outcome::Unreachable,
        TokenFailure::Malformed { .. } | TokenFailure::BadUrl(_) | TokenFailure::Credential(_) => {
            Outcome::Malformed
        }
    };
    let attempt_id = insert_refresh_attempt(
        state,
        mailbox_id,
        outcome,
        ErrorRecord::from_failure(&failure),
        now,
    )
    .await
    .map_err(storage)?;
    let TokenFailure::Microsoft(error) = failure else {
        tracing::warn!(mailbox_id, attempt_id, %failure, "token refresh failed; will retry");
        return Ok(RefreshError::Failed {
            attempt_id,
            failure,
        });
    };
    let verdict = classify(&error);
    if verdict == RefreshVerdict::ReconnectNeeded {
        tokens_store::mark_reconnect_needed(&state.db, mailbox_id)
            .await
            .map_err(storage)?;
    }
    tracing::warn!(
        mailbox_id,
        attempt_id,
        error = %error,
        trace_id = error.trace_id.as_deref().unwrap_or_default(),
        correlation_id = error.correlation_id.as_deref().unwrap_or_default(),
        ?verdict,
        "Microsoft refused the token refresh"
    );
    Ok(RefreshError::Refused {
        attempt_id,
        error,
        verdict,
    })
}

async fn insert_refresh_attempt(
    state: &AppState,
    mailbox_id: i32,
    outcome: Outcome,
    record: ErrorRecord,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    let new = NewAttempt {
        mailbox_id,
        kind: AttemptKind::Refresh,
        state_hash: None,
        pkce_verifier_encrypted: None,
        prompt: None,
        started_by_user_id: None,
    };
    let attempt_id = attempts_store::insert(&state.db, new, now).await?;
    attempts_store::finish(&state.db, attempt_id, outcome, record, now).await?;
    Ok(attempt_id)
}
