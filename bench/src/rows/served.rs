//! Rows 1, 2 and 6 against the release `server` binary over a SQLite database with 50
//! mailboxes: the page's weight, its rendering against the same bytes served as a static
//! file by the same process, and the process's memory and start-up (the reference for those:
//! the release `fake-microsoft` binary, an axum server without a database).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::report::Row;
use crate::server_process::{free_port, Process, RssSampler};
use crate::stats::{kb, mib, ms};
use crate::wrk::{self, Load};
use crate::{progress, seed, Result, Settings};

pub const WEIGHT: (u8, &str, &str) = (
    1,
    "Page weight: gzip bytes /instellingen/mailboxen loads",
    "< 200 KB",
);
pub const RENDER: (u8, &str, &str) = (
    2,
    "Server rendering, 50 mailboxes, signed in, 64 connections",
    "ratio ≥ 0.5",
);
pub const FOOTPRINT: (u8, &str, &str) = (
    6,
    "Footprint: RSS idle / under row 2's load; start-up to first 200",
    "idle < 40 MB, start-up < 300 ms",
);

const PAGE: &str = "/instellingen/mailboxen";
/// The page's bytes as a file in the site's `pkg/` (public, served by the same fallback
/// that serves the bundle).
const STATIC_FILE: &str = "bench-mailboxen.html";
const MAILBOXES: usize = 50;
/// Row 2 alternates this many static and page runs.
const ROUNDS: u64 = 5;

fn ratio((ours, reference): &(Load, Load)) -> f64 {
    ours.requests_per_second / reference.requests_per_second
}

pub async fn run(settings: &Settings) -> Vec<Row> {
    match measure(settings).await {
        Ok(rows) => rows,
        Err(error) => [WEIGHT, RENDER, FOOTPRINT]
            .into_iter()
            .filter(|(number, ..)| settings.wants(*number))
            .map(|name| Row::failed(name, &error))
            .collect(),
    }
}

async fn measure(settings: &Settings) -> Result<Vec<Row>> {
    progress("rows 1, 2, 6: seeding 50 mailboxes and starting the release server");
    let dir = settings.work_dir.join("served");
    std::fs::create_dir_all(&dir)?;
    let site = dir.join("site");
    let _ = std::fs::remove_dir_all(&site);
    copy_dir(&settings.site_root, &site)?;
    let (db, url) = seed::fresh_sqlite(&dir.join("mailboxen.db")).await?;
    let (_, cookie) = seed::signed_in(&db).await?;
    seed::list_page_mailboxes(&db, MAILBOXES).await?;
    db.close().await?;

    let port = free_port()?;
    let mut command = Command::new(settings.bin_dir.join("server"));
    for unset in [
        "ENCRYPTION_KEY_PREVIOUS",
        "BOOTSTRAP_ADMIN_EMAIL",
        "BOOTSTRAP_ADMIN_PASSWORD",
    ] {
        command.env_remove(unset);
    }
    command
        .env("DATABASE_URL", url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", &site)
        .env("PUBLIC_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("APP_ENV", "production")
        .env("ENCRYPTION_KEY", seed::encryption_key_base64())
        .env("RUST_LOG", "info,sqlx=warn");
    let server =
        Process::start(command, port, PAGE, Some(&cookie), &dir.join("server.log")).await?;
    let page_url = format!("{}{PAGE}", server.base_url);
    let html = reqwest::Client::new()
        .get(&page_url)
        .header(reqwest::header::COOKIE, &cookie)
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    let last = b"Mailbox 49 ledenadministratie";
    if !html.windows(last.len()).any(|w| w == last) {
        return Err("the page is not the mailbox list with the seeded mailboxes".into());
    }
    let static_path = site.join("pkg").join(STATIC_FILE);
    std::fs::write(&static_path, &html)?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_kib = server.rss_kib();

    let mut rows = Vec::new();
    if settings.wants(1) {
        rows.push(weight(settings, &static_path).unwrap_or_else(|e| Row::failed(WEIGHT, e)));
    }
    let mut loaded_kib = None;
    if settings.wants(2) || settings.wants(6) {
        let seconds = settings.wrk_seconds;
        let static_url = format!("{}/pkg/{STATIC_FILE}", server.base_url);
        progress(&format!(
            "row 2: wrk, {seconds} s on the static copy and {seconds} s on the page, \
             alternating in {ROUNDS} rounds"
        ));
        // Short warm-up runs first: connection set-up and first-use allocations out of the way.
        load(&static_url, 2, None).await?;
        load(&page_url, 2, Some(&cookie)).await?;
        let sampler = RssSampler::start(server.pid());
        let profiler = profile(server.pid(), &dir);
        // Alternating short runs: a neighbour's load on a shared machine falls on both sides
        // alike instead of on whichever ran second.
        let round_seconds = (seconds / ROUNDS).max(1);
        let mut pairs = Vec::new();
        for _ in 0..ROUNDS {
            let reference = load(&static_url, round_seconds, None).await?;
            let ours = load(&page_url, round_seconds, Some(&cookie)).await?;
            pairs.push((ours, reference));
        }
        loaded_kib = Some(sampler.finish());
        if let Some(mut profiler) = profiler {
            // SIGINT makes perf write its data and stop.
            let _ = Command::new("kill")
                .args(["-INT", &profiler.id().to_string()])
                .status();
            let _ = profiler.wait();
        }
        // The round with the median ratio speaks for the run.
        pairs.sort_by(|a, b| ratio(a).total_cmp(&ratio(b)));
        let errors = |side: fn(&(Load, Load)) -> &Load| pairs.iter().map(|p| side(p).errors).sum();
        let (mut ours, mut reference) = pairs[pairs.len() / 2];
        ours.errors = errors(|(ours, _)| ours);
        reference.errors = errors(|(_, reference)| reference);
        if settings.wants(2) {
            rows.push(render_row(ours, reference));
        }
    }
    let start_up = server.start_up;
    drop(server);
    if settings.wants(6) {
        let reference = fake_footprint(settings, &dir).await;
        rows.push(footprint_row(idle_kib, loaded_kib, start_up, reference));
    }
    Ok(rows)
}

/// With `BENCH_PERF=1`, `perf record` on the server during the measured page load
/// (`perf report -i <work>/served/perf.data`).
fn profile(pid: u32, dir: &Path) -> Option<std::process::Child> {
    if std::env::var("BENCH_PERF").map_or(true, |value| value != "1") {
        return None;
    }
    Command::new("perf")
        .args(["record", "-F", "999", "-p", &pid.to_string(), "-o"])
        .arg(dir.join("perf.data"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()
}

async fn load(url: &str, seconds: u64, cookie: Option<&str>) -> Result<Load> {
    let (url, cookie) = (url.to_string(), cookie.map(str::to_string));
    tokio::task::spawn_blocking(move || wrk::run(&url, seconds, cookie.as_deref())).await?
}

fn render_row(ours: Load, reference: Load) -> Row {
    let (number, name, goal) = RENDER;
    let ratio = ratio(&(ours, reference));
    let describe = |load: &Load| {
        let errors = match load.errors {
            0 => String::new(),
            n => format!(", {n} errors"),
        };
        format!(
            "{:.0} req/s, p50 {}, p99 {}{errors}",
            load.requests_per_second,
            ms(load.p50),
            ms(load.p99)
        )
    };
    Row {
        number,
        name,
        ours: describe(&ours),
        reference: format!("same bytes as a static file: {}", describe(&reference)),
        ratio: format!("{ratio:.2}"),
        goal,
        met: Some(ratio >= 0.5 && ours.errors == 0),
    }
}

/// Row 1: the bundle's files as `make size` measures them, and the page's HTML.
fn weight(settings: &Settings, html: &Path) -> Result<Row> {
    let output = Command::new("bash")
        .arg(settings.repo.join("scripts/size.sh"))
        .arg("--no-build")
        .current_dir(&settings.repo)
        .output()?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned().into());
    }
    let mut parts = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        if let [file, _, gzip] = line.split_whitespace().collect::<Vec<_>>().as_slice() {
            if let Ok(bytes) = gzip.parse::<u64>() {
                parts.push((file.to_string(), bytes));
            }
        }
    }
    let gzipped = Command::new("gzip").args(["-9", "-c"]).arg(html).output()?;
    parts.push(("HTML".to_string(), gzipped.stdout.len() as u64));
    let total: u64 = parts.iter().map(|(_, bytes)| bytes).sum();
    let (number, name, goal) = WEIGHT;
    let list = parts
        .iter()
        .map(|(file, bytes)| format!("{file} {}", kb(*bytes)))
        .collect::<Vec<_>>()
        .join(" + ");
    Ok(Row {
        number,
        name,
        ours: format!("{} ({list})", kb(total)),
        reference: "budget 200.0 KB".into(),
        ratio: format!("{:.2} of budget", total as f64 / 200_000.0),
        goal,
        met: Some(total < 200_000),
    })
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
    let (number, name, goal) = FOOTPRINT;
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

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)
        .map_err(|error| format!("{}: {error} (build the site first)", from.display()))?
    {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
