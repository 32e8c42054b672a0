//! `make bench`: the numbers of issue 9 (rows 7 and 8 of issue 21, row 9 of issue 20, row 10
//! of issue 23), each beside a reference measured in the same run
//! (absolute times on shared machines are noise; ratios are not). Prints one table; a run of
//! every row also writes it into `bench/RESULTS.md` and `README.md` between
//! `<!-- bench:start -->` and `<!-- bench:end -->`.
//!
//! Rows 3 and 4 run the server library and the fake Microsoft in this process (the code under
//! test is called as the router calls it); rows 1, 2 and 6 start the release `server` binary,
//! because RSS and start-up are properties of a process; rows 5 and 7 run each sync in a
//! child process (`sync-worker`, `attachment-worker`) for its own peak RSS. `ROWS=2,6` runs a
//! subset.

mod machine;
mod report;
mod rows;
mod seed;
mod server_process;
mod stats;
mod timing;
mod worker;
mod wrk;

use std::path::PathBuf;
use std::process::ExitCode;

use report::Row;

/// What `scripts/bench.sh` tells the binary.
pub struct Settings {
    /// The clone: `scripts/size.sh`, `README.md`, `bench/RESULTS.md`.
    pub repo: PathBuf,
    /// The release binaries (`server`, `fake-microsoft`).
    pub bin_dir: PathBuf,
    /// The bundle cargo-leptos built (`pkg/` inside).
    pub site_root: PathBuf,
    /// Scratch space: databases, a copy of the site.
    pub work_dir: PathBuf,
    /// The rows to run (see [`ALL_ROWS`]).
    pub rows: Vec<u8>,
    /// Seconds of each load-generator run (row 2).
    pub wrk_seconds: u64,
    /// Connect attempts (row 3).
    pub callbacks: usize,
    /// Mailboxes to refresh (row 4).
    pub refresh_mailboxes: usize,
    /// Messages to sync (row 5).
    pub sync_messages: usize,
    /// Messages with a 30 MiB attachment to sync (row 7).
    pub attachment_messages: usize,
    /// Messages in the Dovecot folder an IMAP mailbox fetches (row 10).
    pub imap_messages: usize,
}

/// Every row `make bench` runs without `ROWS`.
const ALL_ROWS: &[u8] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

type Error = Box<dyn std::error::Error + Send + Sync>;
type Result<T> = std::result::Result<T, Error>;

fn env_path(name: &str, default: &str) -> PathBuf {
    PathBuf::from(std::env::var(name).unwrap_or_else(|_| default.to_string()))
}

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(default)
}

impl Settings {
    fn from_env() -> Settings {
        let rows = std::env::var("ROWS")
            .ok()
            .filter(|value| !value.trim().is_empty())
            .map(|value| {
                value
                    .split(',')
                    .filter_map(|row| row.trim().parse().ok())
                    .collect()
            })
            .unwrap_or_else(|| ALL_ROWS.to_vec());
        Settings {
            repo: env_path("BENCH_REPO", "."),
            bin_dir: env_path("BENCH_BIN_DIR", "target/release"),
            site_root: env_path("BENCH_SITE_ROOT", "target/site"),
            work_dir: env_path("BENCH_WORK_DIR", "target/bench"),
            rows,
            wrk_seconds: env_number("BENCH_WRK_SECONDS", 10),
            callbacks: env_number("BENCH_CALLBACKS", 1_000),
            refresh_mailboxes: env_number("BENCH_REFRESH_MAILBOXES", 10_000),
            sync_messages: env_number("BENCH_SYNC_MESSAGES", 100_000),
            attachment_messages: env_number("BENCH_ATTACHMENT_MESSAGES", 100),
            imap_messages: env_number("BENCH_IMAP_MESSAGES", 20_000),
        }
    }

    fn wants(&self, row: u8) -> bool {
        self.rows.contains(&row)
    }

    fn all_rows(&self) -> bool {
        ALL_ROWS.iter().all(|row| self.wants(*row))
    }
}

fn main() -> ExitCode {
    // As the server does: the workers measure the server's sync, allocator included.
    server::allocator::tune();
    timing::install();
    let settings = Settings::from_env();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("bench: no runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("attachment-worker") {
        return match runtime.block_on(rows::attachments::worker_main(&args[1..])) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("bench attachment-worker: {error}");
                ExitCode::FAILURE
            }
        };
    }
    if args.first().map(String::as_str) == Some("sync-worker") {
        return match runtime.block_on(rows::sync::worker_main(&args[1..])) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("bench sync-worker: {error}");
                ExitCode::FAILURE
            }
        };
    }
    let rows = runtime.block_on(run(&settings));
    let machine = machine::describe();
    let table = report::table(&rows);
    println!("\n{machine}\n\n{table}");
    if settings.all_rows() || std::env::var("BENCH_WRITE").is_ok_and(|value| value == "1") {
        if let Err(error) = report::write_files(&settings.repo, &machine, &table) {
            eprintln!("bench: writing the results failed: {error}");
            return ExitCode::FAILURE;
        }
        println!("\nwritten to bench/RESULTS.md and README.md");
    }
    ExitCode::SUCCESS
}

/// Runs the wanted rows in order; a row that fails says why in its cells.
async fn run(settings: &Settings) -> Vec<Row> {
    if let Err(error) = std::fs::create_dir_all(&settings.work_dir) {
        eprintln!(
            "bench: cannot create {}: {error}",
            settings.work_dir.display()
        );
    }
    let mut rows = Vec::new();
    if [1, 2, 6].iter().any(|row| settings.wants(*row)) {
        rows.extend(rows::served::run(settings).await);
    }
    if settings.wants(3) {
        progress("row 3: callback cost");
        rows.push(
            rows::callback::run(settings)
                .await
                .unwrap_or_else(|error| Row::failed(rows::callback::NAME, error)),
        );
    }
    if settings.wants(4) {
        progress("row 4: refresh sweep");
        rows.push(
            rows::refresh::run(settings)
                .await
                .unwrap_or_else(|error| Row::failed(rows::refresh::NAME, error)),
        );
    }
    if settings.wants(5) {
        progress("row 5: sync throughput");
        rows.push(
            rows::sync::run(settings)
                .await
                .unwrap_or_else(|error| Row::failed(rows::sync::NAME, error)),
        );
    }
    if settings.wants(7) {
        progress("row 7: sync of hostile mail, peak RSS");
        rows.push(
            rows::attachments::run(settings)
                .await
                .unwrap_or_else(|error| Row::failed(rows::attachments::NAME, error)),
        );
    }
    if settings.wants(8) {
        progress("row 8: sign-in flood");
        rows.push(
            rows::sign_in::run(settings)
                .await
                .unwrap_or_else(|error| Row::failed(rows::sign_in::NAME, error)),
        );
    }
    if settings.wants(9) {
        progress("row 9: the list page through nginx");
        rows.push(
            rows::nginx::run(settings)
                .await
                .unwrap_or_else(|error| Row::failed(rows::nginx::NAME, error)),
        );
    }
    if settings.wants(10) {
        progress("row 10: IMAP fetch throughput");
        rows.push(
            rows::imap::run(settings)
                .await
                .unwrap_or_else(|error| Row::failed(rows::imap::NAME, error)),
        );
    }
    rows.sort_by_key(|row| row.number);
    rows
}

/// A progress line on standard error (the table goes to standard output).
pub fn progress(text: &str) {
    eprintln!("[bench] {text}");
}
