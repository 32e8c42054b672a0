//! Microsoft identity platform errors: the JSON body of the token and discovery endpoints and
//! the description format that the redirect and the HTML error page show too
//! (docs/microsoft.md §2–§3).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::clock::aad_timestamp;

/// An AADSTS error, before the trace IDs of the request it answers are attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AadError {
    /// The AADSTS number, e.g. 50011.
    pub code: u32,
    /// The OAuth `error`, e.g. `invalid_grant`.
    pub error: &'static str,
    /// The text after `AADSTSnnnnn: `.
    pub message: String,
    /// Microsoft's `suberror`, e.g. `bad_token`.
    pub suberror: Option<&'static str>,
    /// HTTP status at the token endpoint: 400, or 401 for `invalid_client`.
    pub status: u16,
}

/// The IDs Microsoft puts in every error: fresh per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trace {
    /// Trace ID (Microsoft's request ID).
    pub trace_id: Uuid,
    /// Correlation ID: the client's `client-request-id` when it sent one.
    pub correlation_id: Uuid,
    /// When the error happened.
    pub timestamp: DateTime<Utc>,
}

impl Trace {
    /// Fresh IDs; the correlation ID echoes the client's when given.
    pub fn new(correlation_id: Option<Uuid>, now: DateTime<Utc>) -> Self {
        Self {
            trace_id: Uuid::new_v4(),
            correlation_id: correlation_id.unwrap_or_else(Uuid::new_v4),
            timestamp: now,
        }
    }
}

/// The JSON error body of the token and discovery endpoints (docs/microsoft.md §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AadErrorBody {
    /// OAuth error code.
    pub error: String,
    /// `AADSTSnnn: … Trace ID: … Correlation ID: … Timestamp: …`.
    pub error_description: String,
    /// The AADSTS numbers.
    pub error_codes: Vec<u32>,
    /// `2026-01-02 10:11:12Z`.
    pub timestamp: String,
    /// Trace ID.
    pub trace_id: String,
    /// Correlation ID.
    pub correlation_id: String,
    /// `https://login.microsoftonline.com/error?code=n`.
    pub error_uri: String,
    /// Microsoft's sub-error, when it sends one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suberror: Option<String>,
}

impl AadError {
    /// A 400 error.
    pub fn new(code: u32, error: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            error,
            message: message.into(),
            suberror: None,
            status: 400,
        }
    }

    /// The same error under another OAuth `error` (discovery says `invalid_tenant`).
    pub fn with_error(mut self, error: &'static str) -> Self {
        self.error = error;
        self
    }

    /// Adds Microsoft's `suberror`.
    pub fn with_suberror(mut self, suberror: &'static str) -> Self {
        self.suberror = Some(suberror);
        self
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// `AADSTSnnn: message`.
    pub fn headline(&self) -> String {
        format!("AADSTS{}: {}", self.code, self.message)
    }

    /// The full `error_description`, with trace, correlation ID and timestamp.
    pub fn description(&self, trace: &Trace) -> String {
        format!(
            "{} Trace ID: {} Correlation ID: {} Timestamp: {}",
            self.headline(),
            trace.trace_id,
            trace.correlation_id,
            aad_timestamp(trace.timestamp)
        )
    }

    /// Microsoft's error lookup page for this code. The real address is kept: it is only a
    /// link shown to people, never fetched by the product.
    pub fn error_uri(&self) -> String {
        format!("https://login.microsoftonline.com/error?code={}", self.code)
    }

    /// The JSON body.
    pub fn body(&self, trace: &Trace) -> AadErrorBody {
        AadErrorBody {
            error: self.error.to_owned(),
            error_description: self.description(trace),
            error_codes: vec![self.code],
            timestamp: aad_timestamp(trace.timestamp),
            trace_id: trace.trace_id.to_string(),
            correlation_id: trace.correlation_id.to_string(),
            error_uri: self.error_uri(),
            suberror: self.suberror.map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn body_matches_microsoft_shape() {
        let at = Utc
            .with_ymd_and_hms(2026, 1, 2, 10, 11, 12)
            .single()
            .unwrap_or_default();
        let trace = Trace::new(None, at);
        let error = AadError::new(50173, "invalid_grant", "The provided grant has expired.")
            .with_suberror("bad_token");
        let body = error.body(&trace);
        assert_eq!(body.error, "invalid_grant");
        assert_eq!(body.error_codes, vec![50173]);
        assert_eq!(body.timestamp, "2026-01-02 10:11:12Z");
        assert_eq!(body.suberror.as_deref(), Some("bad_token"));
        assert_eq!(
            body.error_description,
            format!(
                "AADSTS50173: The provided grant has expired. Trace ID: {} Correlation ID: {} Timestamp: 2026-01-02 10:11:12Z",
                trace.trace_id, trace.correlation_id
            )
        );
        assert_eq!(
            body.error_uri,
            "https://login.microsoftonline.com/error?code=50173"
        );
    }

    #[test]
    fn correlation_id_echoes_the_client() {
        let id = Uuid::new_v4();
        let trace = Trace::new(Some(id), Utc::now());
        assert_eq!(trace.correlation_id, id);
        assert_ne!(trace.trace_id, id);
    }
}
