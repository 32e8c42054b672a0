//! Times as an admin reads them: in the installation's time zone (`TIME_ZONE`, by default
//! Europe/Amsterdam), in their language, relative when that is what they want to know
//! ("3 minuten geleden") and with the exact moment at hand for a tooltip. Every time the
//! screens show goes through [`display`]; nothing shows a raw RFC 3339 string.
//!
//! Pure: "now" is passed in. The server formats, also for the islands (their props carry a
//! [`Shown`]), because a browser's "now" would word the page differently from the server's
//! and break hydration.

mod words;

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

pub use chrono_tz::Tz;

/// The zone when `TIME_ZONE` is not set: where the product's admins are.
pub const DEFAULT_ZONE: Tz = chrono_tz::Europe::Amsterdam;

/// Within this many minutes of now a time is shown relative to it.
const RELATIVE_MINUTES: i64 = 60;

/// One time, ready for `<time datetime=iso title=exact>text</time>`. In an island's props
/// it travels as `[iso, text, exact]`: the islands already read lists of text (their
/// words), so this costs the bundle no deserializer of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub struct Shown {
    /// Machine-readable, UTC, whole seconds: `2026-12-04T17:20:08Z`.
    pub iso: String,
    /// What the admin reads: "zojuist", "3 minuten geleden", "4 dec. 2026 18:20".
    pub text: String,
    /// The full moment in the zone, with seconds and the zone's abbreviation:
    /// "4 dec. 2026 18:20:08 CET".
    pub exact: String,
}

impl From<Vec<String>> for Shown {
    fn from(parts: Vec<String>) -> Shown {
        let mut parts = parts.into_iter();
        let mut next = || parts.next().unwrap_or_default();
        // Fields are evaluated in the order written: the order of the list.
        Shown {
            iso: next(),
            text: next(),
            exact: next(),
        }
    }
}

impl From<Shown> for Vec<String> {
    fn from(Shown { iso, text, exact }: Shown) -> Vec<String> {
        vec![iso, text, exact]
    }
}

impl Shown {
    /// Words in the place of a time ("Nog niet opgehaald", "–"): shown as plain text.
    pub fn plain(text: &str) -> Shown {
        Shown {
            iso: String::new(),
            text: text.to_string(),
            exact: text.to_string(),
        }
    }
}

/// The installation's zone and the moment a page is rendered: one per request, so every
/// time on a page is worded against the same "now".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    pub zone: Tz,
    pub now: DateTime<Utc>,
}

impl Clock {
    /// `at` as the admin reads it.
    pub fn show(&self, at: DateTime<Utc>, lang: Lang) -> Shown {
        display(at, self.now, self.zone, lang)
    }

    /// A day, not a moment: an expiry date as Azure shows it ("30 jun. 2027"), the exact
    /// moment in the tooltip.
    pub fn show_date(&self, at: DateTime<Utc>, lang: Lang) -> Shown {
        let local = self.zone.from_utc_datetime(&at.naive_utc());
        let date = words::date(&local, lang);
        Shown {
            iso: at.to_rfc3339_opts(SecondsFormat::Secs, true),
            exact: format!("{date} {}", local.format("%H:%M:%S %Z")),
            text: date,
        }
    }

    /// A stored RFC 3339 time (the view models carry them as text) as the admin reads it;
    /// text that is no time is shown as it is rather than lost.
    pub fn show_text(&self, at: &str, lang: Lang) -> Shown {
        match parse(at) {
            Some(at) => self.show(at, lang),
            None => Shown::plain(at),
        }
    }
}

/// The one formatting function: relative within an hour of `now` (either side), otherwise
/// day, month, year and minutes in `zone`; `exact` always has seconds and the zone.
pub fn display(at: DateTime<Utc>, now: DateTime<Utc>, zone: Tz, lang: Lang) -> Shown {
    let local = zone.from_utc_datetime(&at.naive_utc());
    let date = words::date(&local, lang);
    let minutes = (at - now).num_minutes();
    let text = if minutes.abs() < RELATIVE_MINUTES {
        words::relative(minutes, lang)
    } else {
        format!("{date} {}", local.format("%H:%M"))
    };
    Shown {
        iso: at.to_rfc3339_opts(SecondsFormat::Secs, true),
        text,
        exact: format!("{date} {}", local.format("%H:%M:%S %Z")),
    }
}

/// An RFC 3339 time, in UTC.
pub fn parse(at: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(at.trim())
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

/// An IANA zone name (`Europe/Amsterdam`); None for a name the database does not know.
pub fn zone(name: &str) -> Option<Tz> {
    name.trim().parse().ok()
}

#[cfg(test)]
mod tests;
