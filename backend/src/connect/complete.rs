//! Completing a callback: find the attempt by its state, claim it once, redeem the code,
//! check the account, store the tokens. Every end is recorded on the attempt.

use chrono::{DateTime, Utc};
use oauth2::{AuthorizationCode, CsrfToken, PkceCodeVerifier};
use sea_orm::{EntityTrait, TransactionTrait};
use secrecy::ExposeSecret;

use super::attempt::{check_returning, check_same_user, AttemptKind, Outcome, StateProblem};
use super::attempts_store::{self, ErrorRecord};
use super::callback_query::{parse_callback_query, CallbackQuery, RedirectError};
use super::error::ConnectError;
use super::tokens_store::{self, fresh_tokens, FreshTokens};
use crate::cipher::SecretColumn;
use crate::entities::{
    connection_attempt as attempt, mailbox, mailbox_microsoft_settings as settings,
};
use crate::microsoft::identity::discovery::discover_tenant_guid;
use crate::microsoft::identity::id_token::{
    check_claims, decode_claims, ExpectedAccount, IdTokenProblem,
};
use crate::microsoft::identity::token_client::{TokenEndpoint, TokenFailure};
use crate::AppState;
use rules::validation::Guid;

/// A callback that did what it was for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completed {
    /// `object_id_learned`: the mailbox had no Object ID and now has the signed-in
    /// account's (issue 18), for the audit entry.
    Connected {
        mailbox_id: i32,
        object_id_learned: bool,
    },
    AdminConsented {
        mailbox_id: i32,
    },
}

/// Handles the raw query of `GET /api/oauth/ms-azure/callback`.
pub async fn complete_callback(
    state: &AppState,
    raw_query: &str,
    signed_in_user_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<Completed, ConnectError> {
    match parse_callback_query(raw_query)? {
        CallbackQuery::Failed { error, state: None } => {
            Err(ConnectError::UnknownState { error: Some(error) })
        }
        CallbackQuery::Failed {
            error,
            state: Some(csrf),
        } => {
            let row = claimed(state, &csrf, None, Some(&error), signed_in_user_id, now).await?;
            attempts_store::finish(
                &state.db,
                row.id,
                Outcome::Denied,
                ErrorRecord::from_redirect(&error),
                now,
            )
            .await
            .map_err(storage)?;
            tracing::warn!(
                mailbox_id = row.mailbox_id,
                attempt_id = row.id,
                error = %error.error,
                description = error.error_description.as_deref().unwrap_or_default(),
                "Microsoft refused the sign-in"
            );
            Err(ConnectError::Denied {
                mailbox_id: row.mailbox_id,
                attempt_id: row.id,
                error,
            })
        }
        CallbackQuery::AdminConsented {
            state: csrf,
            tenant,
        } => {
            let row = claimed(
                state,
                &csrf,
                Some(AttemptKind::AdminConsent),
                None,
                signed_in_user_id,
                now,
            )
            .await?;
            attempts_store::finish(
                &state.db,
                row.id,
                Outcome::Success,
                ErrorRecord::default(),
                now,
            )
            .await
            .map_err(storage)?;
            tracing::info!(
                mailbox_id = row.mailbox_id,
                attempt_id = row.id,
                tenant = tenant.as_deref().unwrap_or_default(),
                "admin consent granted"
            );
            Ok(Completed::AdminConsented {
                mailbox_id: row.mailbox_id,
            })
        }
        CallbackQuery::Granted { code, state: csrf } => {
            let row = claimed(
                state,
                &csrf,
                Some(AttemptKind::Connect),
                None,
                signed_in_user_id,
                now,
            )
            .await?;
            let result = match redeem(state, &row, code, now).await {
                Ok(connected) => store_connected(state, &row, &connected, now)
                    .await
                    .map(|()| connected.learned_object_id),
                Err(error) => Err(error),
            };
            if let Err(error) = &result {
                let (outcome, record) = record_of(error);
                attempts_store::finish(&state.db, row.id, outcome, record, now)
                    .await
                    .map_err(storage)?;
            }
            match &result {
                Ok(learned) => tracing::info!(
                    mailbox_id = row.mailbox_id,
                    attempt_id = row.id,
                    object_id_learned = learned,
                    "mailbox connected"
                ),
                Err(error) => {
                    tracing::warn!(mailbox_id = row.mailbox_id, attempt_id = row.id, %error, "connecting failed")
                }
            }
            result.map(|object_id_learned| Completed::Connected {
                mailbox_id: row.mailbox_id,
                object_id_learned,
            })
        }
    }
}

/// The attempt of `csrf`, usable now and of `kind`, claimed for this callback alone.
async fn claimed(
    state: &AppState,
    csrf: &CsrfToken,
    kind: Option<AttemptKind>,
    error: Option<&RedirectError>,
    signed_in_user_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<attempt::Model, ConnectError> {
    let unknown = || ConnectError::UnknownState {
        error: error.cloned(),
    };
    let row = attempts_store::find_by_state(&state.db, csrf.secret())
        .await
        .map_err(storage)?
        .ok_or_else(unknown)?;
    if kind.is_some_and(|kind| AttemptKind::parse(&row.kind) != Some(kind)) {
        return Err(unknown());
    }
    let mailbox_id = row.mailbox_id;
    let checked = check_returning(&row.outcome, row.expires_at, now)
        .and_then(|()| check_same_user(row.started_by_user_id, signed_in_user_id));
    let claimed = match checked {
        Ok(()) => attempts_store::claim(&state.db, row.id, now)
            .await
            .map_err(storage)?,
        Err(_) => false,
    };
    if !claimed {
        let problem = checked.err().unwrap_or(StateProblem::Used);
        record_refused(state, &row, problem, error, now).await;
        return Err(ConnectError::State {
            mailbox_id,
            problem,
        });
    }
    Ok(row)
}

/// Keeps a refused callback in the mailbox's history (with Microsoft's error, if it sent
/// one). Failing to record it must not change the answer to the browser.
async fn record_refused(
    state: &AppState,
    row: &attempt::Model,
    problem: StateProblem,
    error: Option<&RedirectError>,
    now: DateTime<Utc>,
) {
    let outcome = match problem {
        StateProblem::Expired => Outcome::CallbackExpired,
        StateProblem::Used => Outcome::CallbackUsed,
        StateProblem::StartedByAnotherUser => Outcome::CallbackOtherUser,
    };
    let new = attempts_store::NewAttempt {
        mailbox_id: row.mailbox_id,
        kind: AttemptKind::Callback,
        state_hash: None,
        pkce_verifier_encrypted: None,
        prompt: None,
        started_by_user_id: row.started_by_user_id,
    };
    let record = match error {
        Some(error) => ErrorRecord::from_redirect(error),
        None => ErrorRecord::local(outcome.as_str(), format!("{problem} (attempt #{})", row.id)),
    };
    let stored = match attempts_store::insert(&state.db, new, now).await {
        Ok(id) => attempts_store::finish(&state.db, id, outcome, record, now).await,
        Err(error) => Err(error),
    };
    if let Err(error) = stored {
        tracing::error!(mailbox_id = row.mailbox_id, %error, "could not record a refused callback");
    }
}

fn storage(error: impl std::fmt::Display) -> ConnectError {
    ConnectError::Storage(error.to_string())
}

/// What a redeemed code gave: the tokens and the account that signed in (the right one).
struct Connected {
    tokens: FreshTokens,
    object_id: String,
    upn: Option<String>,
    /// The mailbox had no Object ID: the account's `oid` is stored as its Object ID.
    learned_object_id: bool,
}

/// Redeems the code and checks that the right account signed in.
async fn redeem(
    state: &AppState,
    row: &attempt::Model,
    code: AuthorizationCode,
    now: DateTime<Utc>,
) -> Result<Connected, ConnectError> {
    let (mailbox_id, attempt_id) = (row.mailbox_id, row.id);
    let settings_error = |detail: String| ConnectError::Settings {
        mailbox_id,
        attempt_id,
        detail,
    };
    // The settings with their mailbox, in one query.
    let found = settings::Entity::find_by_id(mailbox_id)
        .find_also_related(mailbox::Entity)
        .one(&state.db)
        .await
        .map_err(storage)?;
    let Some((settings, Some(mailbox))) = found else {
        return Err(settings_error(
            "mailbox or Microsoft settings deleted".into(),
        ));
    };
    let decrypt = |stored: Option<&Vec<u8>>, column| {
        let stored = stored.ok_or_else(|| settings_error(format!("{column:?} missing")))?;
        state
            .cipher
            .decrypt(stored, column)
            .map(|d| d.secret)
            .map_err(|e| settings_error(e.to_string()))
    };
    let credential = crate::app_registrations::credential_of(&state.db, &state.cipher, &settings)
        .await
        .map_err(|e| settings_error(e.to_string()))?
        .ok_or_else(|| settings_error("no credential stored".into()))?;
    let verifier = decrypt(
        row.pkce_verifier_encrypted.as_ref(),
        SecretColumn::PkceVerifier,
    )?;
    let tenant_guid = match Guid::parse(&settings.tenant_id) {
        Ok(guid) => guid.to_string(),
        Err(_) => {
            discover_tenant_guid(&state.http, &state.microsoft.login_url, &settings.tenant_id)
                .await
                .map_err(|failure| ConnectError::Discovery {
                    mailbox_id,
                    attempt_id,
                    failure,
                })?
        }
    };
    let endpoint = TokenEndpoint::of_mailbox(state, &settings);
    let verifier = PkceCodeVerifier::new(verifier.expose_secret().to_string());
    let tokens = endpoint
        .redeem_code(&state.http, &credential, code, verifier)
        .await
        .map_err(|failure| ConnectError::Token {
            mailbox_id,
            attempt_id,
            failure,
        })?;
    let id_problem = |problem| ConnectError::IdToken {
        mailbox_id,
        attempt_id,
        problem,
    };
    let id_token = tokens
        .extra_fields()
        .id_token
        .as_deref()
        .ok_or(id_problem(IdTokenProblem::Missing))?;
    let claims = decode_claims(id_token).map_err(id_problem)?;
    let expected = ExpectedAccount {
        client_id: &settings.client_id,
        tenant_guid: &tenant_guid,
        login_url: &state.microsoft.login_url,
        object_id: &settings.object_id,
        address: &mailbox.email,
    };
    let account = match check_claims(&claims, expected, now) {
        Ok(account) => account,
        Err(IdTokenProblem::WrongAccount(signed_in)) => {
            return Err(ConnectError::WrongAccount {
                mailbox_id,
                attempt_id,
                signed_in,
                mailbox_email: mailbox.email,
                object_id: settings.object_id,
            })
        }
        Err(IdTokenProblem::WrongAddress(signed_in)) => {
            return Err(ConnectError::WrongAddress {
                mailbox_id,
                attempt_id,
                signed_in,
                mailbox_email: mailbox.email,
            })
        }
        Err(problem) => return Err(id_problem(problem)),
    };
    let fresh = fresh_tokens(&tokens, now);
    if fresh.refresh_token.is_none() {
        let detail = "no refresh_token (offline_access not granted?)".to_string();
        let failure = TokenFailure::Malformed { detail, body: None };
        return Err(ConnectError::Token {
            mailbox_id,
            attempt_id,
            failure,
        });
    }
    Ok(Connected {
        tokens: fresh,
        object_id: account.object_id,
        upn: account.upn,
        learned_object_id: settings.object_id.trim().is_empty(),
    })
}

/// Stores the tokens (and a learned Object ID) and finishes the attempt as a success in one
/// transaction: a mailbox is never connected by an attempt that still looks unfinished, nor
/// the other way round, nor connected without the Object ID its sync addresses it by.
async fn store_connected(
    state: &AppState,
    row: &attempt::Model,
    connected: &Connected,
    now: DateTime<Utc>,
) -> Result<(), ConnectError> {
    let txn = state.db.begin().await.map_err(storage)?;
    if connected.learned_object_id
        && !tokens_store::store_learned_object_id(&txn, row.mailbox_id, &connected.object_id)
            .await
            .map_err(storage)?
    {
        // A save filled in an Object ID while the admin was at Microsoft: that one was
        // not checked against this account. Nothing is stored.
        txn.rollback().await.map_err(storage)?;
        return Err(ConnectError::Settings {
            mailbox_id: row.mailbox_id,
            attempt_id: row.id,
            detail: "an Object ID was saved during the sign-in".into(),
        });
    }
    tokens_store::store_connected(
        &txn,
        &state.cipher,
        row.mailbox_id,
        &connected.tokens,
        (&connected.object_id, connected.upn.as_deref()),
        now,
    )
    .await
    .map_err(storage)?;
    let success = ErrorRecord::default();
    attempts_store::finish(&txn, row.id, Outcome::Success, success, now)
        .await
        .map_err(storage)?;
    txn.commit().await.map_err(storage)
}

/// The outcome and record of a failed callback.
fn record_of(error: &ConnectError) -> (Outcome, ErrorRecord) {
    match error {
        ConnectError::Token { failure, .. } | ConnectError::Discovery { failure, .. } => {
            let outcome = match failure {
                TokenFailure::Microsoft(_) => Outcome::TokenFailed,
                TokenFailure::Timeout | TokenFailure::Unreachable(_) => Outcome::Unreachable,
                TokenFailure::Malformed { .. }
                | TokenFailure::BadUrl(_)
                | TokenFailure::Credential(_) => Outcome::Malformed,
            };
            (outcome, ErrorRecord::from_failure(failure))
        }
        ConnectError::WrongAccount { signed_in, .. } => {
            (Outcome::WrongAccount, ErrorRecord::wrong_account(signed_in))
        }
        ConnectError::WrongAddress { signed_in, .. } => {
            (Outcome::WrongAddress, ErrorRecord::wrong_address(signed_in))
        }
        ConnectError::IdToken { problem, .. } => (
            Outcome::InvalidIdToken,
            ErrorRecord::local("invalid_id_token", problem.to_string()),
        ),
        other => (
            Outcome::TokenFailed,
            ErrorRecord::local("local", other.to_string()),
        ),
    }
}
