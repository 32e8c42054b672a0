//! Row 8: a flood of bad sign-ins against the release server. Two bursts of 500 posts at
//! once: one account guessed from one address (how many passwords are checked: at most
//! `SIGN_IN_MAX_FAILURES`), and 500 accounts from 500 addresses (`X-Forwarded-For` behind a
//! trusted proxy; every one passes the throttle, so this is the memory test). The server's
//! peak RSS over both is measured beside its idle RSS in the same run and beside what the
//! checks would hold unbounded (argon2's memory cost times 500).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::report::Row;
use crate::server_process::{free_port, Process, RssSampler};
use crate::stats::mib;
use crate::{progress, seed, Result, Settings};

pub const NAME: (u8, &str, &str) = (
    8,
    "Sign-in flood: 500 bad sign-ins at once, twice",
    "peak RSS < 200 MB, ≤ 5 guesses counted",
);

const FLOOD: usize = 500;
/// `SIGN_IN_MAX_FAILURES`' default.
const ALLOWED_GUESSES: usize = 5;
/// argon2's default memory cost (19 MiB), what each check holds while it runs.
const ARGON2_KIB: u64 = 19 * 1024;

/// What the answers to one burst were.
#[derive(Default)]
struct Burst {
    checked: usize,
    throttled: usize,
    busy: usize,
    other: usize,
    took: Duration,
}

pub async fn run(settings: &Settings) -> Result<Row> {
    let dir = settings.work_dir.join("sign-in");
    std::fs::create_dir_all(&dir)?;
    let (db, url) = seed::fresh_sqlite(&dir.join("mailboxen.db")).await?;
    seed::signed_in(&db).await?;
    db.close().await?;
    let server = start_server(settings, &dir, &url).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_kib = server.rss_kib();

    let sampler = RssSampler::start(server.pid());
    progress("row 8: 500 guesses of one account from one address");
    let one_account = burst(&server.base_url, |_| {
        ("bench@example.org".to_string(), "198.51.100.1".to_string())
    })
    .await?;
    progress("row 8: 500 accounts from 500 addresses");
    let spread = burst(&server.base_url, |n| {
        (
            format!("iemand-{n}@example.org"),
            format!("10.{}.{}.{}", n / 65_536 % 256, n / 256 % 256, n % 256),
        )
    })
    .await?;
    let peak_kib = sampler.finish();
    drop(server);

    let unbounded_kib = ARGON2_KIB * FLOOD as u64;
    Ok(Row {
        number: NAME.0,
        name: NAME.1,
        ours: format!(
            "peak RSS {}; one account: {} of {FLOOD} passwords checked, {} throttled, {} asked \
             to retry ({:.1} s); 500 accounts: {} checked, {} throttled, {} asked to retry, {} \
             other ({:.1} s)",
            mib(peak_kib),
            one_account.checked,
            one_account.throttled,
            one_account.busy,
            one_account.took.as_secs_f64(),
            spread.checked,
            spread.throttled,
            spread.busy,
            spread.other + one_account.other,
            spread.took.as_secs_f64(),
        ),
        reference: format!(
            "the same server idle: {}; 500 checks unbounded would hold {}",
            mib(idle_kib),
            mib(unbounded_kib)
        ),
        ratio: format!(
            "peak ×{:.2} of idle",
            peak_kib as f64 / idle_kib.max(1) as f64
        ),
        goal: NAME.2,
        // 200 MB = 200,000,000 bytes.
        met: Some(
            peak_kib * 1024 < 200_000_000
                && one_account.checked <= ALLOWED_GUESSES
                && one_account.other + spread.other == 0,
        ),
    })
}

/// The release server behind a "proxy" at 127.0.0.1, so each post can name its client.
async fn start_server(settings: &Settings, dir: &Path, database_url: &str) -> Result<Process> {
    let port = free_port()?;
    let mut command = Command::new(settings.bin_dir.join("server"));
    for unset in [
        "ENCRYPTION_KEY_PREVIOUS",
        "BOOTSTRAP_ADMIN_EMAIL",
        "BOOTSTRAP_ADMIN_PASSWORD",
        "SIGN_IN_MAX_FAILURES",
        "SIGN_IN_CONCURRENT_CHECKS",
    ] {
        command.env_remove(unset);
    }
    command
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", &settings.site_root)
        .env("PUBLIC_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("APP_ENV", "production")
        .env("TRUSTED_PROXIES", "127.0.0.1")
        .env("ENCRYPTION_KEY", seed::encryption_key_base64())
        .env("RUST_LOG", "warn,server=error,backend=error");
    Process::start(command, port, "/healthz", None, &dir.join("server.log")).await
}

/// `FLOOD` wrong-password posts at once, the `n`th as `who(n)` = (e-mail, client address).
async fn burst(base_url: &str, who: impl Fn(usize) -> (String, String)) -> Result<Burst> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(FLOOD)
        .build()?;
    let started = Instant::now();
    let mut posts = tokio::task::JoinSet::new();
    for n in 0..FLOOD {
        let (email, address) = who(n);
        let request = client
            .post(format!("{base_url}/inloggen"))
            .header(reqwest::header::ORIGIN, base_url)
            .header("x-forwarded-for", address)
            .form(&[
                ("email", email.as_str()),
                ("password", &format!("geraden-{n}")),
                ("next", ""),
            ]);
        posts.spawn(async move { request.send().await });
    }
    let mut answers = Burst::default();
    while let Some(answer) = posts.join_next().await {
        let location = answer?
            .ok()
            .and_then(|response| {
                let location = response.headers().get(reqwest::header::LOCATION)?;
                Some(location.to_str().ok()?.to_string())
            })
            .unwrap_or_default();
        match location.as_str() {
            "/inloggen?fout=onjuist" => answers.checked += 1,
            "/inloggen?fout=te-veel" => answers.throttled += 1,
            "/inloggen?fout=druk" => answers.busy += 1,
            _ => answers.other += 1,
        }
    }
    answers.took = started.elapsed();
    Ok(answers)
}
