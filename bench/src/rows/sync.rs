//! Row 5, sync throughput: needs the mail sync of issue 8 (`app::server::mail::sync_now`),
//! which this branch does not have yet.

use crate::report::Row;
use crate::Settings;

pub const NAME: (u8, &str, &str) = (
    5,
    "Sync: messages/s stored vs downloaded; peak RSS, 100,000 messages",
    "ratio ≥ 0.5, RSS < 150 MB",
);

pub async fn run(_settings: &Settings) -> Row {
    let (number, name, goal) = NAME;
    Row {
        number,
        name,
        ours: "needs [mail]: no `app::server::mail::sync_now` on this branch yet".into(),
        reference: "–".into(),
        ratio: "–".into(),
        goal,
        met: None,
    }
}
