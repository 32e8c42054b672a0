//! The process's log: `RUST_LOG` filters it, `LOG_FORMAT` shapes it.

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the log for the process: text for a terminal or journald, or one JSON object a
/// line (the request's span, with its id, in each) for a log collector.
pub fn init(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}
