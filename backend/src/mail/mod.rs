//! Incoming mail over Microsoft Graph (issue 8): for connected, active mailboxes whose
//! incoming type is Microsoft Api, a delta query on the inbox (docs/microsoft.md §6), stored
//! without duplicates, resumable page by page, under a per-mailbox lease so several server
//! instances never sync one mailbox at once, on a schedule and on demand ("Nu ophalen").
//!
//! Pure core, unit-tested in place: [`delta`] (pages), [`attachments`], [`sanitize`] (bodies
//! safe to display), [`error`]. I/O at the edges: Graph through the one client of
//! [`crate::microsoft::graph`] ([`downloads`]: attachments one by one under the byte
//! budgets), [`store`], [`lease`], [`failures`], [`summary`] (database),
//! and the flows [`sync`] and [`scheduler`]; [`progress`]: "Nu ophalen"'s request and how far a
//! sync is, for the pages.

pub mod attachments;
pub mod content;
pub mod delta;
pub mod downloads;
pub mod error;
pub mod failures;
pub mod imap_fetch;
pub mod lease;
pub mod mime;
pub mod normalise;
pub mod progress;
pub mod quarantine;
pub mod sanitize;
pub mod scheduler;
pub mod settings;
pub mod store;
pub mod summary;
pub mod sync;

pub use attachments::SkipReason;
pub use error::SyncError;
pub use scheduler::spawn_scheduler;
pub use settings::{MailSettings, Pause, PauseFuture, RealPause, RecordedPause};
pub use summary::{summaries, MailSummary};

use crate::AppState;

/// What one sync did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Messages stored for the first time.
    pub new_messages: usize,
    /// Messages Graph reported removed (and marked so).
    pub removed: usize,
    /// Delta pages fetched and stored.
    pub pages: usize,
    /// Messages skipped into the quarantine (`quarantine`).
    pub quarantined: usize,
}

/// A mailbox's mail sync status: `ok`, or `fout` after repeated consecutive failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncStatus {
    Ok,
    Failing,
}

impl SyncStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncStatus::Ok => "ok",
            SyncStatus::Failing => "fout",
        }
    }
}

/// "Nu ophalen": asks the scheduler to sync mailbox `mailbox_id` now, within its
/// concurrency limit, and returns at once; the request is kept in the database, so another
/// instance takes it up if this one cannot, and nothing is leased for the caller.
/// [`SyncError::NotSyncable`] when the mailbox is not one to sync.
pub async fn request_sync(state: &AppState, mailbox_id: i32) -> Result<(), SyncError> {
    sync::target(state, mailbox_id)
        .await?
        .ok_or(SyncError::NotSyncable(mailbox_id))?;
    progress::request(&state.db, mailbox_id, state.mail.pause.now()).await?;
    state.mail.wake.notify_one();
    Ok(())
}

/// Syncs mailbox `mailbox_id` in the caller's task, claiming its lease
/// ([`SyncError::Busy`] when another sync holds it): for tests and tools; the app asks the
/// scheduler ([`request_sync`]).
pub async fn sync_now(state: &AppState, mailbox_id: i32) -> Result<SyncReport, SyncError> {
    let target = sync::target(state, mailbox_id)
        .await?
        .ok_or(SyncError::NotSyncable(mailbox_id))?;
    let now = state.mail.pause.now();
    lease::ensure_state(&state.db, mailbox_id, now).await?;
    let holder = lease::new_holder();
    let until = now + state.mail.lease_duration();
    if !lease::claim(&state.db, mailbox_id, &holder, now, until).await? {
        return Err(SyncError::Busy(mailbox_id));
    }
    sync::run_claimed(state, &target, &holder).await
}
