//! The admin API under `/admin`: clock, faults and records here; directory changes in
//! `admin_directory`. JSON in and out; errors are `{"error": "…"}` with 404 or 400.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::json;

use super::admin_directory;
use crate::control::{ControlError, FakeHandle};
use crate::faults::FaultSpec;
use crate::state::Fake;

/// The admin routes (nested under `/admin`).
pub fn routes() -> Router<Arc<Fake>> {
    Router::new()
        .route("/clock", get(get_clock).post(set_clock))
        .route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/faults/{endpoint}", delete(clear_endpoint_faults))
        .route("/token-requests", get(token_requests))
        .route("/graph-requests", get(graph_requests))
        .route("/sent-messages", get(sent_messages))
        .route("/records", delete(clear_records))
        .route("/sign-out", post(sign_out))
        .merge(admin_directory::routes())
}

/// Maps a control error to 404 (unknown thing) or 400 (invalid change).
pub(super) fn control_error(error: &ControlError) -> Response {
    let status = match error {
        ControlError::Invalid(_)
        | ControlError::UnknownEndpoint(_)
        | ControlError::InvalidCertificate => StatusCode::BAD_REQUEST,
        _ => StatusCode::NOT_FOUND,
    };
    (status, Json(json!({"error": error.to_string()}))).into_response()
}

/// `200 {}` or the error.
pub(super) fn done(result: Result<(), ControlError>) -> Response {
    match result {
        Ok(()) => Json(json!({})).into_response(),
        Err(e) => control_error(&e),
    }
}

pub(super) fn handle(fake: Arc<Fake>) -> FakeHandle {
    FakeHandle::new(fake)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockChange {
    advance_seconds: Option<i64>,
    now: Option<DateTime<Utc>>,
    #[serde(default)]
    reset: bool,
}

async fn get_clock(State(fake): State<Arc<Fake>>) -> Response {
    let offset = fake.lock().clock.offset();
    Json(json!({"now": handle(fake).now(), "offset_seconds": offset.num_seconds()})).into_response()
}

async fn set_clock(State(fake): State<Arc<Fake>>, Json(change): Json<ClockChange>) -> Response {
    let handle = handle(fake.clone());
    if change.reset {
        handle.reset_clock();
    }
    if let Some(at) = change.now {
        handle.set_clock(at);
    }
    if let Some(seconds) = change.advance_seconds {
        handle.advance_clock(Duration::seconds(seconds));
    }
    get_clock(State(fake)).await
}

async fn list_faults(State(fake): State<Arc<Fake>>) -> Response {
    Json(json!({"faults": handle(fake).active_faults()})).into_response()
}

async fn add_fault(State(fake): State<Arc<Fake>>, Json(spec): Json<FaultSpec>) -> Response {
    done(handle(fake).inject_fault(spec))
}

async fn clear_faults(State(fake): State<Arc<Fake>>) -> Response {
    handle(fake).clear_faults();
    Json(json!({})).into_response()
}

async fn clear_endpoint_faults(
    State(fake): State<Arc<Fake>>,
    Path(endpoint): Path<String>,
) -> Response {
    handle(fake).clear_faults_for(&endpoint);
    Json(json!({})).into_response()
}

async fn token_requests(State(fake): State<Arc<Fake>>) -> Response {
    let handle = handle(fake);
    let counts = json!({
        "authorization_code": handle.token_request_count("authorization_code"),
        "refresh_token": handle.token_request_count("refresh_token"),
        "client_credentials": handle.token_request_count("client_credentials"),
    });
    Json(json!({"counts": counts, "requests": handle.token_requests(), "reused_refresh_tokens": handle.reused_refresh_tokens()})).into_response()
}

async fn graph_requests(State(fake): State<Arc<Fake>>) -> Response {
    Json(json!({"requests": handle(fake).graph_requests()})).into_response()
}

async fn sent_messages(State(fake): State<Arc<Fake>>) -> Response {
    Json(json!({"messages": handle(fake).all_sent_messages()})).into_response()
}

async fn clear_records(State(fake): State<Arc<Fake>>) -> Response {
    handle(fake).clear_records();
    Json(json!({})).into_response()
}

async fn sign_out(State(fake): State<Arc<Fake>>) -> Response {
    handle(fake).sign_out_all_browsers();
    Json(json!({})).into_response()
}
