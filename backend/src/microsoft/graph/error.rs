//! [`GraphError`]: Graph's error answer, read once for every caller; [`GraphFailure`]: why a
//! call of the [`super::GraphClient`] failed. What a failure means to the admin (codes,
//! advice, what is recorded) is decided by each caller from these.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::retry::{classify_status, classify_unanswered, parse_retry_after, Transience};

/// Graph's error answer: `{"error":{"code","message","innerError":{"date","request-id",
/// "client-request-id"}}}` (docs/microsoft.md §6; `innererror` accepted too), with the status
/// and the headers that identify the request for Microsoft support.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GraphError {
    pub status: u16,
    /// `error.code`; empty when the body was not Graph's error (a gateway's page, nothing).
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
    pub date: Option<String>,
    pub retry_after: Option<Duration>,
    /// The body as received (size-capped when recorded).
    pub body: String,
}

impl GraphError {
    /// Reads a non-success answer. A body that is not Graph's error shape still yields the
    /// status and whatever the headers say.
    pub fn from_response(
        status: u16,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Self {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let error = &json["error"];
        let inner = if error["innerError"].is_object() {
            &error["innerError"]
        } else {
            &error["innererror"]
        };
        let text = |value: &Value| value.as_str().map(str::to_string);
        Self {
            status,
            code: text(&error["code"]).unwrap_or_default(),
            message: text(&error["message"]).unwrap_or_default(),
            request_id: text(&inner["request-id"]).or_else(|| header("request-id")),
            client_request_id: text(&inner["client-request-id"])
                .or_else(|| header("client-request-id")),
            date: text(&inner["date"]).or_else(|| header("date")),
            retry_after: header("retry-after").and_then(|v| parse_retry_after(&v, now)),
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }

    /// Reads an answer without headers (the body alone).
    pub fn from_body(status: u16, body: &[u8]) -> Self {
        Self::from_response(status, &reqwest::header::HeaderMap::new(), body, Utc::now())
    }

    /// Whether the body was Graph's error object, with its code.
    pub fn has_graph_body(&self) -> bool {
        !self.code.is_empty()
    }

    /// Whether the delta or skip token is gone and the round must start over (410
    /// `SyncStateNotFound`; Graph also says `resyncRequired`).
    pub fn sync_state_gone(&self) -> bool {
        let code = self.code.to_ascii_lowercase();
        self.status == 410 || code == "syncstatenotfound" || code == "resyncrequired"
    }

    /// How the request that was answered this way may be retried.
    pub fn transience(&self) -> Transience {
        classify_status(self.status, self.retry_after)
    }
}

/// Why a Graph call failed, after the retries the policy allows. `E`: why no new token could
/// be had after Graph refused one (the caller's own token source decides).
#[derive(Debug, thiserror::Error)]
pub enum GraphFailure<E> {
    /// Graph answered with an error.
    #[error("Graph answered {}: {} {}", .0.status, .0.code, .0.message)]
    Answered(Box<GraphError>),
    /// No (complete) answer. `may_have_arrived`: false only when the request never left
    /// (connection refused, DNS, a request that could not be built).
    #[error("no answer from Graph: {error}")]
    NoAnswer {
        error: reqwest::Error,
        may_have_arrived: bool,
    },
    /// A success whose body is not JSON.
    #[error("unexpected answer from Graph: {detail}")]
    Malformed {
        detail: String,
        body: Option<String>,
    },
    /// Graph refused the token and no new one could be had.
    #[error("no new token: {0}")]
    Token(E),
}

impl<E> GraphFailure<E> {
    /// How the request that failed this way may be retried; `idempotent`: whether sending it
    /// twice does no more than once.
    pub fn transience(&self, idempotent: bool) -> Transience {
        match self {
            GraphFailure::Answered(error) => error.transience(),
            GraphFailure::NoAnswer {
                may_have_arrived, ..
            } => classify_unanswered(*may_have_arrived, idempotent),
            GraphFailure::Malformed { .. } | GraphFailure::Token(_) => Transience::Permanent,
        }
    }

    /// A short code for logs.
    pub fn log_code(&self) -> String {
        match self {
            GraphFailure::Answered(error) if error.has_graph_body() => error.code.clone(),
            GraphFailure::Answered(error) => error.status.to_string(),
            GraphFailure::NoAnswer { error, .. } if error.is_timeout() => "timeout".into(),
            GraphFailure::NoAnswer { .. } => "unreachable".into(),
            GraphFailure::Malformed { .. } => "malformed_response".into(),
            GraphFailure::Token(_) => "token".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_errors_parse_with_either_inner_error_spelling() {
        for body in [
            r#"{"error":{"code":"ErrorAccessDenied","message":"Access is denied.","innerError":{"request-id":"r","date":"d"}}}"#,
            r#"{"error":{"code":"ErrorAccessDenied","message":"Access is denied.","innererror":{"request-id":"r","date":"d"}}}"#,
        ] {
            let error = GraphError::from_body(403, body.as_bytes());
            assert_eq!(error.code, "ErrorAccessDenied");
            assert_eq!(error.request_id.as_deref(), Some("r"));
        }
    }

    #[test]
    fn a_body_that_is_no_graph_error_keeps_the_status() {
        let error = GraphError::from_body(502, b"<html>Bad gateway</html>");
        assert!(!error.has_graph_body());
        assert_eq!(error.status, 502);
        assert_eq!(error.transience(), Transience::Transient);
    }
}
