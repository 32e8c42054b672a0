//! The load generator: Debian's `wrk` (scripts/bench.sh installs it), 2 threads, 64
//! connections, latency percentiles.

use std::process::Command;
use std::time::Duration;

use crate::Result;

/// What one wrk run measured.
#[derive(Clone, Copy, Debug, Default)]
pub struct Load {
    pub requests_per_second: f64,
    /// Answers counted, whatever their status.
    pub requests: u64,
    pub p50: Duration,
    pub p99: Duration,
    /// Non-2xx/3xx answers and socket errors.
    pub errors: u64,
}

/// Runs wrk against `url` for `seconds` with 64 connections, sending `cookie` if given.
pub fn run(url: &str, seconds: u64, cookie: Option<&str>) -> Result<Load> {
    let mut command = Command::new("wrk");
    command.args([
        "-t2",
        "-c64",
        &format!("-d{seconds}s"),
        "--latency",
        "--timeout",
        "10s",
    ]);
    if let Some(cookie) = cookie {
        command.args(["-H", &format!("Cookie: {cookie}")]);
    }
    command.arg(url);
    let output = command
        .output()
        .map_err(|error| format!("cannot run wrk ({error}); apt-get install wrk"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "wrk failed: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    parse(&text).ok_or_else(|| format!("unreadable wrk output:\n{text}").into())
}

/// A wrk duration such as `1.23ms`, `812.00us`, `1.02s`.
fn duration(text: &str) -> Option<Duration> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    let seconds = match unit {
        "us" => value / 1e6,
        "ms" => value / 1e3,
        "s" => value,
        "m" => value * 60.0,
        _ => return None,
    };
    Some(Duration::from_secs_f64(seconds))
}

fn parse(text: &str) -> Option<Load> {
    let mut load = Load::default();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", value] => load.requests_per_second = value.parse().ok()?,
            [count, "requests", "in", ..] => load.requests = count.parse().ok()?,
            ["50%", value] => load.p50 = duration(value)?,
            ["99%", value] => load.p99 = duration(value)?,
            ["Non-2xx", "or", "3xx", "responses:", count] => {
                load.errors += count.parse::<u64>().ok()?
            }
            ["Socket", "errors:", rest @ ..] => {
                load.errors += rest
                    .iter()
                    .filter_map(|word| word.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>()
            }
            _ => {}
        }
    }
    (load.requests_per_second > 0.0).then_some(load)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_output() {
        let text = "Running 10s test @ http://127.0.0.1:3000/\n  2 threads and 64 connections\n\
            \x20 Latency Distribution\n     50%    1.50ms\n     75%    2.00ms\n     90%    3.00ms\n\
            \x20    99%  812.00us\n  123456 requests in 10.00s, 1.00GB read\n  Socket errors: connect 0, read 2, write 0, timeout 1\n\
            Requests/sec:  12345.67\nTransfer/sec:      1.00MB\n";
        let load = parse(text).unwrap_or_default();
        assert_eq!(load.p50, Duration::from_micros(1500));
        assert_eq!(load.p99, Duration::from_micros(812));
        assert_eq!(load.errors, 3);
        assert_eq!(load.requests, 123_456);
        assert!((load.requests_per_second - 12345.67).abs() < 1e-6);
    }
}
