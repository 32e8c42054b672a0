//! `server`: serves the Mailboxen settings app.

use std::process::ExitCode;

use server::config::Config;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
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
    match std::env::args().nth(1).as_deref() {
        None | Some("serve") => {}
        Some("reencrypt-secrets") => {
            return match server::reencrypt::run(&config).await {
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
        Some(other) => {
            eprintln!("unknown command '{other}'; commands: serve (default), reencrypt-secrets");
            return ExitCode::FAILURE;
        }
    }
    let application = match server::start(&config).await {
        Ok(application) => application,
        Err(error) => {
            eprintln!("{error} (database {})", redact_url(&config.database_url));
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
    let app = server::router(application.state, application.leptos_options);
    if let Err(error) = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
    {
        eprintln!("server error: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn shutdown_signal() {
    // If the handler cannot be installed we simply never shut down gracefully.
    let _ = tokio::signal::ctrl_c().await;
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
