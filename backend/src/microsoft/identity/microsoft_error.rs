//! Microsoft's error body, modelled exactly (docs/microsoft.md §3) as the oauth2 client's error
//! type so nothing Microsoft said is lost, and the diagnostics hidden in a description.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The token endpoint's error body. Unknown fields are kept in `other`, so the whole body
/// can be stored on the attempt.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MicrosoftError {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_codes: Vec<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suberror: Option<String>,
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

impl fmt::Display for MicrosoftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.aadsts() {
            Some(code) => write!(f, "{} (AADSTS{code})", self.error),
            None => f.write_str(&self.error),
        }
    }
}

impl oauth2::ErrorResponse for MicrosoftError {}

impl MicrosoftError {
    /// The AADSTS code: `error_codes[0]`, else the one in the description.
    pub fn aadsts(&self) -> Option<u32> {
        self.error_codes.first().copied().or_else(|| {
            self.error_description
                .as_deref()
                .and_then(|d| Diagnostics::from_description(d).aadsts)
        })
    }

    /// The body as JSON again, for the attempt record.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// What an error description carries: `AADSTS65004: … Trace ID: <guid> Correlation ID:
/// <guid> Timestamp: 2026-01-02 10:11:12Z` (older ones separate parts with `\r\n`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    pub aadsts: Option<u32>,
    pub trace_id: Option<String>,
    pub correlation_id: Option<String>,
    pub timestamp: Option<String>,
}

impl Diagnostics {
    /// Reads the code, trace and correlation IDs and timestamp out of a description. Only
    /// for redirect errors, which have no separate fields; never for business decisions.
    pub fn from_description(description: &str) -> Self {
        let aadsts = description
            .trim_start()
            .strip_prefix("AADSTS")
            .and_then(|rest| {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok()
            });
        Diagnostics {
            aadsts,
            trace_id: guid_after(description, "Trace ID:"),
            correlation_id: guid_after(description, "Correlation ID:"),
            timestamp: after(description, "Timestamp:").map(|rest| {
                let end = rest.find(['\r', '\n']).unwrap_or(rest.len());
                rest[..end].trim().to_string()
            }),
        }
    }
}

fn after<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    text.find(label)
        .map(|at| text[at + label.len()..].trim_start())
}

fn guid_after(text: &str, label: &str) -> Option<String> {
    let rest = after(text, label)?;
    let guid: String = rest
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
        .collect();
    (guid.len() == 36).then_some(guid)
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    const TRACE: &str = "0d1e2f30-4152-4637-8899-aabbccddeeff";
    const CORRELATION: &str = "11111111-2222-4333-8444-555555555555";

    #[test]
    fn the_whole_body_parses_and_survives() {
        let body = format!(
            r#"{{"error":"invalid_grant","error_description":"AADSTS50173: The provided grant has expired. Trace ID: {TRACE} Correlation ID: {CORRELATION} Timestamp: 2026-01-02 10:11:12Z","error_codes":[50173],"timestamp":"2026-01-02 10:11:12Z","trace_id":"{TRACE}","correlation_id":"{CORRELATION}","error_uri":"https://login.microsoftonline.com/error?code=50173","suberror":"bad_token","claims":"x"}}"#
        );
        let error: MicrosoftError = serde_json::from_str(&body).unwrap();
        assert_eq!(error.aadsts(), Some(50173));
        assert_eq!(error.suberror.as_deref(), Some("bad_token"));
        assert_eq!(error.trace_id.as_deref(), Some(TRACE));
        assert_eq!(error.to_string(), "invalid_grant (AADSTS50173)");
        let again: serde_json::Value = serde_json::from_str(&error.to_json()).unwrap();
        let original: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(again, original, "nothing lost, unknown fields included");
    }

    #[test]
    fn a_minimal_body_parses() {
        let error: MicrosoftError = serde_json::from_str(r#"{"error":"server_error"}"#).unwrap();
        assert_eq!(error.aadsts(), None);
        assert_eq!(error.to_string(), "server_error");
    }

    #[test]
    fn diagnostics_come_out_of_a_redirect_description() {
        let description = format!(
            "AADSTS65004: User declined to consent to access the app. Trace ID: {TRACE} Correlation ID: {CORRELATION} Timestamp: 2026-01-02 10:11:12Z"
        );
        let diagnostics = Diagnostics::from_description(&description);
        assert_eq!(diagnostics.aadsts, Some(65004));
        assert_eq!(diagnostics.trace_id.as_deref(), Some(TRACE));
        assert_eq!(diagnostics.correlation_id.as_deref(), Some(CORRELATION));
        assert_eq!(
            diagnostics.timestamp.as_deref(),
            Some("2026-01-02 10:11:12Z")
        );
    }

    #[test]
    fn older_descriptions_use_line_breaks() {
        let description = format!(
            "AADSTS50020: User account from identity provider does not exist in tenant.\r\nTrace ID: {TRACE}\r\nCorrelation ID: {CORRELATION}\r\nTimestamp: 2026-01-02 10:11:12Z"
        );
        let diagnostics = Diagnostics::from_description(&description);
        assert_eq!(diagnostics.aadsts, Some(50020));
        assert_eq!(diagnostics.correlation_id.as_deref(), Some(CORRELATION));
        assert_eq!(
            diagnostics.timestamp.as_deref(),
            Some("2026-01-02 10:11:12Z")
        );
        assert_eq!(
            Diagnostics::from_description("The user cancelled."),
            Diagnostics::default()
        );
    }

    #[test]
    fn the_code_falls_back_to_the_description() {
        let error = MicrosoftError {
            error: "invalid_grant".into(),
            error_description: Some("AADSTS70008: expired".into()),
            ..MicrosoftError::default()
        };
        assert_eq!(error.aadsts(), Some(70008));
    }
}
