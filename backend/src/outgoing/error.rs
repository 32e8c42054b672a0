//! Every way sending can fail, one variant per stage, each with a stable code and the
//! advice from the shared table (`rules::advice`), so the admin sees what to fix.

use crate::microsoft::graph::GraphError;
use crate::microsoft::identity::token_client::TokenFailure;
use rules::advice::Advice;
use rules::mail::{advice_for, MailProblem};

use super::message::MessageProblem;

/// Why a message was not sent. Carries no secret and no token.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("no such mailbox")]
    NotFound,
    #[error("the mailbox has no Microsoft settings with a client secret")]
    NotConfigured,
    #[error("the stored client secret cannot be decrypted")]
    Secret,
    #[error(transparent)]
    Message(#[from] MessageProblem),
    #[error("no app-only token: {0}")]
    Token(TokenFailure),
    #[error("Graph answered {} {}", .0.status, if .0.has_graph_body() { .0.code.as_str() } else { "without an error body" })]
    Graph(Box<GraphError>),
    /// Sent, but Graph did not answer in time: the message may or may not have gone out.
    #[error("Graph did not answer in time; the message may have been sent")]
    NoAnswer,
    #[error("Graph unreachable: {0}")]
    Unreachable(String),
    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// The SMTP server refused or failed (issue 23), named by what to change.
    #[error("{}: {}", .0.problem.code(), .0.detail)]
    MailServer(crate::mailserver::MailServerError),
}

impl SendError {
    /// A stable code: Graph's error code, `AADSTS<n>`, the status for a bare one, or this
    /// app's own (`attachment_too_large`, `not_configured`, `timeout`, `unreachable`, …).
    pub fn code(&self) -> String {
        match self {
            SendError::NotFound => "not_found".into(),
            SendError::NotConfigured => "not_configured".into(),
            SendError::Secret => "secret_unreadable".into(),
            SendError::Message(MessageProblem::NoRecipients) => "no_recipients".into(),
            SendError::Message(_) => "attachment_too_large".into(),
            SendError::Token(TokenFailure::Microsoft(error)) => match error.aadsts() {
                Some(code) => format!("AADSTS{code}"),
                None => error.error.clone(),
            },
            SendError::Token(TokenFailure::Timeout) | SendError::NoAnswer => "timeout".into(),
            SendError::Token(TokenFailure::Malformed { .. }) => "malformed_response".into(),
            SendError::Token(_) | SendError::Unreachable(_) => "unreachable".into(),
            SendError::Graph(error) if error.has_graph_body() => error.code.clone(),
            SendError::Graph(error) => error.status.to_string(),
            SendError::Database(_) => "database".into(),
            SendError::MailServer(error) => error.problem.code().into(),
        }
    }

    /// Microsoft's own words, or the technical detail of this app's own failures.
    pub fn description(&self) -> Option<String> {
        match self {
            SendError::Token(TokenFailure::Microsoft(error)) => error.error_description.clone(),
            SendError::Graph(error) if error.has_graph_body() => {
                Some(error.message.clone()).filter(|m| !m.is_empty())
            }
            SendError::Graph(error) => Some(format!("HTTP {}", error.status)),
            SendError::Message(problem) => Some(problem.to_string()),
            SendError::Token(other) => Some(other.to_string()),
            SendError::Unreachable(detail) => Some(detail.clone()),
            SendError::MailServer(error) => Some(error.detail.clone()),
            _ => None,
        }
    }

    /// The advice to show.
    pub fn advice(&self) -> Option<Advice> {
        let status = match self {
            SendError::Graph(error) => Some(error.status),
            _ => None,
        };
        advice_for(&self.code(), self.description().as_deref(), status)
    }

    /// What the browser gets: codes, Microsoft's message, the IDs support asks for.
    pub fn problem(&self) -> MailProblem {
        let (status, request_id, date, retry_after) = match self {
            SendError::Graph(error) => {
                // The IDs of Graph's own error only, not a gateway's date.
                let graph = error.has_graph_body();
                (
                    Some(error.status),
                    error.request_id.clone().filter(|_| graph),
                    error.date.clone().filter(|_| graph),
                    error.retry_after.map(|d| d.as_secs()),
                )
            }
            SendError::Token(TokenFailure::Microsoft(error)) => (
                None,
                error
                    .trace_id
                    .clone()
                    .or_else(|| error.correlation_id.clone()),
                error.timestamp.clone(),
                None,
            ),
            _ => (None, None, None, None),
        };
        MailProblem {
            code: self.code(),
            status,
            advice: self.advice(),
            description: self.description(),
            request_id,
            date,
            retry_after_seconds: retry_after,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::microsoft::identity::MicrosoftError;

    fn graph(status: u16, code: &str, message: &str) -> SendError {
        SendError::Graph(Box::new(GraphError {
            status,
            code: code.into(),
            message: message.into(),
            ..GraphError::default()
        }))
    }

    #[test]
    fn every_graph_error_has_its_advice() {
        let cases = [
            (
                403,
                "ErrorAccessDenied",
                "Access is denied. Check credentials and try again.",
                Some(Advice::GraphAccessDenied),
            ),
            (
                403,
                "ErrorAccessDenied",
                "Access to OData is disabled.",
                Some(Advice::GraphAccessPolicy),
            ),
            (
                404,
                "ErrorInvalidUser",
                "The requested user 'x' is invalid.",
                Some(Advice::GraphInvalidUser),
            ),
            (
                404,
                "MailboxNotEnabledForRESTAPI",
                "REST API is not yet supported for this mailbox.",
                Some(Advice::GraphNoMailbox),
            ),
            (
                401,
                "InvalidAuthenticationToken",
                "Lifetime validation failed, the token is expired.",
                Some(Advice::GraphTokenInvalid),
            ),
            (
                429,
                "TooManyRequests",
                "Application is over its MailboxConcurrency limit.",
                Some(Advice::GraphThrottled),
            ),
            (
                503,
                "ServiceUnavailable",
                "The service is temporarily unavailable.",
                Some(Advice::Transient),
            ),
            (
                500,
                "ErrorInternalServerError",
                "An internal server error occurred.",
                Some(Advice::Transient),
            ),
            (
                400,
                "ErrorInvalidRecipients",
                "At least one recipient is not valid.",
                None,
            ),
        ];
        for (status, code, message, advice) in cases {
            let error = graph(status, code, message);
            assert_eq!(error.code(), code);
            assert_eq!(error.advice(), advice, "{code} {message}");
            assert_eq!(error.problem().description.as_deref(), Some(message));
        }
    }

    #[test]
    fn token_failures_carry_the_aadsts_code() {
        let error = SendError::Token(TokenFailure::Microsoft(Box::new(MicrosoftError {
            error: "invalid_client".into(),
            error_description: Some("AADSTS7000215: Invalid client secret provided.".into()),
            error_codes: vec![7000215],
            ..MicrosoftError::default()
        })));
        assert_eq!(error.code(), "AADSTS7000215");
        assert_eq!(error.advice(), Some(Advice::SecretWrong));
        assert_eq!(
            SendError::Token(TokenFailure::Timeout).advice(),
            Some(Advice::Transient)
        );
    }

    #[test]
    fn own_failures_have_own_codes() {
        let large = SendError::Message(MessageProblem::AttachmentTooLarge {
            name: "a.pdf".into(),
            size: 4_000_000,
        });
        assert_eq!(large.code(), "attachment_too_large");
        assert!(large.description().is_some_and(|d| d.contains("a.pdf")));
        assert_eq!(SendError::NotConfigured.code(), "not_configured");
        assert_eq!(SendError::NoAnswer.code(), "timeout");
    }
}
