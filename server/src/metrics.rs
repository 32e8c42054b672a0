//! Prometheus metrics: the exporter (`metrics-exporter-prometheus`), the `/metrics` endpoint
//! on its own listen address (`METRICS_ADDR`, optionally behind `METRICS_TOKEN`), and the
//! counts only the server sees: requests and sign-ins. The use cases' counts are named in
//! `backend::telemetry`.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

use backend::auth::sign_in::SignInOutcome;
use rules::access::SignInError;

pub const METRICS_PATH: &str = "/metrics";

/// Buckets for durations in seconds: a page (milliseconds) to a long mail sync (minutes).
const SECONDS_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
];

/// The process's recorder, installed on first use (once: the `metrics` facade has one
/// global recorder). Until then every count is dropped at no cost.
pub fn recorder() -> Result<PrometheusHandle, String> {
    static HANDLE: OnceLock<Result<PrometheusHandle, String>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".to_string()), SECONDS_BUCKETS)
                .and_then(PrometheusBuilder::install_recorder)
                .map_err(|error| error.to_string())
        })
        .clone()
}

/// `GET /metrics` in Prometheus' text format; with a token, only for
/// `Authorization: Bearer <token>` (compared in constant time).
pub fn router(handle: PrometheusHandle, token: Option<SecretString>) -> Router {
    Router::new().route(
        METRICS_PATH,
        get(move |headers: HeaderMap| async move {
            if let Some(token) = &token {
                if !bearer_matches(&headers, token) {
                    return (
                        StatusCode::UNAUTHORIZED,
                        [(header::WWW_AUTHENTICATE, "Bearer")],
                    )
                        .into_response();
                }
            }
            (
                [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
                handle.render(),
            )
                .into_response()
        }),
    )
}

fn bearer_matches(headers: &HeaderMap, token: &SecretString) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or("");
    bool::from(given.as_bytes().ct_eq(token.expose_secret().as_bytes()))
}

/// Counts each request by its route template (never the path itself: ids would make a
/// series per mailbox), method and status class, with its duration until the response
/// starts.
pub async fn count_request(request: Request, next: Next) -> Response {
    let route = match request.extensions().get::<MatchedPath>() {
        _ if request.uri().path().starts_with("/pkg/") => "/pkg/*".to_string(),
        Some(matched) => matched.as_str().to_string(),
        // The fallback: the public files, or nothing.
        None => "unmatched".to_string(),
    };
    let method = match *request.method() {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    };
    let started = Instant::now();
    let response = next.run(request).await;
    let status = match response.status().as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    metrics::counter!(
        "mailboxen_http_requests_total",
        "route" => route.clone(),
        "method" => method,
        "status" => status
    )
    .increment(1);
    metrics::histogram!("mailboxen_http_request_duration_seconds", "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// A sign-in on the sign-in page ended.
pub fn sign_in_finished<E>(outcome: &Result<SignInOutcome, E>) {
    let outcome = match outcome {
        Ok(SignInOutcome::SignedIn { .. }) => "signed_in",
        Ok(SignInOutcome::Refused(SignInError::Rejected)) => "rejected",
        Ok(SignInOutcome::Refused(SignInError::Throttled)) => "throttled",
        Ok(SignInOutcome::Refused(SignInError::Busy)) => "busy",
        Err(_) => "error",
    };
    metrics::counter!("mailboxen_sign_ins_total", "outcome" => outcome).increment(1);
}
