//! `POST {graph}/v1.0/users/{object-id}/sendMail` over HTTP (the I/O edge), and Graph's
//! error body (docs/microsoft.md §6; `innererror` accepted too).

use std::time::Duration;

use chrono::Utc;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::Value;

use crate::graph_retry::parse_retry_after;

/// Graph's error, as sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct GraphError {
    pub code: String,
    #[serde(default)]
    pub message: String,
    #[serde(default, rename = "innerError", alias = "innererror")]
    pub inner_error: Option<InnerError>,
}

/// The IDs Microsoft support asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct InnerError {
    pub date: Option<String>,
    #[serde(rename = "request-id")]
    pub request_id: Option<String>,
    #[serde(rename = "client-request-id")]
    pub client_request_id: Option<String>,
}

#[derive(Deserialize)]
struct GraphErrorBody {
    error: GraphError,
}

/// How one request went.
#[derive(Debug)]
pub enum Answer {
    /// 202: Graph took the message.
    Accepted,
    /// Any other status, with Graph's error when the body held one.
    Refused {
        status: u16,
        error: Option<GraphError>,
        retry_after: Option<Duration>,
    },
    /// Sent, no answer within the timeout.
    NoAnswer,
    /// Never sent (connection refused, DNS, bad URL).
    NotSent(String),
}

/// Posts `body` as the mailbox `object_id`.
pub async fn post_send_mail(
    http: &reqwest::Client,
    graph_url: &str,
    object_id: &str,
    access_token: &SecretString,
    body: &Value,
) -> Answer {
    let mut url = match url::Url::parse(graph_url) {
        Ok(url) => url,
        Err(error) => return Answer::NotSent(format!("invalid Graph URL: {error}")),
    };
    // Path segments are escaped: an Object ID is never spliced into the URL unescaped.
    if let Ok(mut segments) = url.path_segments_mut() {
        segments
            .pop_if_empty()
            .extend(["v1.0", "users", object_id.trim(), "sendMail"]);
    }
    let sent = http
        .post(url)
        .bearer_auth(access_token.expose_secret())
        .json(body)
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(error) if error.is_timeout() => return Answer::NoAnswer,
        Err(error) if error.is_connect() || error.is_builder() => {
            return Answer::NotSent(error.without_url().to_string())
        }
        // Failed after the request may have gone out: treat it like no answer.
        Err(_) => return Answer::NoAnswer,
    };
    let status = response.status().as_u16();
    if status == 202 {
        return Answer::Accepted;
    }
    let retry_after = response
        .headers()
        .get(http::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| parse_retry_after(value, Utc::now()));
    let error = response
        .bytes()
        .await
        .ok()
        .and_then(|bytes| serde_json::from_slice::<GraphErrorBody>(&bytes).ok())
        .map(|body| body.error);
    // Any other 2xx is unexpected but means the message was taken.
    if (200..300).contains(&status) {
        return Answer::Accepted;
    }
    Answer::Refused {
        status,
        error,
        retry_after,
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
            let parsed = serde_json::from_str::<GraphErrorBody>(body).map(|b| b.error);
            let error = parsed.unwrap_or_default();
            assert_eq!(error.code, "ErrorAccessDenied");
            let inner = error.inner_error.unwrap_or_default();
            assert_eq!(inner.request_id.as_deref(), Some("r"));
        }
    }
}
