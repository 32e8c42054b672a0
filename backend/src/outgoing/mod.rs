//! Outgoing mail over Microsoft Graph (issue 8, docs/microsoft.md §3 and §6): `sendMail` as the
//! mailbox's user with the app's own token (client credentials, Mail.Send application
//! permission), saved to Sent Items.
//!
//! Pure core, unit-tested in place: [`message`] (the request body, the 3 MB limit),
//! [`token_cache::is_usable`] (the 5-minute margin), [`error`] (codes and advice). I/O: the
//! one Graph client ([`crate::microsoft::graph`]), [`token_cache::AppTokens`] (the cache in
//! `AppState`), and [`send_mail`] here.

pub mod error;
pub mod message;
pub mod smtp;
pub mod token_cache;

use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use oauth2::TokenResponse as _;
use sea_orm::EntityTrait;
use secrecy::SecretString;

pub use error::SendError;
pub use message::{OutgoingAttachment, OutgoingBody, OutgoingMail, MAX_INLINE_ATTACHMENT};
pub use token_cache::{AppRegistration, AppToken, AppTokens};

use crate::cipher::SecretColumn;
use crate::entities::{mailbox, mailbox_microsoft_settings as settings};
use crate::microsoft::graph::{user_url, GraphClient, GraphFailure, Renew, RetryPolicy};
use crate::microsoft::identity::token_client::{TokenEndpoint, TokenFailure};
use crate::AppState;

/// What a successful send took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sent {
    /// Requests to `sendMail`, the successful one included.
    pub attempts: u32,
}

/// The bounds for sending: an admin waits for "Stuur testmail", so shorter than a sync's.
pub fn sending_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: StdDuration::from_millis(500),
        max_delay: StdDuration::from_secs(8),
        max_retry_after: StdDuration::from_secs(30),
    }
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
    // Checked before anything goes out: a too-large file is refused, not dropped.
    let body = message::send_mail_body(mail)?;
    // An SMTP mailbox sends through its own server (issue 23).
    if let Some(mailbox) = mailbox::Entity::find_by_id(mailbox_id)
        .one(&state.db)
        .await?
        .filter(|m| m.outgoing_server_type == smtp::SMTP)
    {
        let account = smtp::SmtpAccount::of(state, &mailbox)?;
        return match smtp::send(&account, &state.mail.tls_roots, mail).await {
            Ok(()) => {
                tracing::info!(mailbox_id, "mail sent over SMTP");
                Ok(Sent { attempts: 1 })
            }
            Err(error) => {
                tracing::warn!(mailbox_id, code = %error.code(), %error, "SMTP send failed");
                Err(error)
            }
        };
    }
    let sender = Sender::load(state, mailbox_id).await?;
    let token = sender.token(state).await?;
    // `POST {graph}/v1.0/users/{object-id}/sendMail` (docs/microsoft.md §6).
    let url = user_url(&state.microsoft.graph_url, &sender.object_id, &["sendMail"])
        .map_err(|error| SendError::Unreachable(format!("invalid Graph URL: {error}")))?;
    let access_token = token.access_token.clone();
    let renewal = NewAppToken {
        state,
        sender: &sender,
        current: token,
        mailbox_id,
    };
    let mut graph = GraphClient::new(
        &state.http,
        *policy,
        // The same injectable pause as the sync: tests record the wait.
        state.mail.pause.as_ref(),
        mailbox_id,
        access_token,
        renewal,
    );
    match graph.post_action(url.as_str(), &body).await {
        Ok(attempts) => {
            tracing::info!(mailbox_id, attempts, "mail sent through Graph");
            Ok(Sent { attempts })
        }
        Err(failure) => {
            let error = send_error(failure);
            tracing::warn!(mailbox_id, code = %error.code(), %error, "sendMail failed");
            Err(error)
        }
    }
}

/// What a failed `sendMail` means for the admin. A request that may have reached Graph
/// without an answer may have sent the mail: it is reported so, never repeated.
fn send_error(failure: GraphFailure<SendError>) -> SendError {
    match failure {
        GraphFailure::Answered(error) => SendError::Graph(error),
        GraphFailure::NoAnswer {
            may_have_arrived: true,
            ..
        } => SendError::NoAnswer,
        GraphFailure::NoAnswer { error, .. } => {
            SendError::Unreachable(error.without_url().to_string())
        }
        // The answer to `sendMail` is not read, so never malformed.
        GraphFailure::Malformed { detail, .. } => SendError::Unreachable(detail),
        GraphFailure::Token(error) => error,
    }
}

/// A new app token after Graph refused the cached one (expired early, revoked).
struct NewAppToken<'a> {
    state: &'a AppState,
    sender: &'a Sender,
    current: AppToken,
    mailbox_id: i32,
}

impl Renew for NewAppToken<'_> {
    type Error = SendError;

    async fn renew(&mut self, _: &SecretString) -> Result<Option<SecretString>, SendError> {
        tracing::info!(
            mailbox_id = self.mailbox_id,
            "Graph refused the app token; fetching a new one"
        );
        let state = self.state;
        state
            .app_tokens
            .forget(&self.sender.registration, &self.current)
            .await;
        self.current = self.sender.token(state).await?;
        Ok(Some(self.current.access_token.clone()))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::microsoft::graph::retry::{classify_status, classify_unanswered};

    #[test]
    fn a_send_without_answer_is_never_repeated() {
        let policy = sending_policy();
        // `sendMail` is not idempotent: sent without answer, it may have gone out.
        let no_answer = classify_unanswered(true, false);
        assert_eq!(policy.next_wait(1, no_answer, 0.5), None);
        let not_sent = classify_unanswered(false, false);
        assert!(policy.next_wait(1, not_sent, 0.5).is_some());
    }

    #[test]
    fn throttling_waits_what_graph_asks_up_to_half_a_minute() {
        let policy = sending_policy();
        let wait = |seconds| {
            let failure = classify_status(429, Some(StdDuration::from_secs(seconds)));
            policy.next_wait(1, failure, 0.5)
        };
        assert_eq!(wait(3), Some(StdDuration::from_secs(3)));
        assert_eq!(wait(600), None, "the admin is told the wait instead");
        for status in [400, 401, 403, 404, 413] {
            let failure = classify_status(status, None);
            assert_eq!(policy.next_wait(1, failure, 0.5), None, "{status}");
        }
    }
}
