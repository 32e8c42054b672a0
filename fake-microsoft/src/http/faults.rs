//! Turning an injected fault into the response of the endpoint family it hits.

use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::{aad_error_json, pages};
use crate::faults::{Endpoint, Fault};
use crate::graph::GraphError;
use crate::identity::{aadsts, Trace};
use crate::state::Fake;

/// How an endpoint family renders errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// JSON identity endpoints (token, discovery, keys).
    IdentityJson,
    /// HTML identity pages (authorize, admin consent, sign-in).
    IdentityHtml,
}

/// Applies the faults configured for `endpoint` to an identity request: waits out added
/// latency, then returns the replacement response, if any. A hang never returns.
pub async fn identity_fault(
    fake: &Arc<Fake>,
    endpoint: Endpoint,
    family: Family,
    trace: &Trace,
) -> Option<Response> {
    let fault = take_and_wait(fake, endpoint).await?;
    Some(identity_response(fault, family, trace).await)
}

/// Counts the request against the faults of `endpoint`, waits out added latency, and returns
/// the fault that replaces the answer, if any.
pub async fn take_and_wait(fake: &Fake, endpoint: Endpoint) -> Option<Fault> {
    let triggered = fake.lock().faults.take(endpoint);
    if !triggered.latency.is_zero() {
        tokio::time::sleep(triggered.latency).await;
    }
    triggered.fault
}

/// The identity endpoint's answer to a fault (a hang never returns).
pub async fn identity_response(fault: Fault, family: Family, trace: &Trace) -> Response {
    let (error, retry_after) = match fault {
        Fault::ServerError => (aadsts::server_error(), None),
        Fault::ServiceUnavailable {
            retry_after_seconds,
        } => (aadsts::temporarily_unavailable(), retry_after_seconds),
        Fault::MalformedJson => return malformed(family),
        Fault::Hang => return hang().await,
        // Throttling and a gone item apply to Graph only (FaultPlan skips them elsewhere).
        Fault::Throttle { .. } | Fault::Latency { .. } | Fault::ItemGone => {
            (aadsts::temporarily_unavailable(), None)
        }
    };
    let mut response = match family {
        Family::IdentityJson => aad_error_json(&error, trace),
        Family::IdentityHtml => {
            let status =
                StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, Html(pages::error_page(&error, trace))).into_response()
        }
    };
    set_retry_after(&mut response, retry_after);
    response
}

/// The Graph response for a fault (`None` for latency only, already waited out).
pub async fn graph_fault(fault: Fault) -> Result<Response, GraphError> {
    match fault {
        Fault::ServerError => Err(GraphError::internal_server_error()),
        Fault::ServiceUnavailable {
            retry_after_seconds,
        } => Err(GraphError::service_unavailable(retry_after_seconds)),
        Fault::Throttle {
            retry_after_seconds,
        } => Err(GraphError::throttled(retry_after_seconds)),
        Fault::MalformedJson => Ok((
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            r#"{"@odata.context":"$metadata#messages","value":[{"id":"AAMk"#,
        )
            .into_response()),
        Fault::Hang => Ok(hang().await),
        Fault::Latency { .. } => Err(GraphError::internal_server_error()),
        Fault::ItemGone => Err(GraphError::item_not_found()),
    }
}

/// Adds `Retry-After` when given.
pub fn set_retry_after(response: &mut Response, seconds: Option<u64>) {
    if let Some(value) = seconds.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
}

fn malformed(family: Family) -> Response {
    match family {
        Family::IdentityJson => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            r#"{"token_type":"Bearer","expires_in":35"#,
        )
            .into_response(),
        Family::IdentityHtml => {
            (StatusCode::OK, Html("<!DOCTYPE html><html><body><form")).into_response()
        }
    }
}

async fn hang() -> Response {
    std::future::pending::<()>().await;
    StatusCode::GATEWAY_TIMEOUT.into_response()
}
