//! Time spent waiting on Microsoft, from the `microsoft_request` spans the identity platform's
//! adapters open around every request (`backend::microsoft::identity`: the token endpoint
//! and discovery): wall time from the span's creation to its close, summed in one counter. With one callback at a time, the counter's
//! growth during a callback is that callback's wait on the fake.
//!
//! The in-process rows also log as the server does (`info,sqlx=warn`, formatted, to a sink),
//! so formatting log lines counts as our time, as it does in production.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tracing::span::{Attributes, Id};
use tracing::Subscriber;
use tracing_subscriber::filter::{EnvFilter, Targets};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;

static MICROSOFT_WAIT_NANOS: AtomicU64 = AtomicU64::new(0);
const SPAN_NAME: &str = "microsoft_request";
const SPAN_TARGET: &str = "backend::microsoft::identity";

/// Total time spent in Microsoft requests so far.
pub fn microsoft_wait() -> Duration {
    Duration::from_nanos(MICROSOFT_WAIT_NANOS.load(Ordering::Relaxed))
}

struct Opened(Instant);

struct MicrosoftWait;

impl<S> Layer<S> for MicrosoftWait
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attributes: &Attributes<'_>, id: &Id, context: Context<'_, S>) {
        if attributes.metadata().name() != SPAN_NAME {
            return;
        }
        if let Some(span) = context.span(id) {
            span.extensions_mut().insert(Opened(Instant::now()));
        }
    }

    fn on_close(&self, id: Id, context: Context<'_, S>) {
        let Some(span) = context.span(&id) else {
            return;
        };
        let extensions = span.extensions();
        if let Some(Opened(opened)) = extensions.get::<Opened>() {
            let nanos = u64::try_from(opened.elapsed().as_nanos()).unwrap_or(u64::MAX);
            MICROSOFT_WAIT_NANOS.fetch_add(nanos, Ordering::Relaxed);
        }
    }
}

/// Installs the log formatting (to a sink) and the wait counter.
pub fn install() {
    let logs = tracing_subscriber::fmt::layer()
        .with_writer(std::io::sink)
        .with_filter(EnvFilter::new("info,sqlx=warn"));
    let wait =
        MicrosoftWait.with_filter(Targets::new().with_target(SPAN_TARGET, tracing::Level::DEBUG));
    // Fails only when a subscriber is already set: then the wait counter stays at zero and
    // row 3 says so.
    let _ = tracing_subscriber::registry()
        .with(logs)
        .with(wait)
        .try_init();
}
