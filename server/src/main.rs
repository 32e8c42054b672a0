//! `server`: serves the Mailboxen settings app.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use server::config::Config;
use tracing_subscriber::EnvFilter;

/// Serves the Mailboxen settings app. Configuration comes from the environment (README,
/// "Configuration"); `--help` needs none of it.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app on LEPTOS_SITE_ADDR (the default).
    Serve,
    /// Apply pending database migrations and exit; safe beside running or starting
    /// instances (a database lock makes them take turns).
    Migrate,
    /// Encrypt every stored secret with ENCRYPTION_KEY (after a key rotation, with the old
    /// key in ENCRYPTION_KEY_PREVIOUS).
    ReencryptSecrets,
    /// Create an account; the password from NEW_PASSWORD or standard input.
    AddUser {
        email: String,
        /// lezer (views settings and diagnostics), postlezer (also reads the fetched mail) or
        /// beheerder (also changes mailboxes).
        role: String,
    },
    /// Set an account's password (NEW_PASSWORD or standard input) and end its sessions.
    ResetPassword { email: String },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();

    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let command = match cli.command {
        None | Some(Command::Serve) => None,
        Some(Command::Migrate) => Some(
            server::db::migrate(&config.database_url)
                .await
                .map(|done| {
                    format!(
                        "{} migration(s) applied; the schema is current",
                        done.applied
                    )
                })
                .map_err(|error| format!("migrating failed: {error}")),
        ),
        Some(Command::ReencryptSecrets) => Some(server::reencrypt::run(&config).await),
        Some(Command::AddUser { email, role }) => {
            Some(server::users_cli::add_user(&config, &[email, role]).await)
        }
        Some(Command::ResetPassword { email }) => {
            Some(server::users_cli::reset_password(&config, &[email]).await)
        }
    };
    if let Some(result) = command {
        return match result {
            Ok(report) => {
                println!("{report}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("{error}");
                ExitCode::FAILURE
            }
        };
    }
    let application = match server::start(&config).await {
        Ok(application) => application,
        Err(error) => {
            eprintln!(
                "start-up failed ({}): {error}",
                redact_url(&config.database_url)
            );
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(config.site_addr).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!(
                "cannot listen on {} (LEPTOS_SITE_ADDR): {error}",
                config.site_addr
            );
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(
        address = %config.site_addr,
        public_base_url = %config.public_base_url,
        microsoft_login_url = %config.microsoft_login_url,
        "listening"
    );
    // Incoming mail on a schedule (MAIL_SYNC_INTERVAL_SECS; 0: only on "Nu ophalen").
    let mail = application.state.mail.clone();
    let mail_scheduler = backend::mail::spawn_scheduler(application.state.clone());
    let app = server::router(application.state, application.leptos_options);
    // Connection info gives sign-in throttling the client's address.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    // No Nagle delay: a response's last small segment goes out at once instead of waiting
    // up to 40 ms for the client's delayed ACK.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::warn!(%error, "TCP_NODELAY could not be set");
        }
    });
    let (stopping, mut stopped) = tokio::sync::watch::channel(false);
    let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown_signal().await;
        mail.stop();
        let _ = stopping.send(true);
    });
    // Requests in flight get SHUTDOWN_GRACE to finish; a slow client does not hold the
    // process (systemd's and Kubernetes' own kill follows at 90 and 30 s).
    let deadline = async move {
        let _ = stopped.wait_for(|stopping| *stopping).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        served = serve => {
            if let Err(error) = served {
                eprintln!("server error: {error}");
                return ExitCode::FAILURE;
            }
        }
        () = deadline => tracing::warn!("requests still in flight after the grace period: stopping"),
    }
    // Running syncs stop after the page they are storing and hand their mailbox back.
    if tokio::time::timeout(SHUTDOWN_GRACE, mail_scheduler)
        .await
        .is_err()
    {
        tracing::warn!("mail syncs still running after the grace period: their leases expire");
    }
    tracing::info!("stopped");
    ExitCode::SUCCESS
}

/// How long shutdown waits for requests in flight, and then for running mail syncs.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(20);

/// Ctrl-C, or SIGTERM from systemd or a container runtime: stop accepting connections and
/// let the requests in flight finish.
async fn shutdown_signal() {
    let interrupt = async {
        // If a handler cannot be installed, that signal simply never ends the server.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("interrupted: shutting down"),
        () = terminate => tracing::info!("SIGTERM: shutting down"),
    }
}

/// The database URL without its password, for error messages.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://[credentials]@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}
