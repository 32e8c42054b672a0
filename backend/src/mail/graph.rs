//! The Graph client of one sync: bearer token, retries (429/503 `Retry-After`, back-off with
//! jitter for other transient failures, bounded), and one forced refresh after a 401.

use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::error::{GraphError, SyncError};
use super::retry::jitter;
use crate::connect::refresh::refresh_rejected_access_token;
use crate::AppState;

/// Calls Graph for one mailbox during one sync.
pub struct GraphClient<'a> {
    state: &'a AppState,
    mailbox_id: i32,
    token: SecretString,
    /// A 401 refreshes the token once per sync; a second 401 is an error.
    refreshed: bool,
}

impl<'a> GraphClient<'a> {
    pub fn new(state: &'a AppState, mailbox_id: i32, token: SecretString) -> Self {
        Self {
            state,
            mailbox_id,
            token,
            refreshed: false,
        }
    }

    /// `GET url` (a whole link as Graph gave it, or a URL we built).
    pub async fn get(&mut self, url: &str, page_size: Option<u32>) -> Result<Value, SyncError> {
        self.call(Method::GET, url, None, page_size).await
    }

    /// `PATCH url` with a JSON body.
    pub async fn patch(&mut self, url: &str, body: &Value) -> Result<Value, SyncError> {
        self.call(Method::PATCH, url, Some(body), None).await
    }

    async fn call(
        &mut self,
        method: Method,
        url: &str,
        body: Option<&Value>,
        page_size: Option<u32>,
    ) -> Result<Value, SyncError> {
        let settings = &self.state.mail;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let failure = match self.once(method.clone(), url, body, page_size).await {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            if is_unauthorized(&failure) && !self.refreshed {
                // The token may have been revoked or expired early: one forced refresh.
                self.refreshed = true;
                let now = settings.pause.now();
                self.token =
                    refresh_rejected_access_token(self.state, self.mailbox_id, &self.token, now)
                        .await?;
                attempt -= 1;
                continue;
            }
            let Some(wait) = settings
                .retry
                .next_wait(attempt, failure.transience(), jitter())
            else {
                return Err(failure);
            };
            tracing::info!(
                mailbox_id = self.mailbox_id,
                attempt,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                code = %failure.code(),
                "Graph request failed; retrying"
            );
            settings.pause.sleep(wait).await;
        }
    }

    async fn once(
        &self,
        method: Method,
        url: &str,
        body: Option<&Value>,
        page_size: Option<u32>,
    ) -> Result<Value, SyncError> {
        let mut request = self
            .state
            .http
            .request(method, url)
            .bearer_auth(self.token.expose_secret())
            // Ours, so a failure can be found in Microsoft's logs (and in the attempt).
            .header("client-request-id", uuid::Uuid::new_v4().to_string())
            .header("Accept", "application/json");
        if let Some(size) = page_size {
            request = request.header("Prefer", format!("odata.maxpagesize={size}"));
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| SyncError::transport(&e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| SyncError::transport(&e))?;
        if !status.is_success() {
            let now = self.state.mail.pause.now();
            return Err(SyncError::Graph(Box::new(GraphError::from_response(
                status.as_u16(),
                &headers,
                &bytes,
                now,
            ))));
        }
        if bytes.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes).map_err(|error| SyncError::Malformed {
            detail: error.to_string(),
            body: Some(String::from_utf8_lossy(&bytes).chars().take(4096).collect()),
        })
    }
}

fn is_unauthorized(failure: &SyncError) -> bool {
    matches!(failure, SyncError::Graph(error) if error.status == 401)
}
