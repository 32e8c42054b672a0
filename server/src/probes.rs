//! `/healthz` and `/readyz` for load balancers and orchestrators, and the [`Readiness`] of
//! this instance: until the database holds exactly the migrations this build knows, the
//! instance answers `/healthz` but nothing else (no pages, no scheduler), and it becomes
//! ready by itself once another process (`server migrate`, or an instance holding the
//! migration lock) has finished. Public (no session), plain text, and they say nothing about
//! the installation beyond up or not.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sea_orm::ConnectionTrait;
use tokio::sync::{watch, Notify};

use backend::AppState;

use crate::db::{schema_status, SchemaStatus};

pub const HEALTH_PATH: &str = "/healthz";
pub const READY_PATH: &str = "/readyz";

/// How often a starting instance looks again whether the schema is current (each `/readyz`
/// also looks at once).
pub const SCHEMA_RECHECK: Duration = Duration::from_secs(5);

/// How long `/readyz` waits for an instance whose schema just became current to finish
/// starting (the first administrator, the scheduler) before it answers 503 "starting".
const READY_WAIT: Duration = Duration::from_secs(5);

/// Whether this instance serves: false from start-up until the schema is current and the
/// start-up steps that need it are done ([`crate::become_ready`]); then true for the rest of
/// the process. Cheap to clone and to ask.
#[derive(Clone, Debug)]
pub struct Readiness {
    ready: Arc<watch::Sender<bool>>,
    recheck: Arc<Notify>,
}

impl Readiness {
    /// Ready from the start: a router over a database the caller migrated (tests, bench).
    pub fn ready() -> Readiness {
        let readiness = Readiness::starting();
        readiness.mark_ready();
        readiness
    }

    /// Not ready yet: `main` before the schema is known to be current.
    pub fn starting() -> Readiness {
        Readiness {
            ready: Arc::new(watch::channel(false).0),
            recheck: Arc::new(Notify::new()),
        }
    }

    pub fn is_ready(&self) -> bool {
        *self.ready.borrow()
    }

    pub fn mark_ready(&self) {
        self.ready.send_replace(true);
    }

    /// Asks the start-up to look at the schema now rather than at its next recheck.
    fn ask_recheck(&self) {
        self.recheck.notify_one();
    }

    /// Waits until [`Readiness::ask_recheck`] or `period`, whichever comes first.
    pub async fn recheck_after(&self, period: Duration) {
        let _ = tokio::time::timeout(period, self.recheck.notified()).await;
    }

    /// True once ready, or false after `limit`.
    async fn wait_ready(&self, limit: Duration) -> bool {
        let mut ready = self.ready.subscribe();
        tokio::time::timeout(limit, ready.wait_for(|ready| *ready))
            .await
            .is_ok_and(|waited| waited.is_ok())
    }
}

/// The process answers.
pub async fn health() -> Response {
    (StatusCode::OK, "ok\n").into_response()
}

/// Ready to serve: started, the database answers and holds exactly the migrations this build
/// knows. A 503 otherwise, with the reason, so a load balancer sends nobody to an instance
/// that would fail them: while migrations are pending (another process runs them, or
/// `server migrate` has not run yet), while the database holds a newer version's migrations
/// (an upgrade under way), when the database is unreachable.
pub async fn ready(state: AppState, readiness: Readiness) -> Response {
    let not_ready =
        |reason: &'static str| (StatusCode::SERVICE_UNAVAILABLE, reason).into_response();
    if let Err(error) = state.db.execute_unprepared("SELECT 1").await {
        tracing::warn!(%error, "not ready: the database does not answer");
        return not_ready("database unreachable\n");
    }
    match schema_status(&state.db).await {
        Ok(SchemaStatus::Current) => {}
        Ok(SchemaStatus::Pending(pending)) => {
            tracing::warn!(pending, "not ready: migrations pending");
            return not_ready("migrations pending\n");
        }
        Ok(SchemaStatus::Newer(unknown)) => {
            tracing::warn!(
                unknown,
                "not ready: the database holds migrations this version does not know"
            );
            return not_ready("database newer than this binary\n");
        }
        Err(error) => {
            tracing::warn!(%error, "not ready: migrations could not be read");
            return not_ready("migrations unknown\n");
        }
    }
    if !readiness.is_ready() {
        readiness.ask_recheck();
        if !readiness.wait_ready(READY_WAIT).await {
            return not_ready("starting\n");
        }
    }
    (StatusCode::OK, "ready\n").into_response()
}

/// Before the instance is ready, every request but the probes gets a 503 with a plain text
/// (and `Retry-After`), not a page that would fail on tables that are not there yet.
pub async fn serve_when_ready(
    State(readiness): State<Readiness>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if readiness.is_ready() || path == HEALTH_PATH || path == READY_PATH {
        return next.run(request).await;
    }
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, NOT_READY_TEXT).into_response();
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// What a visitor reads while the instance starts; in both languages, as no preference can
/// be read before the database is there.
pub const NOT_READY_TEXT: &str = "Mailboxen start nog: de database wordt bijgewerkt. \
     Probeer het over een minuut opnieuw.\n\
     Mailboxen is starting: its database is being brought up to date. \
     Please try again in a minute.\n";
