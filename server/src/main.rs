//! `server`: serves the Mailboxen settings app.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use server::config::Config;

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

fn main() -> ExitCode {
    // Before the runtime starts its threads: glibc reads these settings once per arena.
    server::allocator::tune();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> ExitCode {
    // The log first, so a configuration error below is the only thing not in its format.
    match server::config::LogFormat::from_lookup(&|name| std::env::var(name).ok()) {
        Ok(format) => server::logging::init(format),
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    }

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
    let state = application.state.clone();
    let mail = state.mail.clone();
    // Listening before the schema is current: /healthz answers at once, /readyz and
    // everything else 503 until `become_ready` below is done.
    let readiness = server::Readiness::starting();
    let serving = server::Serving {
        request_timeout: config.http.request_timeout,
        trusted_proxies: config.auth.trusted_proxies.clone(),
    };
    let app = server::service(
        server::router_until_ready(
            application.state,
            application.leptos_options,
            readiness.clone(),
        ),
        &serving,
    );
    if let Some(addr) = config.metrics.addr {
        if let Err(error) = serve_metrics(addr, &config).await {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    }
    let (stopping, mut stopped) = tokio::sync::watch::channel(false);
    let serve = tokio::spawn(server::serve::serve(
        listener,
        app,
        config.http.header_read_timeout,
        async move {
            shutdown_signal().await;
            mail.stop();
            let _ = stopping.send(true);
        },
    ));
    // Migrations (MIGRATE_AT_START) or waiting for `server migrate`; a stop ends the wait.
    let ready = tokio::select! {
        result = server::become_ready(&config, &state, &readiness) => result,
        _ = stopped.wait_for(|stopping| *stopping) => Ok(()),
    };
    if let Err(error) = ready {
        eprintln!(
            "start-up failed ({}): {error}",
            redact_url(&config.database_url)
        );
        return ExitCode::FAILURE;
    }
    // Only on a current schema: the scheduler and the sweep read and write its tables.
    let mail_scheduler = readiness.is_ready().then(|| {
        // Old sessions, connection attempts and failed sign-ins (HOUSEKEEPING_INTERVAL_SECS).
        let _housekeeping = server::housekeeping::spawn(state.clone(), config.housekeeping);
        // App registrations' secrets and certificates ending within 30 days, every day.
        let _expiry_log = server::housekeeping::spawn_expiry_log(state.clone());
        // Incoming mail on a schedule (MAIL_SYNC_INTERVAL_SECS; 0: only on "Nu ophalen").
        backend::mail::spawn_scheduler(state.clone())
    });
    // Requests in flight get SHUTDOWN_GRACE to finish; a slow client does not hold the
    // process (systemd's and Kubernetes' own kill follows at 90 and 30 s).
    let deadline = async move {
        let _ = stopped.wait_for(|stopping| *stopping).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        _ = serve => {}
        () = deadline => tracing::warn!("requests still in flight after the grace period: stopping"),
    }
    // Running syncs stop after the page they are storing and hand their mailbox back.
    if let Some(mail_scheduler) = mail_scheduler {
        if tokio::time::timeout(SHUTDOWN_GRACE, mail_scheduler)
            .await
            .is_err()
        {
            tracing::warn!("mail syncs still running after the grace period: their leases expire");
        }
    }
    tracing::info!("stopped");
    ExitCode::SUCCESS
}

/// Serves `/metrics` on `addr` (METRICS_ADDR) until the process ends.
async fn serve_metrics(addr: std::net::SocketAddr, config: &Config) -> Result<(), String> {
    let handle =
        server::metrics::recorder().map_err(|error| format!("cannot record metrics: {error}"))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|error| format!("cannot listen on {addr} (METRICS_ADDR): {error}"))?;
    tracing::info!(address = %addr, token = config.metrics.token.is_some(), "metrics on /metrics");
    let app = server::metrics::router(handle, config.metrics.token.clone());
    tokio::spawn(server::serve::serve(
        listener,
        app,
        config.http.header_read_timeout,
        std::future::pending(),
    ));
    Ok(())
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
