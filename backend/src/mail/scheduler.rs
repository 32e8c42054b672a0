//! The scheduler inside the server: every tick it claims the due mailboxes this instance
//! has room for and syncs them, at most `MAIL_SYNC_CONCURRENCY` at once.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinHandle;

use super::lease;
use super::sync::{run_claimed, syncable_ids, target};
use crate::AppState;

/// The longest pause between two looks for due mailboxes.
const MAX_TICK: Duration = Duration::from_secs(30);

/// Starts the scheduler; None when `MAIL_SYNC_INTERVAL_SECS` is 0.
pub fn spawn_scheduler(state: AppState) -> Option<JoinHandle<()>> {
    let interval = state.mail.sync_interval;
    if interval.is_zero() {
        tracing::info!("mail sync scheduler disabled (MAIL_SYNC_INTERVAL_SECS=0)");
        return None;
    }
    Some(tokio::spawn(async move {
        let slots = Arc::new(Semaphore::new(state.mail.concurrency.max(1)));
        let mut ticks = tokio::time::interval(interval.min(MAX_TICK));
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = tick(&state, &slots).await {
                tracing::warn!(%error, "mail scheduler tick failed");
            }
        }
    }))
}

/// One look: make sure every syncable mailbox has a state row, claim due ones for the free
/// slots, and start their syncs.
pub async fn tick(state: &AppState, slots: &Arc<Semaphore>) -> Result<usize, super::SyncError> {
    let free = slots.available_permits();
    if free == 0 {
        return Ok(0);
    }
    let now = state.mail.pause.now();
    let candidates = syncable_ids(state).await?;
    for id in &candidates {
        lease::ensure_state(&state.db, *id, now).await?;
    }
    let until = now + state.mail.lease_duration();
    let limit = u64::try_from(free).unwrap_or(u64::MAX);
    let claimed = lease::claim_due(&state.db, &candidates, now, until, limit).await?;
    let started = claimed.len();
    for (mailbox_id, holder) in claimed {
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            // No room after all: give it back for the next tick or another instance.
            lease::release(&state.db, mailbox_id, &holder, now).await?;
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let found = match target(&state, mailbox_id).await {
                Ok(found) => found,
                Err(error) => {
                    tracing::warn!(mailbox_id, %error, "mail sync target lookup failed");
                    None
                }
            };
            let Some(target) = found else {
                let next = state.mail.next_due_after(state.mail.pause.now());
                let _ = lease::release(&state.db, mailbox_id, &holder, next).await;
                return;
            };
            match run_claimed(&state, &target, &holder).await {
                Ok(report) => tracing::info!(
                    mailbox_id,
                    new = report.new_messages,
                    removed = report.removed,
                    pages = report.pages,
                    "mail synced"
                ),
                Err(error) => {
                    tracing::info!(mailbox_id, code = %error.code(), %error, "mail sync did not finish")
                }
            }
        });
    }
    Ok(started)
}
