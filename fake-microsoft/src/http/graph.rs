//! The frame every Graph request goes through: request IDs, per-mailbox concurrency
//! tracking, faults, the access check, the error body, and the request record.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::Query;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use uuid::Uuid;

use super::client_request_id;
use super::faults::{graph_fault, set_retry_after, take_and_wait};
use crate::directory::{Folder, User};
use crate::faults::{Endpoint, Fault};
use crate::graph::access::{authenticate, authorize, Permission};
use crate::graph::message_json::folder_id;
use crate::graph::GraphError;
use crate::records::GraphRequestRecord;
use crate::state::{Fake, FakeState};

/// A Graph request as the frame needs it.
pub(super) struct GraphRequest {
    /// Which endpoint (for faults and records).
    pub endpoint: Endpoint,
    /// What the call needs.
    pub permission: Permission,
    /// The `{id}` path segment: object ID or UPN.
    pub user_key: String,
    /// Method, path and headers, for the record and IDs.
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
}

/// A successful Graph answer.
pub(super) enum Reply {
    /// 200 with JSON.
    Json(Value),
    /// 202, empty body (sendMail).
    Accepted,
    /// 204 (delete).
    NoContent,
    /// 200 with raw content (an attachment's `$value`) of this type.
    Raw {
        content_type: String,
        body: axum::body::Body,
    },
}

/// What a handler may use besides the state.
pub(super) struct Caller<'a> {
    /// The addressed mailbox's object ID (authorised).
    pub user: Uuid,
    /// The fake's base URL, for links.
    pub base_url: &'a str,
}

/// Runs `handler` inside the frame.
pub(super) async fn run<F>(fake: Arc<Fake>, request: GraphRequest, handler: F) -> Response
where
    F: FnOnce(&mut FakeState, &Caller<'_>) -> Result<Reply, GraphError> + Send,
{
    let request_id = Uuid::new_v4();
    let client_id = client_request_id(&request.headers).unwrap_or_else(Uuid::new_v4);
    let mailbox = fake
        .lock()
        .directory
        .user_by_key(&request.user_key)
        .map(|(_, u)| u.object_id);
    let _in_flight = InFlight::enter(fake.clone(), mailbox);
    let outcome = match take_and_wait(&fake, request.endpoint).await {
        Some(fault) => {
            if fault == Fault::Hang {
                record(&fake, &request, mailbox, 0);
            }
            graph_fault(fault).await
        }
        None => answer(&fake, &request, handler),
    };
    let mut response = match outcome {
        Ok(response) => response,
        Err(error) => error_response(&fake, &error, request_id, client_id),
    };
    record(&fake, &request, mailbox, response.status().as_u16());
    let headers = response.headers_mut();
    for (name, id) in [("request-id", request_id), ("client-request-id", client_id)] {
        if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
            headers.insert(name, value);
        }
    }
    response
}

fn answer<F>(fake: &Fake, request: &GraphRequest, handler: F) -> Result<Response, GraphError>
where
    F: FnOnce(&mut FakeState, &Caller<'_>) -> Result<Reply, GraphError>,
{
    let mut state = fake.lock();
    let authorization = request
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let grant = authenticate(&state, authorization)?;
    let user = authorize(&state, &grant, request.permission, &request.user_key)?;
    let caller = Caller {
        user,
        base_url: fake.base_url(),
    };
    Ok(match handler(&mut state, &caller)? {
        Reply::Json(body) => (StatusCode::OK, axum::Json(body)).into_response(),
        Reply::Accepted => StatusCode::ACCEPTED.into_response(),
        Reply::NoContent => StatusCode::NO_CONTENT.into_response(),
        Reply::Raw { content_type, body } => {
            let mut response = (StatusCode::OK, body).into_response();
            if let Ok(value) = HeaderValue::from_str(&content_type) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            response
        }
    })
}

fn error_response(fake: &Fake, error: &GraphError, request_id: Uuid, client_id: Uuid) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = error.body(request_id, client_id, fake.lock().now());
    let mut response = (status, axum::Json(body)).into_response();
    set_retry_after(&mut response, error.retry_after_seconds);
    if error.status == 401 {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000""#),
        );
    }
    response
}

fn record(fake: &Fake, request: &GraphRequest, mailbox: Option<Uuid>, status: u16) {
    let mut state = fake.lock();
    let at = state.now();
    state.records.graph_requests.push(GraphRequestRecord {
        method: request.method.to_string(),
        path: request
            .uri
            .path_and_query()
            .map_or_else(|| request.uri.path().to_owned(), |p| p.to_string()),
        endpoint: request.endpoint,
        mailbox,
        status,
        at,
    });
}

/// Counts a request as in flight on its mailbox until dropped (also when the client gives
/// up on a slow or hung answer).
struct InFlight {
    fake: Arc<Fake>,
    mailbox: Option<Uuid>,
}

impl InFlight {
    fn enter(fake: Arc<Fake>, mailbox: Option<Uuid>) -> Self {
        if let Some(mailbox) = mailbox {
            fake.lock().records.enter(mailbox);
        }
        Self { fake, mailbox }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(mailbox) = self.mailbox {
            self.fake.lock().records.leave(mailbox);
        }
    }
}

/// Query options as a map.
pub(super) type Params = Query<HashMap<String, String>>;

/// A [`GraphRequest`] from a handler's extractors.
pub(super) fn request(
    endpoint: Endpoint,
    permission: Permission,
    user_key: String,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> GraphRequest {
    GraphRequest {
        endpoint,
        permission,
        user_key,
        method,
        uri,
        headers,
    }
}

/// The authorised mailbox.
pub(super) fn mailbox<'s>(
    state: &'s FakeState,
    caller: &Caller<'_>,
) -> Result<&'s User, GraphError> {
    state
        .directory
        .user(caller.user)
        .map(|(_, u)| u)
        .ok_or_else(GraphError::item_not_found)
}

/// A folder by well-known name or ID (404 `ErrorItemNotFound` otherwise).
pub(super) fn folder_of(user: &User, name: &str) -> Result<Folder, GraphError> {
    Folder::from_well_known_name(name)
        .or_else(|| {
            [Folder::Inbox, Folder::SentItems]
                .into_iter()
                .find(|f| folder_id(user, *f) == name)
        })
        .ok_or_else(GraphError::item_not_found)
}
