//! The sweep on a schedule, in each instance (`HOUSEKEEPING_INTERVAL_SECS`).

use backend::AppState;
use chrono::Utc;
use tokio::task::JoinHandle;

use crate::config::HousekeepingConfig;

/// Sweeps at start-up and then every interval, until the process ends; None when turned off.
/// A failed sweep is logged and tried again next time.
pub fn spawn(state: AppState, config: HousekeepingConfig) -> Option<JoinHandle<()>> {
    let interval = config.interval?;
    Some(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let swept = backend::housekeeping::sweep(
                &state.db,
                &config.retention,
                &state.auth.sessions,
                &state.auth.throttle,
                Utc::now(),
            )
            .await;
            match swept {
                Ok(swept) => tracing::info!(
                    sessions = swept.sessions,
                    connection_attempts = swept.connection_attempts,
                    sign_in_failures = swept.sign_in_failures,
                    staged_attachment_chunks = swept.staged_attachment_chunks,
                    "housekeeping: old rows removed"
                ),
                Err(error) => tracing::warn!(%error, "housekeeping failed; trying again later"),
            }
        }
    }))
}
