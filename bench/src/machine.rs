//! The machine the numbers were measured on.

fn first_value(path: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().find_map(|line| {
        let (name, value) = line.split_once([':', '='])?;
        (name.trim() == key).then(|| value.trim().trim_matches('"').to_string())
    })
}

/// Cores, RAM, CPU model, OS and date, as one markdown line.
pub fn describe() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let ram_gib = first_value("/proc/meminfo", "MemTotal")
        .and_then(|kib| kib.trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or_else(
            || "?".to_string(),
            |kib| format!("{:.1}", kib / 1024.0 / 1024.0),
        );
    let cpu = first_value("/proc/cpuinfo", "model name").unwrap_or_else(|| "?".into());
    let os = first_value("/etc/os-release", "PRETTY_NAME").unwrap_or_else(|| "?".into());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "Measured {} on {cores} cores, {ram_gib} GiB RAM, {cpu}, {os} (Linux {}).",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        kernel.trim()
    )
}
