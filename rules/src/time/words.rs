//! The words of [`super::display`] in Dutch and English: month abbreviations and the
//! relative phrases with their plurals.

use chrono::{DateTime, Datelike};
use chrono_tz::Tz;

use crate::i18n::Lang;

const MONTHS_NL: [&str; 12] = [
    "jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "4 dec. 2026" / "4 Dec 2026": the day first in both languages, the year always.
pub(super) fn date(local: &DateTime<Tz>, lang: Lang) -> String {
    let months = match lang {
        Lang::Nl => MONTHS_NL,
        Lang::En => MONTHS_EN,
    };
    let month = months
        .get(local.month0() as usize)
        .copied()
        .unwrap_or_default();
    format!("{} {month} {}", local.day(), local.year())
}

/// `minutes` from now (negative: in the past) within the hour: "zojuist", "3 minuten
/// geleden", "over 5 minuten".
pub(super) fn relative(minutes: i64, lang: Lang) -> String {
    let count = minutes.abs();
    let unit = match (lang, count) {
        (Lang::Nl, 1) => "minuut",
        (Lang::Nl, _) => "minuten",
        (Lang::En, 1) => "minute",
        (Lang::En, _) => "minutes",
    };
    match (lang, minutes.signum()) {
        (_, 0) => lang.pick(("zojuist", "just now")).to_string(),
        (Lang::Nl, -1) => format!("{count} {unit} geleden"),
        (Lang::En, -1) => format!("{count} {unit} ago"),
        (Lang::Nl, _) => format!("over {count} {unit}"),
        (Lang::En, _) => format!("in {count} {unit}"),
    }
}
