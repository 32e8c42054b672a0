//! [`GraphClient`]: every request to Microsoft Graph (fetching mail, sending it, the
//! preflight's inbox check) goes through it: the bearer token, our `client-request-id`, the
//! retries of the [`RetryPolicy`] (docs/microsoft.md §6), one new token after a 401, and a
//! size cap on every answer it reads (a JSON answer over the cap is a malformed answer; a
//! download's body is handed over unread, for its caller to take under its own limit), so
//! no answer can fill the memory.

use std::future::Future;

use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::body::{read_capped, Capped};
use super::error::{GraphError, GraphFailure};
use super::retry::{jitter, RetryPolicy};
use crate::mail::Pause;

/// Where a client gets a new bearer token when Graph refuses the one it has (401).
pub trait Renew {
    type Error;
    /// A token in place of `rejected`; None: there is no other, the 401 stands.
    fn renew(
        &mut self,
        rejected: &SecretString,
    ) -> impl Future<Output = Result<Option<SecretString>, Self::Error>> + Send;
}

/// A token that is never renewed (the preflight tests the one it was given).
pub struct NoRenewal;

impl Renew for NoRenewal {
    type Error = std::convert::Infallible;

    async fn renew(&mut self, _: &SecretString) -> Result<Option<SecretString>, Self::Error> {
        Ok(None)
    }
}

/// Calls Graph for one mailbox, for as long as one sync, one send or one check lasts.
pub struct GraphClient<'a, R> {
    http: &'a reqwest::Client,
    policy: RetryPolicy,
    pause: &'a dyn Pause,
    mailbox_id: i32,
    token: SecretString,
    renewal: R,
    /// A 401 renews the token once per client; a second 401 is an error.
    renewed: bool,
    /// The largest JSON answer read ([`DEFAULT_RESPONSE_MAX_BYTES`] unless set).
    response_max_bytes: u64,
    /// `Prefer` values sent with every request ([`GraphClient::preferring`]).
    preferences: Vec<String>,
}

/// The largest JSON answer a client reads unless told otherwise: far above a page of 50
/// messages with their bodies, far below what would strain the memory.
pub const DEFAULT_RESPONSE_MAX_BYTES: u64 = 32 * 1024 * 1024;

/// An error answer is read this far: enough for Graph's error object, never a whole page.
const ERROR_BODY_MAX_BYTES: u64 = 64 * 1024;

/// How a request's answer is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    /// JSON, up to the client's cap.
    Json,
    /// Not read (only whether it succeeded matters).
    Ignored,
    /// Raw bytes, left unread for the caller to take as they stream in.
    Stream,
}

/// An answer as read.
enum Read {
    Json(Value),
    Stream(reqwest::Response),
}

/// One request, as the client sends it (again).
struct Request<'b> {
    method: Method,
    url: &'b str,
    body: Option<&'b Value>,
    page_size: Option<u32>,
    /// Whether sending it twice does no more than once.
    idempotent: bool,
    /// How a success's body is read.
    answer: Answer,
}

impl<'b> Request<'b> {
    /// Without a body, safe to repeat, its answer read.
    fn to(method: Method, url: &'b str) -> Self {
        Self {
            method,
            url,
            body: None,
            page_size: None,
            idempotent: true,
            answer: Answer::Json,
        }
    }
}

impl<'a, R: Renew> GraphClient<'a, R> {
    pub fn new(
        http: &'a reqwest::Client,
        policy: RetryPolicy,
        pause: &'a dyn Pause,
        mailbox_id: i32,
        token: SecretString,
        renewal: R,
    ) -> Self {
        Self {
            http,
            policy,
            pause,
            mailbox_id,
            token,
            renewal,
            renewed: false,
            response_max_bytes: DEFAULT_RESPONSE_MAX_BYTES,
            preferences: Vec::new(),
        }
    }

    /// Sends `preference` (e.g. `IdType="ImmutableId"`) in the `Prefer` header of every
    /// request: Graph applies a preference only to the request that carries it.
    pub fn preferring(mut self, preference: impl Into<String>) -> Self {
        self.preferences.push(preference.into());
        self
    }

    /// Reads JSON answers up to `max_bytes` (a larger one is [`GraphFailure::Malformed`]).
    pub fn with_response_cap(mut self, max_bytes: u64) -> Self {
        self.response_max_bytes = max_bytes;
        self
    }

    /// `GET url` (a whole link as Graph gave it, or one we built); its JSON.
    pub async fn get(
        &mut self,
        url: &str,
        page_size: Option<u32>,
    ) -> Result<Value, GraphFailure<R::Error>> {
        let request = Request {
            page_size,
            ..Request::to(Method::GET, url)
        };
        Ok(json(self.call(request).await?.0))
    }

    /// `GET url` of raw content (an attachment's `$value`): the successful answer with its
    /// body unread, for the caller to take chunk by chunk under its own limit. Retried as
    /// any `GET` up to the answer's status; a body that breaks off later is the caller's to
    /// ask for again.
    pub async fn open(&mut self, url: &str) -> Result<reqwest::Response, GraphFailure<R::Error>> {
        let request = Request {
            answer: Answer::Stream,
            ..Request::to(Method::GET, url)
        };
        match self.call(request).await?.0 {
            Read::Stream(response) => Ok(response),
            Read::Json(_) => Err(GraphFailure::Malformed {
                detail: "a download answered without a body".to_string(),
                body: None,
            }),
        }
    }

    /// `GET url` when only whether it succeeds matters.
    pub async fn check(&mut self, url: &str) -> Result<(), GraphFailure<R::Error>> {
        let request = Request {
            answer: Answer::Ignored,
            ..Request::to(Method::GET, url)
        };
        self.call(request).await.map(|_| ())
    }

    /// `PATCH url` with a JSON body (setting a property: repeating it changes nothing).
    pub async fn patch(
        &mut self,
        url: &str,
        body: &Value,
    ) -> Result<Value, GraphFailure<R::Error>> {
        let request = Request {
            body: Some(body),
            ..Request::to(Method::PATCH, url)
        };
        Ok(json(self.call(request).await?.0))
    }

    /// `POST url` of an action such as `sendMail`: never repeated once it may have reached
    /// Graph. Any 2xx means Graph took it; the answer's body is not read. The requests it
    /// took, the successful one included.
    pub async fn post_action(
        &mut self,
        url: &str,
        body: &Value,
    ) -> Result<u32, GraphFailure<R::Error>> {
        let request = Request {
            body: Some(body),
            idempotent: false,
            answer: Answer::Ignored,
            ..Request::to(Method::POST, url)
        };
        self.call(request).await.map(|(_, attempts)| attempts)
    }

    /// The request, retried as the policy allows; its answer and the attempts it took (a
    /// renewed token's retry is not a retry of a failure).
    async fn call(&mut self, request: Request<'_>) -> Result<(Read, u32), GraphFailure<R::Error>> {
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let failure = match self.once(&request).await {
                Ok(value) => return Ok((value, attempt)),
                Err(failure) => failure,
            };
            if is_unauthorized(&failure) && !self.renewed {
                // The token may have been revoked or expired early: one new token.
                self.renewed = true;
                let renewed = self
                    .renewal
                    .renew(&self.token)
                    .await
                    .map_err(GraphFailure::Token)?;
                if let Some(token) = renewed {
                    self.token = token;
                    attempt -= 1;
                    continue;
                }
            }
            let transience = failure.transience(request.idempotent);
            let Some(wait) = self.policy.next_wait(attempt, transience, jitter()) else {
                return Err(failure);
            };
            tracing::info!(
                mailbox_id = self.mailbox_id,
                method = %request.method,
                attempt,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                code = %failure.log_code(),
                "Graph request failed; retrying"
            );
            self.pause.sleep(wait).await;
        }
    }

    async fn once(&self, request: &Request<'_>) -> Result<Read, GraphFailure<R::Error>> {
        let accept = match request.answer {
            Answer::Stream => "*/*",
            Answer::Json | Answer::Ignored => "application/json",
        };
        let mut builder = self
            .http
            .request(request.method.clone(), request.url)
            .bearer_auth(self.token.expose_secret())
            // Ours, so a failure can be found in Microsoft's logs (and in the attempt).
            .header("client-request-id", uuid::Uuid::new_v4().to_string())
            .header("Accept", accept);
        let page_size = request
            .page_size
            .map(|size| format!("odata.maxpagesize={size}"));
        let preferences: Vec<&str> = self
            .preferences
            .iter()
            .map(String::as_str)
            .chain(page_size.as_deref())
            .collect();
        if !preferences.is_empty() {
            builder = builder.header("Prefer", preferences.join(", "));
        }
        if let Some(body) = request.body {
            builder = builder.json(body);
        }
        let response = builder.send().await.map_err(|error| {
            // A timeout may strike after the request went out; a refused connection or a
            // request that could not be built never left.
            let never_left = !error.is_timeout() && (error.is_connect() || error.is_builder());
            GraphFailure::NoAnswer {
                error,
                may_have_arrived: !never_left,
            }
        })?;
        let status = response.status();
        if status.is_success() && request.answer == Answer::Ignored {
            return Ok(Read::Json(Value::Null));
        }
        let headers = response.headers().clone();
        let no_answer = |error| GraphFailure::NoAnswer {
            error,
            may_have_arrived: true,
        };
        if !status.is_success() {
            // An error body that cannot be read leaves the status and the headers; one
            // longer than Graph's error object is cut (and then not Graph's).
            let bytes = match read_capped(response, ERROR_BODY_MAX_BYTES).await {
                Ok(Capped::Complete(bytes)) => bytes,
                Ok(Capped::OverLimit { .. }) | Err(_) => Vec::new(),
            };
            let now = self.pause.now();
            return Err(GraphFailure::Answered(Box::new(GraphError::from_response(
                status.as_u16(),
                &headers,
                &bytes,
                now,
            ))));
        }
        if request.answer == Answer::Stream {
            return Ok(Read::Stream(response));
        }
        let cap = self.response_max_bytes;
        let bytes = match read_capped(response, cap).await.map_err(no_answer)? {
            Capped::Complete(bytes) => bytes,
            Capped::OverLimit { .. } => {
                return Err(GraphFailure::Malformed {
                    detail: format!(
                        "an answer larger than {cap} bytes, the most this app reads \
                         (MAIL_GRAPH_RESPONSE_MAX_BYTES)"
                    ),
                    body: None,
                })
            }
        };
        if bytes.is_empty() {
            return Ok(Read::Json(Value::Null));
        }
        serde_json::from_slice(&bytes)
            .map(Read::Json)
            .map_err(|error| GraphFailure::Malformed {
                detail: error.to_string(),
                body: Some(String::from_utf8_lossy(&bytes).chars().take(4096).collect()),
            })
    }
}

/// The JSON of an answer read as JSON.
fn json(read: Read) -> Value {
    match read {
        Read::Json(value) => value,
        Read::Stream(_) => Value::Null,
    }
}

fn is_unauthorized<E>(failure: &GraphFailure<E>) -> bool {
    matches!(failure, GraphFailure::Answered(error) if error.status == 401)
}

/// `{graph}/v1.0/users/{object-id}/{rest…}`, each segment escaped: an Object ID is never
/// spliced into a URL unescaped.
pub fn user_url(
    graph_url: &str,
    object_id: &str,
    rest: &[&str],
) -> Result<url::Url, url::ParseError> {
    let mut url = url::Url::parse(graph_url)?;
    if let Ok(mut segments) = url.path_segments_mut() {
        segments
            .pop_if_empty()
            .extend(["v1.0", "users", object_id])
            .extend(rest);
    }
    Ok(url)
}
