//! The callback flow's error: one variant per stage, carrying Microsoft's data. The browser
//! sees a stable code, a status and a Dutch message chosen here; the log gets the detail.

use super::attempt::StateProblem;
use super::callback_query::{CallbackQueryError, RedirectError};
use crate::microsoft::identity::id_token::{IdTokenProblem, SignedInAccount};
use crate::microsoft::identity::microsoft_error::Diagnostics;
use crate::microsoft::identity::token_client::TokenFailure;
use rules::i18n::ConnectMsg;

/// Why a callback did not connect the mailbox.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The query is no callback (missing or repeated parameters).
    #[error("unusable callback query: {0}")]
    Query(#[from] CallbackQueryError),
    /// No attempt has this state. Microsoft's error, when it sent one, is kept to show.
    #[error("unknown state")]
    UnknownState { error: Option<RedirectError> },
    #[error("state of mailbox {mailbox_id}: {problem}")]
    State {
        mailbox_id: i32,
        problem: StateProblem,
    },
    /// Microsoft sent an error instead of a code (or consent).
    #[error("Microsoft refused: {}", .error.error)]
    Denied {
        mailbox_id: i32,
        attempt_id: i32,
        error: RedirectError,
    },
    /// The mailbox's Microsoft settings or secret are gone or unreadable.
    #[error("settings unusable: {detail}")]
    Settings {
        mailbox_id: i32,
        attempt_id: i32,
        detail: String,
    },
    /// Resolving a domain tenant to its GUID failed.
    #[error("tenant discovery failed: {failure}")]
    Discovery {
        mailbox_id: i32,
        attempt_id: i32,
        failure: TokenFailure,
    },
    #[error("token endpoint: {failure}")]
    Token {
        mailbox_id: i32,
        attempt_id: i32,
        failure: TokenFailure,
    },
    #[error("id_token refused: {problem}")]
    IdToken {
        mailbox_id: i32,
        attempt_id: i32,
        problem: IdTokenProblem,
    },
    /// Another account than the mailbox's signed in: nothing was stored.
    #[error("wrong account signed in")]
    WrongAccount {
        mailbox_id: i32,
        attempt_id: i32,
        signed_in: SignedInAccount,
        mailbox_email: String,
        object_id: String,
    },
    /// The mailbox has no Object ID and the account that signed in does not carry the
    /// mailbox's address (issue 18): nothing was stored.
    #[error("an account without the mailbox's address signed in")]
    WrongAddress {
        mailbox_id: i32,
        attempt_id: i32,
        signed_in: SignedInAccount,
        mailbox_email: String,
    },
    #[error("storage failed: {0}")]
    Storage(String),
}

/// What support needs from Microsoft's answer, for the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShownDiagnostics {
    pub error: Option<String>,
    pub aadsts: Option<u32>,
    pub description: Option<String>,
    pub trace_id: Option<String>,
    pub correlation_id: Option<String>,
    pub timestamp: Option<String>,
}

impl ConnectError {
    /// A stable code for the browser and support (`CB` = callback).
    pub fn code(&self) -> &'static str {
        match self {
            ConnectError::Query(_) => "CB01",
            ConnectError::UnknownState { .. } => "CB02",
            ConnectError::State {
                problem: StateProblem::Expired,
                ..
            } => "CB03",
            ConnectError::State {
                problem: StateProblem::Used,
                ..
            } => "CB04",
            ConnectError::State {
                problem: StateProblem::StartedByAnotherUser,
                ..
            } => "CB12",
            ConnectError::Denied { .. } => "CB05",
            ConnectError::Settings { .. } => "CB06",
            ConnectError::Discovery { .. } => "CB07",
            ConnectError::Token { .. } => "CB08",
            ConnectError::IdToken { .. } => "CB09",
            ConnectError::WrongAccount { .. } => "CB10",
            ConnectError::Storage(_) => "CB11",
            ConnectError::WrongAddress { .. } => "CB13",
        }
    }

    /// The HTTP status of the page.
    pub fn status(&self) -> u16 {
        match self {
            ConnectError::Query(_) | ConnectError::UnknownState { .. } => 400,
            ConnectError::State {
                problem: StateProblem::Expired,
                ..
            } => 410,
            ConnectError::State {
                problem: StateProblem::Used,
                ..
            } => 409,
            ConnectError::State {
                problem: StateProblem::StartedByAnotherUser,
                ..
            } => 403,
            ConnectError::Denied { .. } => 400,
            ConnectError::WrongAccount { .. } | ConnectError::WrongAddress { .. } => 403,
            ConnectError::Settings { .. } => 409,
            ConnectError::Token {
                failure: TokenFailure::Timeout,
                ..
            }
            | ConnectError::Discovery {
                failure: TokenFailure::Timeout,
                ..
            } => 504,
            ConnectError::Discovery { .. }
            | ConnectError::Token { .. }
            | ConnectError::IdToken { .. } => 502,
            ConnectError::Storage(_) => 500,
        }
    }

    /// The headline the page shows.
    pub fn headline(&self) -> ConnectMsg {
        match self {
            ConnectError::Query(_) => ConnectMsg::CallbackMalformed,
            ConnectError::UnknownState { .. } => ConnectMsg::CallbackUnknownState,
            ConnectError::State {
                problem: StateProblem::Expired,
                ..
            } => ConnectMsg::CallbackExpired,
            ConnectError::State {
                problem: StateProblem::Used,
                ..
            } => ConnectMsg::CallbackUsed,
            ConnectError::State {
                problem: StateProblem::StartedByAnotherUser,
                ..
            } => ConnectMsg::CallbackOtherUser,
            ConnectError::Denied { .. } => ConnectMsg::CallbackDenied,
            ConnectError::Settings { .. } => ConnectMsg::CallbackSettings,
            ConnectError::Discovery { .. } | ConnectError::Token { .. } => {
                ConnectMsg::CallbackTokenFailed
            }
            ConnectError::IdToken { .. } => ConnectMsg::CallbackIdToken,
            ConnectError::WrongAccount { .. } => ConnectMsg::WrongAccountTitle,
            ConnectError::WrongAddress { .. } => ConnectMsg::WrongAddressTitle,
            ConnectError::Storage(_) => ConnectMsg::CallbackStorage,
        }
    }

    /// The mailbox concerned, when known.
    pub fn mailbox_id(&self) -> Option<i32> {
        match self {
            ConnectError::Query(_)
            | ConnectError::UnknownState { .. }
            | ConnectError::Storage(_) => None,
            ConnectError::State { mailbox_id, .. }
            | ConnectError::Denied { mailbox_id, .. }
            | ConnectError::Settings { mailbox_id, .. }
            | ConnectError::Discovery { mailbox_id, .. }
            | ConnectError::Token { mailbox_id, .. }
            | ConnectError::IdToken { mailbox_id, .. }
            | ConnectError::WrongAccount { mailbox_id, .. }
            | ConnectError::WrongAddress { mailbox_id, .. } => Some(*mailbox_id),
        }
    }

    /// The attempt's id: the operation id the log lines carry.
    pub fn attempt_id(&self) -> Option<i32> {
        match self {
            ConnectError::Denied { attempt_id, .. }
            | ConnectError::Settings { attempt_id, .. }
            | ConnectError::Discovery { attempt_id, .. }
            | ConnectError::Token { attempt_id, .. }
            | ConnectError::IdToken { attempt_id, .. }
            | ConnectError::WrongAccount { attempt_id, .. }
            | ConnectError::WrongAddress { attempt_id, .. } => Some(*attempt_id),
            _ => None,
        }
    }

    /// Microsoft's codes and IDs, when Microsoft said something.
    pub fn diagnostics(&self) -> Option<ShownDiagnostics> {
        let redirect = |error: &RedirectError| {
            let found = error
                .error_description
                .as_deref()
                .map(Diagnostics::from_description)
                .unwrap_or_default();
            ShownDiagnostics {
                error: Some(error.error.clone()),
                aadsts: found.aadsts,
                description: error.error_description.clone(),
                trace_id: found.trace_id,
                correlation_id: found.correlation_id,
                timestamp: found.timestamp,
            }
        };
        match self {
            ConnectError::UnknownState { error: Some(error) }
            | ConnectError::Denied { error, .. } => Some(redirect(error)),
            ConnectError::Discovery {
                failure: TokenFailure::Microsoft(error),
                ..
            }
            | ConnectError::Token {
                failure: TokenFailure::Microsoft(error),
                ..
            } => Some(ShownDiagnostics {
                error: Some(error.error.clone()),
                aadsts: error.aadsts(),
                description: error.error_description.clone(),
                trace_id: error.trace_id.clone(),
                correlation_id: error.correlation_id.clone(),
                timestamp: error.timestamp.clone(),
            }),
            ConnectError::Discovery { failure, .. } | ConnectError::Token { failure, .. } => {
                Some(ShownDiagnostics {
                    error: Some(failure.to_string()),
                    ..ShownDiagnostics::default()
                })
            }
            _ => None,
        }
    }
}
