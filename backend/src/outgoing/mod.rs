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

use chrono::Utc;
use sea_orm::EntityTrait;
use secrecy::SecretString;

pub use error::SendError;
pub use message::{OutgoingAttachment, OutgoingBody, OutgoingMail, MAX_INLINE_ATTACHMENT};
pub use token_cache::{AppRegistration, AppToken, AppTokens};

use crate::connect::app_only::{self, AppCredentials, CredentialsError};
use crate::entities::mailbox;
use crate::microsoft::graph::{user_url, GraphClient, GraphFailure, Renew, RetryPolicy};
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
    let sent = send_mail_with(state, mailbox_id, mail, &sending_policy()).await;
    crate::telemetry::mail_sent(&sent);
    sent
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
    let url = user_url(
        &state.microsoft.graph_url,
        &sender.0.mailbox.key,
        &["sendMail"],
    )
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
            .forget(&self.sender.0.registration, &self.current)
            .await;
        self.current = self.sender.token(state).await?;
        Ok(Some(self.current.access_token.clone()))
    }
}

/// The sending mailbox: its user (by Object ID, or by address when none is stored) and app
/// registration, with the secret decrypted (`connect::app_only`, shared with the sync).
struct Sender(AppCredentials);

impl Sender {
    async fn load(state: &AppState, mailbox_id: i32) -> Result<Sender, SendError> {
        match app_only::load(state, &state.db, mailbox_id).await {
            Ok(credentials) => Ok(Sender(credentials)),
            Err(CredentialsError::Storage(error)) => Err(error.into()),
            Err(CredentialsError::Secret) => Err(SendError::Secret),
            Err(CredentialsError::NotConfigured(_)) => {
                let exists = mailbox::Entity::find_by_id(mailbox_id)
                    .one(&state.db)
                    .await?
                    .is_some();
                Err(if exists {
                    SendError::NotConfigured
                } else {
                    SendError::NotFound
                })
            }
        }
    }

    /// The cached app token, or a new one.
    async fn token(&self, state: &AppState) -> Result<AppToken, SendError> {
        app_only::fetch_token(state, &self.0, Utc::now())
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
