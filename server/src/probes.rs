//! `/healthz` and `/readyz` for load balancers and orchestrators. Public (no session), plain
//! text, and they say nothing about the installation beyond up or not.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use migrations::{Migrator, MigratorTrait};
use sea_orm::ConnectionTrait;

use backend::AppState;

pub const HEALTH_PATH: &str = "/healthz";
pub const READY_PATH: &str = "/readyz";

/// The process answers.
pub async fn health() -> Response {
    (StatusCode::OK, "ok\n").into_response()
}

/// Ready to serve: the database answers and holds every migration this build knows. A 503
/// otherwise, so a load balancer sends nobody to an instance that would fail them (during a
/// migration another instance runs, or when the database is unreachable).
pub async fn ready(state: AppState) -> Response {
    if let Err(error) = state.db.execute_unprepared("SELECT 1").await {
        tracing::warn!(%error, "not ready: the database does not answer");
        return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response();
    }
    match Migrator::get_pending_migrations(&state.db).await {
        Ok(pending) if pending.is_empty() => (StatusCode::OK, "ready\n").into_response(),
        Ok(pending) => {
            tracing::warn!(pending = pending.len(), "not ready: migrations pending");
            (StatusCode::SERVICE_UNAVAILABLE, "migrations pending\n").into_response()
        }
        Err(error) => {
            tracing::warn!(%error, "not ready: migrations could not be read");
            (StatusCode::SERVICE_UNAVAILABLE, "migrations unknown\n").into_response()
        }
    }
}
