//! Child workers: rows whose peak RSS must be the sync's alone run it in a child process
//! (`bench <kind>-worker …`), which prints its report as words on one line.

use std::process::Stdio;

use crate::{Result, Settings};

/// Runs `bench <args…>` in the work directory and returns the words of its report.
pub async fn report(settings: &Settings, args: Vec<String>) -> Result<Vec<String>> {
    let kind = args.first().cloned().unwrap_or_default();
    let mut command = std::process::Command::new(std::env::current_exe()?);
    command
        .args(&args)
        .current_dir(&settings.work_dir)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit());
    // Waited for off the runtime: the fake the worker talks to runs on this one.
    let output = tokio::task::spawn_blocking(move || command.output()).await??;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("bench {kind} failed ({}): {text}", output.status).into());
    }
    Ok(text.split_whitespace().map(str::to_owned).collect())
}
