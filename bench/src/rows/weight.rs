//! Row 1: gzip bytes of what `/instellingen/mailboxen` loads — the bundle's files as
//! `make size` measures them (`scripts/size.sh --no-build`) and the page's HTML.

use std::path::Path;
use std::process::Command;

use crate::report::Row;
use crate::stats::kb;
use crate::{Result, Settings};

pub const NAME: (u8, &str, &str) = (
    1,
    "Page weight: gzip bytes /instellingen/mailboxen loads",
    "< 200 KB",
);

/// Row 1: the bundle's files as `make size` measures them, and the page's HTML.
pub fn measure(settings: &Settings, html: &Path) -> Result<Row> {
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
    let (number, name, goal) = NAME;
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
