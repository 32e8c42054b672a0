//! The scheduler inside the server: every tick, and at once when "Nu ophalen" wakes it, it
//! claims the mailboxes this instance has room for — first those asked for, then (unless
//! `MAIL_SYNC_INTERVAL_SECS` is 0) those due — and syncs them, at most
//! `MAIL_SYNC_CONCURRENCY` at once.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinHandle;

use super::sync::{run_claimed, syncable_ids, target};
use super::{lease, progress};
use crate::AppState;

/// The longest pause between two looks for due or requested mailboxes: a request recorded
/// by another instance is taken up here within it.
const MAX_TICK: Duration = Duration::from_secs(30);

/// Starts the scheduler. With `MAIL_SYNC_INTERVAL_SECS` 0 it syncs only the mailboxes
/// "Nu ophalen" asked for. After [`super::MailSettings::stop`] it claims nothing more; the
/// task ends once its running syncs have stopped (each after its current page, handing its
/// mailbox back due at once).
pub fn spawn_scheduler(state: AppState) -> JoinHandle<()> {
    let interval = state.mail.sync_interval;
    if interval.is_zero() {
        tracing::info!("periodic mail sync off (MAIL_SYNC_INTERVAL_SECS=0): only on request");
    }
    let period = if interval.is_zero() {
        MAX_TICK
    } else {
        interval.min(MAX_TICK)
    };
    tokio::spawn(async move {
        let slots = Arc::new(Semaphore::new(state.mail.concurrency.max(1)));
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let wake = state.mail.wake.clone();
        loop {
            tokio::select! {
                _ = ticks.tick() => {}
                () = wake.notified() => {}
            }
            if state.mail.is_stopping() {
                break;
            }
            if let Err(error) = tick(&state, &slots).await {
                tracing::warn!(%error, "mail scheduler tick failed");
            }
        }
        let every_slot = u32::try_from(state.mail.concurrency.max(1)).unwrap_or(u32::MAX);
        let _ = slots.acquire_many(every_slot).await;
        tracing::info!("mail scheduler stopped");
    })
}

/// One look: make sure every syncable mailbox has a state row, claim requested and due ones
/// for the free slots, and start their syncs.
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
    let periodic = !state.mail.sync_interval.is_zero();
    let claimed = lease::claim_due(&state.db, &candidates, now, until, limit, periodic).await?;
    let started = claimed.len();
    for (mailbox_id, holder) in claimed {
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            // No room after all: give it back for the next tick or another instance.
            lease::release(&state.db, mailbox_id, &holder, now).await?;
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            run_one(&state, mailbox_id, &holder).await;
            // A slot is free again: a request that found none is taken up now.
            drop(permit);
            state.mail.wake.notify_one();
        });
    }
    Ok(started)
}

/// Syncs one claimed mailbox and logs what happened.
async fn run_one(state: &AppState, mailbox_id: i32, holder: &str) {
    let found = match target(state, mailbox_id).await {
        Ok(found) => found,
        Err(error) => {
            tracing::warn!(mailbox_id, %error, "mail sync target lookup failed");
            None
        }
    };
    let Some(target) = found else {
        let next = state.mail.next_due_after(state.mail.pause.now());
        let _ = progress::forget_request(&state.db, mailbox_id).await;
        let _ = lease::release(&state.db, mailbox_id, holder, next).await;
        return;
    };
    match run_claimed(state, &target, holder).await {
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
}
