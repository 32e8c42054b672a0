//! Outgoing mail over Microsoft Graph (issue 8, docs/microsoft.md §3 and §6): `sendMail` as the
//! mailbox's user with the app's own token (client credentials, Mail.Send application
//! permission), saved to Sent Items.
//!
//! Pure core, unit-tested in place: [`message`] (the request body, the 3 MB limit),
//! [`retry`] (what may be sent again), [`token_cache::is_usable`] (the 5-minute margin),
//! [`error`] (codes and advice). I/O: [`graph`] (HTTP), [`token_cache::AppTokens`] (the
//! cache in `AppState`), and [`send_mail`] here.

pub mod error;
pub mod graph;
pub mod message;
pub mod retry;
pub mod token_cache;

use chrono::{Duration, Utc};
use oauth2::TokenResponse as _;
use sea_orm::EntityTrait;
use secrecy::SecretString;

pub use crate::graph_retry::RetryPolicy;
pub use error::SendError;
pub use message::{OutgoingAttachment, OutgoingBody, OutgoingMail, MAX_INLINE_ATTACHMENT};
pub use token_cache::{AppRegistration, AppToken, AppTokens};

use self::graph::Answer;
use self::retry::{sending_policy, transience, Failure};
use crate::cipher::SecretColumn;
use crate::entities::{mailbox, mailbox_microsoft_settings as settings};
use crate::graph_retry::jitter;
use crate::microsoft::identity::token_client::{TokenEndpoint, TokenFailure};
use crate::AppState;

/// What a successful send took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sent {
    /// Requests to `sendMail`, the successful one included.
    pub attempts: u32,
}

/// Sends `mail` as mailbox `mailbox_id`, with the app's retry bounds.
pub async fn send_mail(
    state: &AppState,
    mailbox_id: i32,
    mail: &OutgoingMail,
) -> Result<Sent, SendError> {
    send_mail_with(state, mailbox_id, mail, &sending_policy()).await
}

/// [`send_mail`] with explicit retry bounds.
pub async fn send_mail_with(
    state: &AppState,
    mailbox_id: i32,
    mail: &OutgoingMail,
    policy: &RetryPolicy,
) -> Result<Sent, SendError> {
    // Checked before anything goes to Microsoft: a too-large file is refused, not dropped.
    let body = message::send_mail_body(mail)?;
    let sender = Sender::load(state, mailbox_id).await?;
    let mut token = sender.token(state).await?;
    let mut renewed = false;
    let mut attempts = 0_u32;
    loop {
        attempts += 1;
        let answer = graph::post_send_mail(
            &state.http,
            &state.microsoft.graph_url,
            &sender.object_id,
            &token.access_token,
            &body,
        )
        .await;
        let (failure, retry_after, error) = match answer {
            Answer::Accepted => {
                tracing::info!(mailbox_id, attempts, "mail sent through Graph");
                return Ok(Sent { attempts });
            }
            // Graph refused the token (expired early, revoked): once, a new one.
            Answer::Refused { status: 401, .. } if !renewed => {
                tracing::info!(
                    mailbox_id,
                    "Graph refused the app token; fetching a new one"
                );
                state.app_tokens.forget(&sender.registration, &token).await;
                token = sender.token(state).await?;
                renewed = true;
                attempts -= 1;
                continue;
            }
            Answer::Refused {
                status,
                error,
                retry_after,
            } => (
                Failure::Status(status),
                retry_after,
                SendError::Graph {
                    status,
                    error,
                    retry_after,
                },
            ),
            Answer::NoAnswer => (Failure::NoAnswer, None, SendError::NoAnswer),
            Answer::NotSent(detail) => (Failure::NotSent, None, SendError::Unreachable(detail)),
        };
        match policy.next_wait(attempts, transience(failure, retry_after), jitter()) {
            Some(wait) => {
                tracing::warn!(mailbox_id, attempts, code = %error.code(), wait_ms = wait.as_millis() as u64, "sendMail failed; retrying");
                // The same injectable pause as the sync: tests record the wait.
                state.mail.pause.sleep(wait).await;
            }
            None => {
                tracing::warn!(mailbox_id, attempts, code = %error.code(), %error, "sendMail failed");
                return Err(error);
            }
        }
    }
}

/// The sending mailbox: its user and app registration, with the secret decrypted.
struct Sender {
    object_id: String,
    registration: AppRegistration,
    secret: SecretString,
}

impl Sender {
    async fn load(state: &AppState, mailbox_id: i32) -> Result<Sender, SendError> {
        let Some(stored) = settings::Entity::find_by_id(mailbox_id)
            .one(&state.db)
            .await?
        else {
            let exists = mailbox::Entity::find_by_id(mailbox_id)
                .one(&state.db)
                .await?
                .is_some();
            return Err(if exists {
                SendError::NotConfigured
            } else {
                SendError::NotFound
            });
        };
        let encrypted = stored
            .client_secret_encrypted
            .as_deref()
            .ok_or(SendError::NotConfigured)?;
        let secret = state
            .cipher
            .decrypt(encrypted, SecretColumn::ClientSecret)
            .map_err(|error| {
                tracing::error!(mailbox_id, %error, "the stored client secret cannot be decrypted");
                SendError::Secret
            })?
            .secret;
        Ok(Sender {
            object_id: stored.object_id.trim().to_string(),
            registration: AppRegistration::new(&stored.tenant_id, &stored.client_id),
            secret,
        })
    }

    /// The cached app token, or a new one.
    async fn token(&self, state: &AppState) -> Result<AppToken, SendError> {
        let registration = &self.registration;
        state
            .app_tokens
            .get_or_fetch(registration, Utc::now(), || async {
                let response = TokenEndpoint::app(
                    &state.microsoft.login_url,
                    registration.tenant_id(),
                    registration.client_id(),
                )
                .client_credentials(&state.http, &self.secret)
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
                    expires_at: Utc::now() + lifetime,
                })
            })
            .await
            .map_err(SendError::Token)
    }
}
