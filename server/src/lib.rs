//! The axum server: configuration, database start-up, and the router that serves the Leptos
//! app, its server functions and the static bundle. A library so integration tests can build
//! the very router `main` serves.

// The mailbox page is one deeply nested view type; its layout needs more than the default.
#![recursion_limit = "512"]

pub mod allocator;
pub mod assets;
pub mod auth;
pub mod callback;
pub mod config;
pub mod db;
mod download;
pub mod housekeeping;
mod language;
pub mod logging;
pub mod metrics;
pub mod probes;
pub mod reencrypt;
mod routes;
pub mod serve;
mod service;
pub mod users_cli;

pub use probes::Readiness;
pub use routes::{route_list, router, router_until_ready};
pub use service::{service, Serving, REQUEST_ID};

use backend::microsoft::identity::token_client::http_client;
use backend::{AppState, MicrosoftEndpoints};
use leptos::config::LeptosOptions;

use crate::config::Config;

/// A started application: the state and the Leptos options the router needs.
pub struct Application {
    pub state: AppState,
    pub leptos_options: LeptosOptions,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot build the HTTP client for Microsoft: {0}")]
    HttpClient(String),
    #[error("creating the first administrator (BOOTSTRAP_ADMIN_EMAIL) failed: {0}")]
    Bootstrap(#[from] backend::auth::users::UserError),
}

/// Connects to the database and assembles the state; the schema may still be behind
/// (or ahead): [`become_ready`] waits for it.
pub async fn start(config: &Config) -> Result<Application, StartError> {
    let db = db::connect(&config.database_url, config.database_max_connections).await?;
    if config.encryption.development_key {
        tracing::warn!(
            app_env = ?config.app_env,
            "ENCRYPTION_KEY is not set: secrets are encrypted with the public development key; \
             never use this installation for real mailboxes"
        );
    }
    let http = http_client(config.microsoft_http_timeout)
        .map_err(|error| StartError::HttpClient(error.to_string()))?;
    Ok(Application {
        state: AppState {
            db,
            microsoft: MicrosoftEndpoints {
                login_url: config.microsoft_login_url.clone(),
                graph_url: config.microsoft_graph_url.clone(),
                http_timeout: config.microsoft_http_timeout,
            },
            http,
            public_base_url: config.public_base_url.clone(),
            cipher: config.encryption.cipher(),
            form_attempts: Default::default(),
            app_tokens: Default::default(),
            auth: config.auth.policy(&config.public_base_url),
            mail: config.mail.settings(),
            demo_account: config.demo_account(),
            time_zone: config.time_zone,
        },
        leptos_options: leptos_options(config),
    })
}

/// Leptos' own settings, from our config rather than from Cargo.toml at run time, so the
/// binary runs from any directory.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("mailboxen")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .hash_files(assets::hash_file().is_some())
        .build()
}

/// Brings a started instance to ready: migrates (`MIGRATE_AT_START`, under the database lock,
/// so this waits while another process migrates), then waits until the database holds
/// exactly this build's migrations — looking again every [`probes::SCHEMA_RECHECK`] and at
/// each `/readyz` — so an instance started before `server migrate` (or beside a newer
/// version) stays up, answering 503, and serves once the schema is current. Then creates the
/// first administrator if needed and marks `readiness`. An error (a failed migration, the
/// first administrator) ends the start-up.
pub async fn become_ready(
    config: &Config,
    state: &AppState,
    readiness: &Readiness,
) -> Result<(), StartError> {
    if config.migrate_at_start {
        db::migrate(&config.database_url).await?;
    }
    let mut seen = None;
    loop {
        let status = db::schema_status(&state.db).await;
        let text = match &status {
            Ok(db::SchemaStatus::Current) => break,
            Ok(db::SchemaStatus::Pending(pending)) => format!(
                "{pending} migration(s) of this version pending: not serving until \
                 `server migrate` has run (or an instance migrating at start is done)"
            ),
            Ok(db::SchemaStatus::Newer(unknown)) => format!(
                "the database holds {unknown} migration(s) of a newer version: not serving; \
                 start the newer version"
            ),
            Err(error) => format!("cannot read the migrations: {error}"),
        };
        // Said once for each state it waits in, not every few seconds.
        if seen.as_ref() != Some(&text) {
            tracing::warn!("{text}");
            seen = Some(text);
        }
        readiness.recheck_after(probes::SCHEMA_RECHECK).await;
    }
    // A failure leaves those mailboxes on their own secret, which still works; the next
    // start tries again.
    if let Err(error) =
        db::adopt_app_registrations(&config.database_url, &state.db, &state.cipher).await
    {
        tracing::error!(%error, "moving mailboxes onto app registrations failed");
    }
    auth::bootstrap::ensure_first_admin(&state.db, &config.auth).await?;
    readiness.mark_ready();
    tracing::info!("ready: the schema is current");
    Ok(())
}
