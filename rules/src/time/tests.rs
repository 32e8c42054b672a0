use chrono::Duration;

use super::*;

fn utc(text: &str) -> DateTime<Utc> {
    parse(text).unwrap_or_default()
}

fn amsterdam(at: &str, now: &str, lang: Lang) -> Shown {
    display(utc(at), utc(now), DEFAULT_ZONE, lang)
}

const LATER: &str = "2027-06-01T00:00:00Z";

#[test]
fn a_winter_time_is_shown_in_amsterdam_in_both_languages() {
    let nl = amsterdam("2026-12-04T17:20:08.289024416+00:00", LATER, Lang::Nl);
    assert_eq!(nl.text, "4 dec. 2026 18:20");
    assert_eq!(nl.exact, "4 dec. 2026 18:20:08 CET");
    assert_eq!(nl.iso, "2026-12-04T17:20:08Z");
    let en = amsterdam("2026-12-04T17:20:08Z", LATER, Lang::En);
    assert_eq!(en.text, "4 Dec 2026 18:20");
    assert_eq!(en.exact, "4 Dec 2026 18:20:08 CET");
}

#[test]
fn summer_time_begins_on_the_last_sunday_of_march() {
    // 29 March 2026, 01:00 UTC: the clocks go from 02:00 CET to 03:00 CEST.
    let before = amsterdam("2026-03-29T00:59:59Z", LATER, Lang::Nl);
    assert_eq!(before.exact, "29 mrt. 2026 01:59:59 CET");
    let after = amsterdam("2026-03-29T01:00:00Z", LATER, Lang::Nl);
    assert_eq!(after.exact, "29 mrt. 2026 03:00:00 CEST");
    assert_eq!(after.text, "29 mrt. 2026 03:00");
}

#[test]
fn summer_time_ends_on_the_last_sunday_of_october() {
    // 25 October 2026, 01:00 UTC: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice and
    // only the zone's abbreviation tells them apart.
    let first = amsterdam("2026-10-25T00:30:00Z", LATER, Lang::En);
    let second = amsterdam("2026-10-25T01:30:00Z", LATER, Lang::En);
    assert_eq!(first.text, "25 Oct 2026 02:30");
    assert_eq!(second.text, "25 Oct 2026 02:30");
    assert_eq!(first.exact, "25 Oct 2026 02:30:00 CEST");
    assert_eq!(second.exact, "25 Oct 2026 02:30:00 CET");
}

#[test]
fn the_day_is_the_zones_day() {
    // 23:30 UTC on New Year's Eve is already the next year in Amsterdam.
    let shown = amsterdam("2026-12-31T23:30:00Z", LATER, Lang::Nl);
    assert_eq!(shown.text, "1 jan. 2027 00:30");
    let utc_zone = display(
        utc("2026-12-31T23:30:00Z"),
        utc(LATER),
        chrono_tz::UTC,
        Lang::Nl,
    );
    assert_eq!(utc_zone.exact, "31 dec. 2026 23:30:00 UTC");
}

#[test]
fn within_the_hour_times_are_relative() {
    let now = utc("2026-12-04T17:20:00Z");
    let cases = [
        (Duration::zero(), "zojuist", "just now"),
        (-Duration::seconds(59), "zojuist", "just now"),
        (Duration::seconds(59), "zojuist", "just now"),
        (-Duration::seconds(60), "1 minuut geleden", "1 minute ago"),
        (-Duration::minutes(3), "3 minuten geleden", "3 minutes ago"),
        (
            -Duration::seconds(59 * 60 + 59),
            "59 minuten geleden",
            "59 minutes ago",
        ),
        (Duration::minutes(1), "over 1 minuut", "in 1 minute"),
        (Duration::minutes(5), "over 5 minuten", "in 5 minutes"),
    ];
    for (offset, nl, en) in cases {
        let at = now + offset;
        assert_eq!(
            display(at, now, DEFAULT_ZONE, Lang::Nl).text,
            nl,
            "{offset}"
        );
        assert_eq!(
            display(at, now, DEFAULT_ZONE, Lang::En).text,
            en,
            "{offset}"
        );
    }
}

#[test]
fn from_an_hour_away_times_are_absolute_but_the_exact_time_is_always_there() {
    let now = utc("2026-12-04T17:20:00Z");
    for offset in [
        -Duration::minutes(60),
        Duration::minutes(60),
        -Duration::days(400),
    ] {
        let shown = display(now + offset, now, DEFAULT_ZONE, Lang::Nl);
        assert!(shown.text.contains(':'), "{offset}: {}", shown.text);
        assert!(!shown.text.contains("geleden") && !shown.text.starts_with("over"));
    }
    let recent = display(now, now, DEFAULT_ZONE, Lang::Nl);
    assert_eq!(recent.exact, "4 dec. 2026 18:20:00 CET");
}

#[test]
fn never_nanoseconds_or_the_raw_form() {
    let clock = Clock {
        zone: DEFAULT_ZONE,
        now: utc(LATER),
    };
    let shown = clock.show_text("2026-12-04T17:20:08.289024416+00:00", Lang::Nl);
    for text in [&shown.iso, &shown.text, &shown.exact] {
        assert!(!text.contains("289024416"), "{text}");
        assert!(!text.contains("+00:00"), "{text}");
    }
    assert!(!shown.text.contains('T'));
}

#[test]
fn text_that_is_no_time_is_shown_as_it_is() {
    let clock = Clock {
        zone: DEFAULT_ZONE,
        now: utc(LATER),
    };
    let shown = clock.show_text("gisteren", Lang::Nl);
    assert_eq!((shown.text.as_str(), shown.iso.as_str()), ("gisteren", ""));
}

#[test]
fn zones_are_iana_names() {
    assert_eq!(zone("Europe/Amsterdam"), Some(DEFAULT_ZONE));
    assert_eq!(zone(" UTC "), Some(chrono_tz::UTC));
    assert_eq!(zone("Europe/Utrecht"), None);
    assert_eq!(zone(""), None);
}

#[test]
fn an_islands_props_carry_it_as_a_list_of_text() -> Result<(), serde_json::Error> {
    let shown = amsterdam("2026-12-04T17:20:08Z", LATER, Lang::Nl);
    let json = serde_json::to_string(&shown)?;
    assert_eq!(
        json,
        r#"["2026-12-04T17:20:08Z","4 dec. 2026 18:20","4 dec. 2026 18:20:08 CET"]"#
    );
    assert_eq!(serde_json::from_str::<Shown>(&json)?, shown);
    Ok(())
}
