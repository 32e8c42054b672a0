//! Text and dates made storable on every database before a message is stored, so what one
//! sender puts in a message cannot make a page fail (issue 21). Pure.
//!
//! The columns (migrations' `m20261210_000005_mail`): `subject` is `TEXT`, which MariaDB
//! caps at 65,535 *bytes*; `from_address` `VARCHAR(320)`, `from_name`, `graph_id`,
//! `internet_message_id` and attachment names `VARCHAR(255)` (characters on PostgreSQL and
//! MariaDB's utf8mb4); bodies and recipient lists `LONGTEXT` on MariaDB and `TEXT`
//! elsewhere. PostgreSQL refuses the NUL character in any text. Times are
//! `TIMESTAMP WITH TIME ZONE`, which MariaDB stores as a `TIMESTAMP`: 1970 to 2038 only.

use chrono::{DateTime, TimeZone, Utc};

/// `subject`: MariaDB's `TEXT`, in bytes.
pub const SUBJECT_MAX_BYTES: usize = 65_535;
/// `from_address`, in characters.
pub const ADDRESS_MAX_CHARS: usize = 320;
/// `VARCHAR(255)` columns, in characters.
pub const SHORT_MAX_CHARS: usize = 255;

/// Without NUL characters (PostgreSQL refuses them in text; nobody reads them).
pub fn without_nul(text: String) -> String {
    if text.contains('\0') {
        text.replace('\0', "")
    } else {
        text
    }
}

/// Without NUL, at most `max` characters.
pub fn chars(text: String, max: usize) -> String {
    let mut text = without_nul(text);
    if let Some((end, _)) = text.char_indices().nth(max) {
        text.truncate(end);
    }
    text
}

/// Without NUL, at most `max` bytes, cut on a character boundary.
pub fn bytes(text: String, max: usize) -> String {
    let mut text = without_nul(text);
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

/// Whether every database can store `at` (MariaDB's `TIMESTAMP` range, a day inside it).
pub fn storable_time(at: DateTime<Utc>) -> bool {
    let first = Utc.with_ymd_and_hms(1970, 1, 2, 0, 0, 0).single();
    let last = Utc.with_ymd_and_hms(2038, 1, 18, 0, 0, 0).single();
    matches!((first, last), (Some(first), Some(last)) if (first..last).contains(&at))
}

/// The receive time to store: Graph's, or — when Graph's is missing, unreadable or outside
/// what every database stores — `fetched_at`, the moment the sync first saw the message.
///
/// Stored, not quarantined: the date is the one field the message can do without, and
/// quarantining would hide real mail from the user over it. The fetch time is close to the
/// arrival of new mail (the sync runs every few minutes), so the message appears where the
/// user looks for new mail; `receivedDateTime` is set by Exchange, not by the sender, so
/// this fallback is for Graph's oddities, not something a sender can aim for.
pub fn received_at(listed: Option<DateTime<Utc>>, fetched_at: DateTime<Utc>) -> DateTime<Utc> {
    listed.filter(|at| storable_time(*at)).unwrap_or(fetched_at)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

    use super::*;

    #[test]
    fn nul_is_removed_and_text_is_cut_on_a_character_boundary() {
        assert_eq!(without_nul("a\0b\0".into()), "ab");
        assert_eq!(chars("é\0éé".into(), 2), "éé");
        // "é" is two bytes: three bytes hold one of them, not one and a half.
        assert_eq!(bytes("ééé".into(), 3), "é");
        assert_eq!(bytes("abc".into(), 3), "abc");
        let long = "€".repeat(40_000);
        let cut = bytes(long, SUBJECT_MAX_BYTES);
        assert!(cut.len() <= SUBJECT_MAX_BYTES && cut.len() > SUBJECT_MAX_BYTES - 3);
    }

    #[test]
    fn an_unstorable_or_missing_date_becomes_the_fetch_time() {
        let fetched = Utc.with_ymd_and_hms(2026, 12, 14, 9, 0, 0).unwrap();
        let listed = Utc.with_ymd_and_hms(2026, 12, 13, 8, 0, 0).unwrap();
        assert_eq!(received_at(Some(listed), fetched), listed);
        assert_eq!(received_at(None, fetched), fetched);
        let far = Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap();
        assert_eq!(received_at(Some(far), fetched), fetched);
        let exchange_none = Utc.with_ymd_and_hms(1601, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(received_at(Some(exchange_none), fetched), fetched);
    }
}
