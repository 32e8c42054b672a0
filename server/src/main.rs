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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match args.first().map(String::as_str) {
        None | Some("serve") => None,
        Some("reencrypt-secrets") => Some(server::reencrypt::run(&config).await),
        Some("add-user") => Some(server::users_cli::add_user(&config, &args[1..]).await),
        Some("reset-password") => {
            Some(server::users_cli::reset_password(&config, &args[1..]).await)
        }
        Some(other) => Some(Err(format!(
            "unknown command '{other}'; commands: serve (default), reencrypt-secrets, \
             add-user <email> <beheerder|lezer>, reset-password <email>"
        ))),
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
    let _mail_scheduler = backend::mail::spawn_scheduler(application.state.clone());
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
