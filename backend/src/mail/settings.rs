//! What the mail sync is configured with (`MAIL_*`, read by the server's config) and how it
//! waits: a [`Pause`] that tests replace so retries are recorded instead of slept.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::microsoft::graph::RetryPolicy;

/// The mail sync's settings; `Default` is what the server uses without `MAIL_*` variables.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `MAIL_SYNC_INTERVAL_SECS`: how often each mailbox is synced; zero disables the
    /// scheduler (a sync then only runs on "Nu ophalen").
    pub sync_interval: Duration,
    /// `MAIL_SYNC_START_DATE`: the first sync fetches mail received from this moment on;
    /// None: from 365 days before it runs.
    pub first_sync_since: Option<DateTime<Utc>>,
    /// `MAIL_PAGE_SIZE`: messages per Graph page (`Prefer: odata.maxpagesize`).
    pub page_size: u32,
    /// `MAIL_ATTACHMENT_MAX_BYTES`: larger attachments are listed as skipped (`too_large`).
    pub attachment_max_bytes: u64,
    /// `MAIL_ATTACHMENT_MESSAGE_BUDGET_BYTES`: one message's attachments are stored up to
    /// this many bytes together; the rest are listed as skipped (`message_budget`): the
    /// disk one message takes (the content is streamed into chunks, not held in memory).
    pub attachment_message_budget_bytes: u64,
    /// `MAIL_ATTACHMENT_RUN_BUDGET_BYTES`: one sync of one mailbox downloads at most this
    /// many attachment bytes; later attachments are listed as skipped (`run_budget`).
    pub attachment_run_budget_bytes: u64,
    /// `MAIL_GRAPH_RESPONSE_MAX_BYTES`: the largest Graph answer (a delta page, an
    /// attachment list) the sync reads; a larger one fails the sync as a malformed answer
    /// instead of filling the memory.
    pub graph_response_max_bytes: u64,
    /// `MAIL_MAX_CONSECUTIVE_FAILURES`: a mailbox shows "Fout" after this many failed syncs
    /// in a row.
    pub max_consecutive_failures: u32,
    /// `MAIL_FAILURE_BACKOFF_MAX_SECS`: after consecutive failed syncs a mailbox waits the
    /// interval doubled per further failure, at most this long (see [`Self::next_due`]).
    pub failure_backoff_max: Duration,
    /// `MAIL_FAILURE_HISTORY`: failed syncs kept in a mailbox's history; older ones go.
    pub failure_history: u32,
    /// On PostgreSQL, a sync that has stored this many new messages refreshes the message
    /// table's statistics once ([`crate::mail::store::analyze_after_bulk`]).
    pub analyze_after_new_messages: usize,
    /// `MAIL_SYNC_CONCURRENCY`: mailboxes one server instance syncs at the same time.
    pub concurrency: usize,
    /// `MAIL_SYNC_LEASE_SECS`: how long a claimed mailbox stays claimed without progress;
    /// renewed after every stored page. After it, another instance takes the mailbox over.
    pub lease: Duration,
    /// Retries of one Graph request (`MAIL_RETRY_MAX_ATTEMPTS`).
    pub retry: RetryPolicy,
    /// `MAIL_EXTRA_CA_FILE`: authorities an IMAP or SMTP server's certificate may chain to
    /// besides the public roots.
    pub tls_roots: crate::mailserver::TlsRoots,
    /// The clock and the sleep of retries.
    pub pause: Arc<dyn Pause>,
    /// Wakes this instance's scheduler when "Nu ophalen" recorded a request, so the sync
    /// starts at once instead of at the next tick (shared by every clone of the state).
    pub wake: Arc<tokio::sync::Notify>,
    /// Set once when the server shuts down ([`MailSettings::stop`]): the scheduler claims
    /// nothing more and running syncs stop after the page they are storing.
    pub stopping: Arc<std::sync::atomic::AtomicBool>,
}

/// The default look-back of a first sync without `MAIL_SYNC_START_DATE`.
pub const DEFAULT_LOOK_BACK_DAYS: i64 = 365;

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            sync_interval: Duration::from_secs(300),
            first_sync_since: None,
            page_size: 50,
            attachment_max_bytes: 10 * 1024 * 1024,
            attachment_message_budget_bytes: 25 * 1024 * 1024,
            attachment_run_budget_bytes: 1024 * 1024 * 1024,
            graph_response_max_bytes: crate::microsoft::graph::DEFAULT_RESPONSE_MAX_BYTES,
            max_consecutive_failures: 5,
            failure_backoff_max: Duration::from_secs(3600),
            failure_history: 50,
            analyze_after_new_messages: 2_000,
            concurrency: 4,
            lease: Duration::from_secs(300),
            retry: RetryPolicy::default(),
            tls_roots: crate::mailserver::TlsRoots::default(),
            pause: Arc::new(RealPause),
            wake: Arc::new(tokio::sync::Notify::new()),
            stopping: Arc::default(),
        }
    }
}

impl MailSettings {
    /// Shutting down: no new syncs; running ones stop after their current page and hand
    /// their mailbox back, due at once, for another instance.
    pub fn stop(&self) {
        self.stopping
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// True once [`MailSettings::stop`] was called.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Where a first sync starts when it runs at `now`.
    pub fn first_sync_since_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.first_sync_since
            .unwrap_or_else(|| now - chrono::Duration::days(DEFAULT_LOOK_BACK_DAYS))
    }

    /// The lease as a chrono duration.
    pub fn lease_duration(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.lease).unwrap_or(chrono::Duration::minutes(5))
    }

    /// When a mailbox synced at `now` is due again.
    pub fn next_due_after(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.next_due(now, 0)
    }

    /// When a mailbox whose sync ended at `now` after `consecutive_failures` failed syncs in
    /// a row (0 after a success) is due again: the interval, doubled for each failure after
    /// the first, at most `MAIL_FAILURE_BACKOFF_MAX_SECS` (never less than the interval). A
    /// mailbox that keeps failing then asks Graph, and writes its history, once an hour
    /// instead of every five minutes; "Nu ophalen" still runs at once.
    pub fn next_due(&self, now: DateTime<Utc>, consecutive_failures: i32) -> DateTime<Utc> {
        let interval = if self.sync_interval.is_zero() {
            Duration::from_secs(300)
        } else {
            self.sync_interval
        };
        let doublings = u32::try_from(consecutive_failures.saturating_sub(1))
            .unwrap_or(0)
            .min(20);
        let wait = interval
            .saturating_mul(1 << doublings)
            .min(self.failure_backoff_max.max(interval));
        now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::minutes(5))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_failures_push_the_next_sync_further_up_to_the_cap() {
        let settings = MailSettings::default();
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let wait = |failures| (settings.next_due(now, failures) - now).num_seconds();
        assert_eq!(wait(0), 300, "after a success: the interval");
        assert_eq!(wait(1), 300, "one failure may be a blip");
        assert_eq!(wait(2), 600);
        assert_eq!(wait(3), 1200);
        assert_eq!(wait(4), 2400);
        assert_eq!(wait(5), 3600, "capped");
        assert_eq!(wait(1000), 3600, "no overflow");
        assert_eq!(settings.next_due_after(now), settings.next_due(now, 0));
        let short_cap = MailSettings {
            failure_backoff_max: Duration::from_secs(10),
            ..MailSettings::default()
        };
        assert_eq!(
            (short_cap.next_due(now, 9) - now).num_seconds(),
            300,
            "never sooner than the interval"
        );
    }
}

/// A future a [`Pause`] returns.
pub type PauseFuture<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// The clock and the sleep of the mail sync, injectable so tests need not wait.
pub trait Pause: Send + Sync + Debug {
    /// Now.
    fn now(&self) -> DateTime<Utc>;
    /// Waits `duration` (a retry's back-off or a `Retry-After`).
    fn sleep(&self, duration: Duration) -> PauseFuture<'_>;
}

/// Real time.
#[derive(Debug, Default)]
pub struct RealPause;

impl Pause for RealPause {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, duration: Duration) -> PauseFuture<'_> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// For tests: real time, but waits are recorded and not slept.
#[derive(Debug, Default)]
pub struct RecordedPause {
    waits: Mutex<Vec<Duration>>,
}

impl RecordedPause {
    /// Every wait asked for, in order.
    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().map(|w| w.clone()).unwrap_or_default()
    }
}

impl Pause for RecordedPause {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, duration: Duration) -> PauseFuture<'_> {
        if let Ok(mut waits) = self.waits.lock() {
            waits.push(duration);
        }
        Box::pin(tokio::task::yield_now())
    }
}
