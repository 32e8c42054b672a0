//! Test databases and a test application.

mod database;
mod forms;
pub mod microsoft;
mod secrets;
mod session;

pub use database::{Backend, TestDatabase};
pub use forms::{post, Answer, Fields, Poster};
pub use secrets::{registration_of, replace_client_secret, stored_client_secret};
pub use session::{router_as, session_as, signed_in_router, with_session, SITE_ORIGIN};

use axum::body::Body;
use axum::Router;
use backend::{AppState, MicrosoftEndpoints};
use http::{Request, StatusCode};
use sea_orm::DatabaseConnection;
use tower::ServiceExt;

/// Runs `test` once on `backend`, in a fresh database, and drops the database afterwards.
pub async fn run_on<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(DatabaseConnection) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    // A hung database or request fails the test by name instead of stalling the whole run.
    let created = tokio::time::timeout(SETUP_LIMIT, TestDatabase::create(backend))
        .await
        .unwrap_or_else(|_| {
            panic!("creating a {backend:?} test database took over {SETUP_LIMIT:?}")
        });
    let Some(database) = created else {
        return;
    };
    tokio::time::timeout(TEST_LIMIT, test(database.connection()))
        .await
        .unwrap_or_else(|_| panic!("test on {backend:?} did not finish within {TEST_LIMIT:?}"));
    // Dropping is cleanup only: a slow drop must not hang the run.
    let _ = tokio::time::timeout(SETUP_LIMIT, database.drop_database()).await;
}

const SETUP_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);
const TEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(180);

/// Declares one test per database for each named `async fn(DatabaseConnection)`.
#[macro_export]
macro_rules! on_every_database {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use $crate::support::{run_on, Backend};

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run_on(Backend::Sqlite, super::$name).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                run_on(Backend::Postgres, super::$name).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mariadb() {
                run_on(Backend::MariaDb, super::$name).await;
            }
        }
    )*};
}

/// The state a test server runs with; Microsoft points at a closed port unless a test
/// starts the fake.
pub fn test_state(db: DatabaseConnection) -> AppState {
    AppState {
        db,
        microsoft: MicrosoftEndpoints {
            login_url: "http://127.0.0.1:9".to_string(),
            graph_url: "http://127.0.0.1:9".to_string(),
            http_timeout: std::time::Duration::from_secs(5),
        },
        http: backend::microsoft::identity::token_client::http_client(
            std::time::Duration::from_secs(5),
        )
        .expect("HTTP client"),
        public_base_url: "http://127.0.0.1:3000".to_string(),
        cipher: test_cipher(),
        form_attempts: Default::default(),
        app_tokens: Default::default(),
        auth: Default::default(),
        mail: Default::default(),
        demo_account: None,
        time_zone: rules::time::DEFAULT_ZONE,
    }
}

/// The cipher test servers use: a fixed test key, not the development key.
pub fn test_cipher() -> backend::cipher::Cipher {
    let key = backend::cipher::EncryptionKey::from_bytes([7; 32]);
    backend::cipher::Cipher::new(&key, None)
}

/// The router `main` serves, over `db`, as an anonymous visitor sees it.
pub fn anonymous_router(db: DatabaseConnection) -> Router {
    let config =
        server::config::Config::from_lookup(|name| (name == "APP_ENV").then(|| "test".to_string()))
            .expect("default config");
    server::router(test_state(db), server::leptos_options(&config))
}

/// A GET through the router: status and body text.
pub async fn get(router: &Router, uri: &str) -> (StatusCode, String) {
    send(
        router,
        Request::get(uri).body(Body::empty()).expect("request"),
    )
    .await
}

/// Any request through the router: status and body text.
pub async fn send(router: &Router, request: Request<Body>) -> (StatusCode, String) {
    let answer = send_full(router, request).await;
    (answer.status, answer.body)
}

/// A whole response: status, headers and body text.
pub struct FullAnswer {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl FullAnswer {
    /// A header's text, or "".
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
    }
}

/// Any request through the router, keeping the headers.
pub async fn send_full(router: &Router, request: Request<Body>) -> FullAnswer {
    let target = format!("{} {}", request.method(), request.uri());
    let whole = async {
        let response = router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .expect("body");
        (status, headers, bytes)
    };
    // A hung response fails the test, naming the request, instead of hanging the suite.
    let (status, headers, bytes) = tokio::time::timeout(std::time::Duration::from_secs(30), whole)
        .await
        .unwrap_or_else(|_| panic!("no complete answer to {target} within 30 s"));
    FullAnswer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}
