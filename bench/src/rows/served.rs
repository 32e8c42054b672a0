//! Rows 1, 2 and 6 against the release `server` binary over a SQLite database with 50
//! mailboxes: the page's weight, its rendering against the same bytes served as a static
//! file by the same process, and the process's memory and start-up (the reference for those:
//! the release `fake-microsoft` binary, an axum server without a database).
//!
//! Row 2 loads the page as a signed-in admin's browser does: every request is rendered on
//! its own (session, queries, Leptos), nothing is cached or shared between requests.
//! Beside the rates it shows the server's CPU time per answer for the page and for the
//! static file, read from `/proc` around each run.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::report::Row;
use crate::server_process::{cpu_time, free_port, Process, RssSampler};
use crate::stats::ms;
use crate::wrk::{self, Load};
use crate::{progress, seed, Result, Settings};

pub const RENDER: (u8, &str, &str) = (
    2,
    "Server rendering, 50 mailboxes, signed in, 64 connections",
    "ratio ≥ 0.5",
);

pub(crate) const PAGE: &str = "/instellingen/mailboxen";
/// The page's bytes as a file in the site's `pkg/` (public, served by the same fallback
/// that serves the bundle).
pub(crate) const STATIC_FILE: &str = "bench-mailboxen.html";
pub(crate) const MAILBOXES: usize = 50;
/// Row 2 alternates this many static and page runs.
const ROUNDS: u64 = 5;

fn ratio(round: &Round) -> f64 {
    round.ours.requests_per_second / round.reference.requests_per_second
}

pub async fn run(settings: &Settings) -> Vec<Row> {
    match measure(settings).await {
        Ok(rows) => rows,
        Err(error) => [super::weight::NAME, RENDER, super::footprint::NAME]
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

    let server = start_server(settings, &dir, &site, &url, &cookie, &[]).await?;
    let page_url = format!("{}{PAGE}", server.base_url);
    let static_path = site.join("pkg").join(STATIC_FILE);
    std::fs::write(&static_path, page_bytes(&page_url, &cookie).await?)?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_kib = server.rss_kib();

    let mut rows = Vec::new();
    if settings.wants(1) {
        rows.push(
            super::weight::measure(settings, &static_path)
                .unwrap_or_else(|e| Row::failed(super::weight::NAME, e)),
        );
    }
    let mut loaded_kib = None;
    if settings.wants(2) || settings.wants(6) {
        let (round, peak_kib) = under_load(settings, &server, &dir, &page_url, &cookie).await?;
        loaded_kib = Some(peak_kib);
        if settings.wants(2) {
            rows.push(render_row(round));
        }
    }
    let start_up = server.start_up;
    drop(server);
    if settings.wants(6) {
        rows.push(super::footprint::row(settings, &dir, idle_kib, loaded_kib, start_up).await);
    }
    Ok(rows)
}

/// The release server over the seeded database, serving the site copy; `settings_env`
/// overrides its environment (row 9: behind nginx).
pub(crate) async fn start_server(
    settings: &Settings,
    dir: &Path,
    site: &Path,
    database_url: &str,
    cookie: &str,
    settings_env: &[(&str, String)],
) -> Result<Process> {
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
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", site)
        .env("PUBLIC_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("APP_ENV", "production")
        .env("ENCRYPTION_KEY", seed::encryption_key_base64())
        .env("RUST_LOG", "info,sqlx=warn")
        // No periodic mail sync: it would try graph.microsoft.com (not reachable from the
        // bench) for the seeded mailboxes and write its failures into the list while the
        // page is measured, so the page would drift from the seeded one (and its copy).
        .env("MAIL_SYNC_INTERVAL_SECS", "0");
    for (name, value) in settings_env {
        command.env(name, value);
    }
    Process::start(command, port, PAGE, Some(cookie), &dir.join("server.log")).await
}

/// The page as the signed-in admin gets it, checked to be the seeded list.
pub(crate) async fn page_bytes(page_url: &str, cookie: &str) -> Result<Vec<u8>> {
    let html = reqwest::Client::new()
        .get(page_url)
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    let last = b"Mailbox 49 ledenadministratie";
    if !html.windows(last.len()).any(|w| w == last) {
        return Err("the page is not the mailbox list with the seeded mailboxes".into());
    }
    Ok(html.to_vec())
}

/// What row 2 measures in one round.
#[derive(Clone, Copy)]
struct Round {
    /// The page, every request rendered.
    ours: Load,
    /// The same bytes as a static file.
    reference: Load,
    /// The server's CPU time per answer, page and static file (None when unreadable).
    /// Steadier than the rates on a shared machine: wrk's own share of the cores and a
    /// neighbour's load move the rates more than they move the server's work per answer.
    cpu: Option<(Duration, Duration)>,
}

/// Row 2's load: the static copy and the page, alternating; the median round's loads (errors
/// summed over all rounds) and the server's peak RSS meanwhile.
async fn under_load(
    settings: &Settings,
    server: &Process,
    dir: &Path,
    page_url: &str,
    cookie: &str,
) -> Result<(Round, u64)> {
    let seconds = settings.wrk_seconds;
    let static_url = format!("{}/pkg/{STATIC_FILE}", server.base_url);
    progress(&format!(
        "row 2: wrk, {seconds} s each on the static copy and the page, alternating in \
         {ROUNDS} rounds"
    ));
    // Short warm-up runs first: connection set-up and first-use allocations out of the way.
    load(&static_url, 2, None).await?;
    load(page_url, 2, Some(cookie)).await?;
    let sampler = RssSampler::start(server.pid());
    let profiler = profile(server.pid(), dir);
    // Alternating short runs: a neighbour's load on a shared machine falls on all sides
    // alike instead of on whichever ran last.
    let round_seconds = (seconds / ROUNDS).max(1);
    let mut rounds = Vec::new();
    for _ in 0..ROUNDS {
        let (reference, reference_cpu) =
            load_with_cpu(server.pid(), &static_url, round_seconds, None).await?;
        let (ours, ours_cpu) =
            load_with_cpu(server.pid(), page_url, round_seconds, Some(cookie)).await?;
        rounds.push(Round {
            ours,
            reference,
            cpu: ours_cpu.zip(reference_cpu),
        });
    }
    let peak_kib = sampler.finish();
    if let Some(mut profiler) = profiler {
        // SIGINT makes perf write its data and stop.
        let _ = Command::new("kill")
            .args(["-INT", &profiler.id().to_string()])
            .status();
        let _ = profiler.wait();
    }
    // After the profile and the memory peak: both are the page's and the static file's.
    breakdown(&server.base_url, round_seconds, cookie).await?;
    rounds.sort_by(|a, b| ratio(a).total_cmp(&ratio(b)));
    let errors = |side: fn(&Round) -> &Load| rounds.iter().map(|r| side(r).errors).sum();
    let mut median = rounds[rounds.len() / 2];
    median.ours.errors = errors(|r| &r.ours);
    median.reference.errors = errors(|r| &r.reference);
    Ok((median, peak_kib))
}

/// Where the page's time goes, measured beside it (printed, not a row): the same server
/// answering a signed-in request that needs only the session (`/healthz` with the cookie:
/// the access edge's one query), and a page Leptos renders without session or database
/// (the sign-in page). The list page adds the list's read and its rows to those.
async fn breakdown(base_url: &str, seconds: u64, cookie: &str) -> Result<()> {
    let session = load(
        &format!("{base_url}{}", server::probes::HEALTH_PATH),
        seconds,
        Some(cookie),
    )
    .await?;
    let sign_in = load(
        &format!("{base_url}{}", rules::access::SIGN_IN_PATH),
        seconds,
        None,
    )
    .await?;
    progress(&format!(
        "row 2, where the time goes: the session alone {:.0} req/s (p50 {}); \
         the sign-in page, Leptos without session or database, {:.0} req/s (p50 {})",
        session.requests_per_second,
        ms(session.p50),
        sign_in.requests_per_second,
        ms(sign_in.p50),
    ));
    Ok(())
}

/// With `BENCH_PERF=1`, `perf record` on the server during the measured page load
/// (`perf report -i <work>/served/perf.data`); with `BENCH_PERF=calls`, with call graphs
/// (unwound from the stack copies, as the release build has no frame pointers).
fn profile(pid: u32, dir: &Path) -> Option<std::process::Child> {
    let calls = match std::env::var("BENCH_PERF").as_deref() {
        Ok("1") => false,
        Ok("calls") => true,
        _ => return None,
    };
    let mut command = Command::new("perf");
    command.arg("record");
    if calls {
        command.args(["--call-graph", "dwarf,32768", "-F", "250"]);
    } else {
        command.args(["-F", "999"]);
    }
    command
        .args(["-p", &pid.to_string(), "-o"])
        .arg(dir.join("perf.data"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()
}

/// [`load`], and the server's CPU time per answer meanwhile.
async fn load_with_cpu(
    pid: u32,
    url: &str,
    seconds: u64,
    cookie: Option<&str>,
) -> Result<(Load, Option<Duration>)> {
    let before = cpu_time(pid);
    let measured = load(url, seconds, cookie).await?;
    let per_answer = before
        .zip(cpu_time(pid))
        .and_then(|(before, after)| after.checked_sub(before))
        .filter(|_| measured.requests > 0)
        .and_then(|used| u32::try_from(measured.requests).ok().map(|n| used / n));
    Ok((measured, per_answer))
}

pub(crate) async fn load(url: &str, seconds: u64, cookie: Option<&str>) -> Result<Load> {
    let (url, cookie) = (url.to_string(), cookie.map(str::to_string));
    tokio::task::spawn_blocking(move || wrk::run(&url, seconds, cookie.as_deref())).await?
}

fn render_row(round: Round) -> Row {
    let (number, name, goal) = RENDER;
    let ratio = ratio(&round);
    let Round {
        ours,
        reference,
        cpu,
    } = round;
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
        ours: format!(
            "every request rendered: {}{}",
            describe(&ours),
            cpu_text(cpu.map(|(ours, _)| ours))
        ),
        reference: format!(
            "same bytes as a static file: {}{}",
            describe(&reference),
            cpu_text(cpu.map(|(_, reference)| reference))
        ),
        ratio: match cpu {
            Some((ours, reference)) if !ours.is_zero() => format!(
                "{ratio:.2} (by the server's CPU per answer: {:.2})",
                reference.as_secs_f64() / ours.as_secs_f64()
            ),
            _ => format!("{ratio:.2}"),
        },
        goal,
        met: Some(ratio >= 0.5 && ours.errors == 0),
    }
}

/// ", server CPU 653 µs per answer", or nothing when it could not be read.
fn cpu_text(per_answer: Option<Duration>) -> String {
    per_answer.map_or_else(String::new, |cpu| {
        format!(", server CPU {} µs per answer", cpu.as_micros())
    })
}

pub(crate) fn copy_dir(from: &Path, to: &Path) -> Result<()> {
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
