//! [`SyncError`]: why a sync of one mailbox failed, with Graph's own error kept whole.

use crate::connect::app_only::Refusal;
use crate::connect::RefreshError;
use crate::microsoft::graph::{GraphError, GraphFailure, Transience};
use crate::microsoft::identity::token_client::TokenFailure;

/// Why a sync failed (or did not start).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Another sync (on this or another server instance) holds the mailbox's lease.
    #[error("another sync holds mailbox {0}")]
    Busy(i32),
    /// Not a connected, active mailbox whose incoming type is Microsoft Api.
    #[error("mailbox {0} does not fetch mail over Microsoft Graph")]
    NotSyncable(i32),
    /// No usable access token.
    #[error("no access token: {0}")]
    Token(#[from] RefreshError),
    /// Graph answered with an error (after the retries it allows).
    #[error("Graph answered {}: {} {}", .0.status, .0.code, .0.message)]
    Graph(Box<GraphError>),
    /// App-only: Graph's refusal, named for the method (outside the app's scope, not found
    /// by its address); Graph's own error kept whole.
    #[error("{}: Graph answered {}: {} {}", .refusal.outcome(), .graph.status, .graph.code, .graph.message)]
    AppOnlyRefused {
        refusal: Refusal,
        graph: Box<GraphError>,
    },
    #[error("Graph did not answer in time")]
    Timeout,
    #[error("Graph unreachable: {0}")]
    Unreachable(String),
    /// An answer that is not what Graph sends.
    #[error("unexpected answer from Graph: {detail}")]
    Malformed {
        detail: String,
        body: Option<String>,
    },
    /// The lease expired and another instance took the mailbox over mid-sync.
    #[error("the lease on mailbox {0} was taken over")]
    LeaseLost(i32),
    #[error("storage failed: {0}")]
    Storage(String),
    /// An IMAP server refused or failed (issue 23): named by what to change.
    #[error("{}: {}", .0.problem.code(), .0.detail)]
    MailServer(#[from] crate::mailserver::MailServerError),
    /// The server is shutting down: the sync stopped after its last stored page and goes on
    /// from there on the next instance that claims the mailbox.
    #[error("stopped for shutdown after the last stored page")]
    Stopped,
}

impl From<sea_orm::DbErr> for SyncError {
    fn from(error: sea_orm::DbErr) -> Self {
        SyncError::Storage(error.to_string())
    }
}

impl SyncError {
    /// A short, stable code for lists and logs: Graph's code (`ErrorAccessDenied`), `429`,
    /// an AADSTS code of a refused refresh, or this app's own (`unreachable`, `timeout`, …).
    pub fn code(&self) -> String {
        match self {
            SyncError::Busy(_) => "busy".into(),
            SyncError::NotSyncable(_) => "not_syncable".into(),
            SyncError::Token(error) => token_code(error),
            SyncError::Graph(error) if error.status == 429 => "429".into(),
            SyncError::Graph(error) if !error.code.is_empty() => error.code.clone(),
            SyncError::Graph(error) => error.status.to_string(),
            SyncError::AppOnlyRefused { graph, .. } => graph.code.clone(),
            SyncError::Timeout => "timeout".into(),
            SyncError::Unreachable(_) => "unreachable".into(),
            SyncError::Malformed { .. } => "malformed_response".into(),
            SyncError::LeaseLost(_) => "lease_lost".into(),
            SyncError::Storage(_) => "storage".into(),
            SyncError::MailServer(error) => error.problem.code().into(),
            SyncError::Stopped => "stopped".into(),
        }
    }

    /// How the request that failed this way may be retried.
    pub fn transience(&self) -> Transience {
        match self {
            SyncError::Graph(error) => error.transience(),
            SyncError::Timeout | SyncError::Unreachable(_) => Transience::Transient,
            SyncError::MailServer(error) if error.problem.is_transient() => Transience::Transient,
            _ => Transience::Permanent,
        }
    }

    /// Whether it counts as a failed sync of the mailbox (a busy or taken-over mailbox
    /// was not synced by us at all).
    pub fn counts_as_failure(&self) -> bool {
        !matches!(
            self,
            SyncError::Busy(_)
                | SyncError::LeaseLost(_)
                | SyncError::NotSyncable(_)
                | SyncError::Stopped
        )
    }

    /// A transport error of reqwest.
    pub fn transport(error: &reqwest::Error) -> Self {
        if error.is_timeout() {
            SyncError::Timeout
        } else {
            SyncError::Unreachable(error.to_string())
        }
    }
}

/// What a failed Graph call means for the sync: every request a sync makes may be repeated,
/// so a missing answer is a timeout or an unreachable Graph, never "maybe done".
impl From<GraphFailure<RefreshError>> for SyncError {
    fn from(failure: GraphFailure<RefreshError>) -> Self {
        match failure {
            GraphFailure::Answered(error) => SyncError::Graph(error),
            GraphFailure::NoAnswer { error, .. } => SyncError::transport(&error),
            GraphFailure::Malformed { detail, body } => SyncError::Malformed { detail, body },
            GraphFailure::Token(error) => SyncError::Token(error),
        }
    }
}

fn token_code(error: &RefreshError) -> String {
    match error {
        RefreshError::NotConnected(_) => "not_connected".into(),
        RefreshError::ReconnectNeeded(_) => "reconnect_needed".into(),
        RefreshError::Busy => "refresh_busy".into(),
        RefreshError::Refused { error, .. } => error
            .error_codes
            .first()
            .map(|code| format!("AADSTS{code}"))
            .unwrap_or_else(|| error.error.clone()),
        RefreshError::Failed { .. } => "token_unreachable".into(),
        RefreshError::Secret(_) => "secret_unusable".into(),
        RefreshError::AppToken(TokenFailure::Microsoft(error)) => error
            .error_codes
            .first()
            .map(|code| format!("AADSTS{code}"))
            .unwrap_or_else(|| error.error.clone()),
        RefreshError::AppToken(TokenFailure::Timeout) => "timeout".into(),
        RefreshError::AppToken(_) => "token_unreachable".into(),
        RefreshError::Storage(_) => "storage".into(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::Utc;

    use super::*;

    #[test]
    fn graph_errors_keep_the_request_ids() {
        let body = br#"{"error":{"code":"ErrorAccessDenied","message":"Access is denied.","innerError":{"date":"2026-01-02T10:00:00","request-id":"r-1","client-request-id":"c-1"}}}"#;
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "retry-after",
            reqwest::header::HeaderValue::from_static("3"),
        );
        let error = GraphError::from_response(403, &headers, body, Utc::now());
        assert_eq!(error.code, "ErrorAccessDenied");
        assert_eq!(error.request_id.as_deref(), Some("r-1"));
        assert_eq!(error.client_request_id.as_deref(), Some("c-1"));
        assert_eq!(error.date.as_deref(), Some("2026-01-02T10:00:00"));
        assert_eq!(error.retry_after, Some(Duration::from_secs(3)));
        let sync = SyncError::Graph(Box::new(error));
        assert_eq!(sync.code(), "ErrorAccessDenied");
        assert_eq!(sync.transience(), Transience::Permanent);
    }

    #[test]
    fn lower_case_inner_error_and_gone_sync_state() {
        let body = br#"{"error":{"code":"SyncStateNotFound","message":"x","innererror":{"request-id":"r-2"}}}"#;
        let error =
            GraphError::from_response(410, &reqwest::header::HeaderMap::new(), body, Utc::now());
        assert_eq!(error.request_id.as_deref(), Some("r-2"));
        assert!(error.sync_state_gone());
        let throttled = GraphError {
            status: 429,
            code: "TooManyRequests".into(),
            ..GraphError::default()
        };
        assert_eq!(SyncError::Graph(Box::new(throttled)).code(), "429");
        assert_eq!(SyncError::Unreachable("x".into()).code(), "unreachable");
    }
}
