//! The table: one row per measurement, beside its reference, and writing it into the files
//! that show it.

use std::path::Path;

/// One line of the table.
#[derive(Clone, Debug)]
pub struct Row {
    /// 1–6 as in issue 9; 7 of issue 21.
    pub number: u8,
    pub name: &'static str,
    /// What we measured.
    pub ours: String,
    /// What it is compared with, measured in the same run.
    pub reference: String,
    /// ours against the reference, as the goal states it.
    pub ratio: String,
    pub goal: &'static str,
    /// Some(true) met, Some(false) missed, None not measured.
    pub met: Option<bool>,
}

impl Row {
    /// A row that could not be measured, saying why.
    pub fn failed(name: (u8, &'static str, &'static str), error: impl std::fmt::Display) -> Row {
        let (number, name, goal) = name;
        Row {
            number,
            name,
            ours: format!("failed: {error}"),
            reference: "–".into(),
            ratio: "–".into(),
            goal,
            met: None,
        }
    }
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "–",
    }
}

/// The markdown table.
/// "{count} in a / b / c s = x / y / z/s": references timed before and after each run.
pub fn timed_references(count: usize, times: &[std::time::Duration]) -> String {
    let join = |cells: Vec<String>| cells.join(" / ");
    format!(
        "{count} in {} s = {}/s",
        join(
            times
                .iter()
                .map(|t| format!("{:.1}", t.as_secs_f64()))
                .collect()
        ),
        join(
            times
                .iter()
                .map(|t| format!("{:.0}", count as f64 / t.as_secs_f64()))
                .collect()
        )
    )
}

/// "SQLite 0.62, PostgreSQL 0.57": each run's ratio by its name.
pub fn named_ratios<'a>(names: impl Iterator<Item = &'a str>, ratios: &[f64]) -> String {
    names
        .zip(ratios)
        .map(|(name, ratio)| format!("{name} {ratio:.2}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| # | row | ours | reference (same run) | ratio | goal | met |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for row in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            row.number,
            row.name,
            row.ours,
            row.reference,
            row.ratio,
            row.goal,
            verdict(row.met)
        ));
    }
    out
}

const START: &str = "<!-- bench:start -->";
const END: &str = "<!-- bench:end -->";

/// Replaces what stands between the markers of `text` (or appends the block).
fn between_markers(text: &str, block: &str) -> String {
    let replacement = format!("{START}\n{block}\n{END}");
    match (text.find(START), text.find(END)) {
        (Some(start), Some(end)) if end > start => {
            format!(
                "{}{replacement}{}",
                &text[..start],
                &text[end + END.len()..]
            )
        }
        _ => format!("{}\n{replacement}\n", text.trim_end()),
    }
}

/// Writes the machine and table into `bench/RESULTS.md` and `README.md`.
pub fn write_files(repo: &Path, machine: &str, table: &str) -> std::io::Result<()> {
    let block = format!("{machine}\n\n{table}");
    for file in ["bench/RESULTS.md", "README.md"] {
        let path = repo.join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::write(&path, between_markers(&text, &block))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_between_the_markers_is_replaced() {
        let text = format!("a\n{START}\nold\n{END}\nb\n");
        assert_eq!(
            between_markers(&text, "new"),
            format!("a\n{START}\nnew\n{END}\nb\n")
        );
        assert_eq!(
            between_markers("a", "new"),
            format!("a\n{START}\nnew\n{END}\n")
        );
    }
}
