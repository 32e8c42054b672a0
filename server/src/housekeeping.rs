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

/// How often each instance logs the app registrations' credentials that end within 30 days
/// or have ended.
pub const EXPIRY_LOG_INTERVAL: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Logs at start-up and then every day each credential that needs the admin's attention
/// (`backend::flows::app_registrations::log_expiring`): the pages say it from 30 days
/// before, the log says it too, for the operator who reads logs and not pages.
pub fn spawn_expiry_log(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EXPIRY_LOG_INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            backend::flows::app_registrations::log_expiring(&state, Utc::now()).await;
        }
    })
}
