use chrono::Duration;

use super::*;
use crate::time::DEFAULT_ZONE;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_default()
        .with_timezone(&Utc)
}

const NOW: &str = "2026-12-05T10:00:00Z";

#[test]
fn a_credential_is_announced_from_thirty_days_and_urgent_from_seven() {
    let now = at(NOW);
    let left = |duration: Duration| Expiry::at(Some(now + duration), now);
    assert_eq!(Expiry::at(None, now), Expiry::Unknown);
    assert_eq!(left(Duration::days(31)), Expiry::Valid);
    assert_eq!(
        left(Duration::days(30) + Duration::hours(2)),
        Expiry::Soon { days_left: 30 }
    );
    assert_eq!(left(Duration::days(8)), Expiry::Soon { days_left: 8 });
    assert_eq!(left(Duration::days(7)), Expiry::Urgent { days_left: 7 });
    assert_eq!(left(Duration::hours(3)), Expiry::Urgent { days_left: 0 });
    assert_eq!(left(Duration::zero()), Expiry::Expired);
    assert_eq!(left(-Duration::days(1)), Expiry::Expired);
    assert!(!Expiry::Valid.needs_attention());
    assert!(!Expiry::Unknown.needs_attention());
    assert!(Expiry::Soon { days_left: 30 }.needs_attention());
    assert!(Expiry::Expired.needs_attention());
}

#[test]
fn the_most_pressing_expiry_wins() {
    let soon = Expiry::Soon { days_left: 20 };
    let sooner = Expiry::Soon { days_left: 9 };
    assert_eq!(soon.worst(sooner), sooner);
    assert_eq!(sooner.worst(soon), sooner);
    assert_eq!(Expiry::Valid.worst(Expiry::Unknown), Expiry::Unknown);
    assert_eq!(
        Expiry::Urgent { days_left: 7 }.worst(soon),
        Expiry::Urgent { days_left: 7 }
    );
    assert_eq!(
        Expiry::Expired.worst(Expiry::Urgent { days_left: 0 }),
        Expiry::Expired
    );
}

#[test]
fn a_registration_warns_for_the_credentials_its_mailboxes_use() {
    let credential = |expiry, mailboxes| CredentialView {
        id: 1,
        certificate: false,
        label: "abc".into(),
        expires: None,
        expiry,
        verified: None,
        mailboxes,
        certificate_base64: None,
    };
    let mut view = RegistrationView {
        id: 1,
        version: 1,
        display_name: "App".into(),
        tenant_id: "t".into(),
        client_id: "c".into(),
        credentials: vec![credential(Expiry::Valid, 2), credential(Expiry::Expired, 0)],
        mailboxes: Vec::new(),
        secrets_differ: false,
    };
    // The old secret no mailbox uses any more does not alarm anyone.
    assert_eq!(view.expiry(), Expiry::Valid);
    view.credentials[1].mailboxes = 1;
    assert_eq!(view.expiry(), Expiry::Expired);
}

#[test]
fn an_expiry_date_is_the_end_of_that_day_in_the_zone() {
    let clock = Clock {
        zone: DEFAULT_ZONE,
        now: at(NOW),
    };
    // 23:59:59 in Amsterdam (CEST in June) is 21:59:59 UTC.
    assert_eq!(
        parse_expiry_date("2027-06-30", &clock),
        Ok(at("2027-06-30T21:59:59Z"))
    );
    assert_eq!(
        parse_expiry_date(" 2027-01-15 ", &clock),
        Ok(at("2027-01-15T22:59:59Z"))
    );
    // Today still counts: it ends tonight.
    assert!(parse_expiry_date("2026-12-05", &clock).is_ok());
    assert_eq!(
        parse_expiry_date("2026-12-04", &clock),
        Err(ExpiryDateError::InThePast)
    );
    assert_eq!(
        parse_expiry_date("30-06-2027", &clock),
        Err(ExpiryDateError::NotADate)
    );
    assert_eq!(
        parse_expiry_date("", &clock),
        Err(ExpiryDateError::NotADate)
    );
    assert_eq!(
        parse_expiry_date("2027-02-30", &clock),
        Err(ExpiryDateError::NotADate)
    );
    assert!(
        parse_expiry_date("2028-12-05", &clock).is_ok(),
        "24 months is Azure's longest"
    );
    assert_eq!(
        parse_expiry_date("2028-12-07", &clock),
        Err(ExpiryDateError::TooFar)
    );
    assert_eq!(
        parse_expiry_date("2099-01-01", &clock),
        Err(ExpiryDateError::TooFar)
    );
}
