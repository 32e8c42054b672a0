//! Row 6: the server process's RSS idle and under row 2's load, and its start-up to the
//! first 200 on an existing database; the reference is the release `fake-microsoft` binary,
//! an axum server without a database.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::report::Row;
use crate::server_process::{free_port, Process};
use crate::stats::{mib, ms};
use crate::{seed, Result, Settings};

pub const NAME: (u8, &str, &str) = (
    6,
    "Footprint: RSS idle / under row 2's load; start-up to first 200",
    "idle < 40 MB, start-up < 300 ms",
);

/// The row, from the server's numbers and a run of the fake's binary.
pub async fn row(
    settings: &Settings,
    dir: &Path,
    idle_kib: u64,
    loaded_kib: Option<u64>,
    start_up: Duration,
) -> Row {
    let reference = fake_footprint(settings, dir).await;
    footprint_row(idle_kib, loaded_kib, start_up, reference)
}

/// The fake Microsoft binary's start-up and idle RSS, or why not.
async fn fake_footprint(settings: &Settings, dir: &Path) -> Result<(Duration, u64)> {
    let port = free_port()?;
    let mut command = Command::new(settings.bin_dir.join("fake-microsoft"));
    command.args(["--port", &port.to_string()]);
    let ready = format!("/{}/v2.0/.well-known/openid-configuration", seed::TENANT);
    let fake = Process::start(command, port, &ready, None, &dir.join("fake.log")).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    Ok((fake.start_up, fake.rss_kib()))
}

fn footprint_row(
    idle_kib: u64,
    loaded_kib: Option<u64>,
    start_up: Duration,
    reference: Result<(Duration, u64)>,
) -> Row {
    let (number, name, goal) = NAME;
    let loaded = loaded_kib.map_or_else(|| "–".to_string(), mib);
    let (reference, ratio) = match reference {
        Ok((fake_start_up, fake_kib)) => (
            format!(
                "fake-microsoft process (axum, no database): idle {}, start-up {}",
                mib(fake_kib),
                ms(fake_start_up)
            ),
            format!(
                "idle ×{:.2}, start-up ×{:.2}",
                idle_kib as f64 / fake_kib.max(1) as f64,
                start_up.as_secs_f64() / fake_start_up.as_secs_f64().max(1e-6)
            ),
        ),
        Err(error) => (format!("failed: {error}"), "–".into()),
    };
    Row {
        number,
        name,
        ours: format!(
            "idle {}, under load {loaded}, start-up {}",
            mib(idle_kib),
            ms(start_up)
        ),
        reference,
        ratio,
        goal,
        // 40 MB = 40,000,000 bytes.
        met: Some(idle_kib * 1024 < 40_000_000 && start_up < Duration::from_millis(300)),
    }
}
