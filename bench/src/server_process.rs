//! A real server process (release build): its start-up time, its memory, its URL.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::Result;

/// A child process killed when dropped.
pub struct Process {
    child: Child,
    pub base_url: String,
    /// From spawning to the first 200 on `ready_path`.
    pub start_up: Duration,
}

/// A free loopback port (bound, then released for the child to take).
pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    Ok(listener.local_addr()?.port())
}

impl Process {
    /// Spawns `command` (listening on `port`) and waits until `ready_path` answers 200 to a
    /// request with `cookie`; polls every 2 ms for at most 20 s.
    pub async fn start(
        mut command: Command,
        port: u16,
        ready_path: &str,
        cookie: Option<&str>,
        log: &Path,
    ) -> Result<Process> {
        let log_file = std::fs::File::create(log)?;
        command
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file);
        let base_url = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let started = Instant::now();
        let mut child = command.spawn()?;
        let url = format!("{base_url}{ready_path}");
        loop {
            let mut request = client.get(&url);
            if let Some(cookie) = cookie {
                request = request.header(reqwest::header::COOKIE, cookie);
            }
            if let Ok(response) = request.send().await {
                if response.status() == reqwest::StatusCode::OK {
                    let start_up = started.elapsed();
                    return Ok(Process {
                        child,
                        base_url,
                        start_up,
                    });
                }
            }
            if let Some(status) = child.try_wait()? {
                return Err(format!(
                    "{} exited ({status}) before answering; see {}",
                    command.get_program().to_string_lossy(),
                    log.display()
                )
                .into());
            }
            if started.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                return Err(format!("no 200 on {url} within 20 s; see {}", log.display()).into());
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident set size now, KiB.
    pub fn rss_kib(&self) -> u64 {
        rss_kib(self.pid())
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `VmRSS` of `pid`, KiB (0 when unreadable).
pub fn rss_kib(pid: u32) -> u64 {
    status_kib(&pid.to_string(), "VmRSS:")
}

/// The highest `VmRSS` this process has had, KiB (0 when unreadable).
pub fn own_peak_rss_kib() -> u64 {
    status_kib("self", "VmHWM:")
}

/// The CPU time a process has used so far, user and system (None when unreadable).
/// `/proc/{pid}/stat` counts it in clock ticks of 1/100 s (Linux's `USER_HZ`, fixed for
/// this interface whatever the kernel's own tick).
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name, in parentheses, may hold spaces: the fields follow its last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// A `kB` line of `/proc/{process}/status`.
fn status_kib(process: &str, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{process}/status"))
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                line.strip_prefix(field)?
                    .trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse()
                    .ok()
            })
        })
        .unwrap_or(0)
}

/// Samples a process's RSS every 50 ms on a thread until stopped; keeps the maximum.
pub struct RssSampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RssSampler {
    pub fn start(pid: u32) -> RssSampler {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let thread = {
            let (stop, peak) = (stop.clone(), peak.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(50));
                }
            })
        };
        RssSampler {
            stop,
            peak,
            thread: Some(thread),
        }
    }

    /// Stops sampling; the peak RSS seen, KiB.
    pub fn finish(mut self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.peak.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[expect(clippy::unwrap_used, reason = "tests")]
    fn cpu_time_follows_the_work_a_process_does() {
        let pid = std::process::id();
        let before = cpu_time(pid).unwrap();
        // Work until the reading has moved by 50 ms of CPU; a reading that never moves
        // (a wrong field) fails at the deadline instead of looping for ever.
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut spin = 0_u64;
        while cpu_time(pid).unwrap() < before + Duration::from_millis(50) {
            assert!(Instant::now() < deadline, "CPU time did not move");
            for step in 0..100_000_u64 {
                spin = std::hint::black_box(spin.wrapping_mul(31).wrapping_add(step));
            }
        }
        // Not the wall clock: a process that sleeps uses no CPU.
        let idle = cpu_time(pid).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert!(cpu_time(pid).unwrap() < idle + Duration::from_millis(200));
    }
}
