//! The axum edge: routes, request IDs, and turning core decisions into HTTP responses.

mod admin;
mod admin_directory;
mod authorize;
mod discovery;
mod faults;
mod graph;
mod graph_attachments;
mod graph_mail;
mod graph_user;
mod pages;
mod signin;
mod signin_render;
mod token;

use std::sync::Arc;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use uuid::Uuid;

use crate::identity::{AadError, Trace};
use crate::state::Fake;

pub use signin::SESSION_COOKIE;

/// Every route of the fake, relative to one base URL.
pub fn router(fake: Arc<Fake>) -> Router {
    Router::new()
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(discovery::openid_configuration),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(discovery::keys))
        // Browsers ask every site for one; without it Chromium logs a 404 on the sign-in pages.
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize::authorize))
        .route("/{tenant}/oauth2/v2.0/token", post(token::token))
        .route("/{tenant}/oauth2/v2.0/logout", get(authorize::logout))
        .route("/{tenant}/v2.0/adminconsent", get(authorize::admin_consent))
        .merge(signin::routes())
        .merge(graph_mail::routes())
        .nest("/admin", admin::routes())
        .with_state(fake)
}

/// The client's `client-request-id`, when it is a GUID.
fn client_request_id(headers: &HeaderMap) -> Option<Uuid> {
    headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Uuid::parse_str(v.trim()).ok())
}

/// Fresh trace IDs for an identity response (correlation ID from `client-request-id`).
fn trace(fake: &Fake, headers: &HeaderMap) -> Trace {
    Trace::new(client_request_id(headers), fake.lock().now())
}

/// A JSON response with Microsoft's identity headers.
fn identity_json(status: u16, body: &impl serde::Serialize, trace: &Trace) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = (status, axum::Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, no-cache"),
    );
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    insert_id(headers, "x-ms-request-id", trace.trace_id);
    insert_id(headers, "client-request-id", trace.correlation_id);
    response
}

/// An identity error as JSON.
fn aad_error_json(error: &AadError, trace: &Trace) -> Response {
    identity_json(error.status, &error.body(trace), trace)
}

fn insert_id(headers: &mut HeaderMap, name: &'static str, id: Uuid) {
    if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
        headers.insert(name, value);
    }
}

/// A 302 to `location`.
fn found(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => {
            let mut response = StatusCode::FOUND.into_response();
            response.headers_mut().insert(header::LOCATION, value);
            response
        }
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "redirect URI is not a valid header",
        )
            .into_response(),
    }
}

/// A picker page for the browser's unit tests.
#[cfg(test)]
pub(crate) fn test_picker_html() -> String {
    let account = pages::AccountChoice {
        object_id: "oid-1".into(),
        upn: "a@b.nl".into(),
        name: "A".into(),
        hinted: true,
    };
    pages::picker_page("http://x/signin/f", "CRM", &[account])
}
