//! App registrations as the admin sees them (issue 19): the page's view model and when a
//! credential's expiry becomes a warning. Pure: "now" is passed in.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::time::{Clock, Shown};

pub mod answer;

/// The page listing the app registrations, a sibling of the Mailboxen list.
pub const REGISTRATIONS_PATH: &str = "/instellingen/app-registraties";

/// From this many days before its end a credential is announced on the pages and in the
/// log, every day.
pub const WARN_DAYS: i64 = 30;
/// From this many days before its end the announcement is urgent.
pub const URGENT_DAYS: i64 = 7;
/// Azure lets a client secret last at most 24 months; a later date is a typing error.
pub const MAX_SECRET_MONTHS: u32 = 24;

/// How close a credential is to its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Expiry {
    /// No date known (a secret saved before dates were asked for).
    Unknown,
    /// More than [`WARN_DAYS`] left.
    Valid,
    /// [`URGENT_DAYS`] < days left ≤ [`WARN_DAYS`].
    Soon { days_left: i64 },
    /// 0 ≤ days left ≤ [`URGENT_DAYS`]: it ends within a week (0: today).
    Urgent { days_left: i64 },
    /// Its end has passed: token requests with it fail (AADSTS7000222 for a secret).
    Expired,
}

impl Expiry {
    /// Where `expires_at` stands at `now`. Days left count whole days, rounded down: a
    /// credential ending in 30 days and 2 hours has 30 left.
    pub fn at(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Expiry {
        let Some(end) = expires_at else {
            return Expiry::Unknown;
        };
        if end <= now {
            return Expiry::Expired;
        }
        let days_left = (end - now).num_days();
        if days_left > WARN_DAYS {
            Expiry::Valid
        } else if days_left > URGENT_DAYS {
            Expiry::Soon { days_left }
        } else {
            Expiry::Urgent { days_left }
        }
    }

    /// Needs the admin's attention: announced on the pages and in the daily log line.
    pub fn needs_attention(self) -> bool {
        matches!(
            self,
            Expiry::Soon { .. } | Expiry::Urgent { .. } | Expiry::Expired
        )
    }

    /// The most pressing of two.
    pub fn worst(self, other: Expiry) -> Expiry {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }

    fn rank(self) -> (u8, i64) {
        match self {
            Expiry::Valid => (0, 0),
            Expiry::Unknown => (1, 0),
            Expiry::Soon { days_left } => (2, -days_left),
            Expiry::Urgent { days_left } => (3, -days_left),
            Expiry::Expired => (4, 0),
        }
    }
}

/// Why an expiry date typed by the admin is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpiryDateError {
    /// Not a date (`JJJJ-MM-DD`, as the browser's date field sends it).
    NotADate,
    /// Today or earlier: a secret that has expired cannot be entered.
    InThePast,
    /// More than [`MAX_SECRET_MONTHS`] ahead: Azure does not make such secrets.
    TooFar,
}

/// The end of the day `text` (`2027-06-30`) in the installation's zone, checked against
/// `clock`: the "Verloopt" column of Azure's Certificates & secrets shows a date.
pub fn parse_expiry_date(text: &str, clock: &Clock) -> Result<DateTime<Utc>, ExpiryDateError> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| ExpiryDateError::NotADate)?;
    let end_of_day = date
        .and_hms_opt(23, 59, 59)
        .and_then(|t| clock.zone.from_local_datetime(&t).earliest())
        .ok_or(ExpiryDateError::NotADate)?
        .with_timezone(&Utc);
    if end_of_day <= clock.now {
        return Err(ExpiryDateError::InThePast);
    }
    let latest = clock
        .now
        .checked_add_months(chrono::Months::new(MAX_SECRET_MONTHS))
        .unwrap_or(clock.now)
        + chrono::Duration::days(1);
    if end_of_day > latest {
        return Err(ExpiryDateError::TooFar);
    }
    Ok(end_of_day)
}

/// One credential of a registration, as its page shows it: never its value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialView {
    pub id: i32,
    pub certificate: bool,
    /// A secret's first characters, or a certificate's SHA-1 thumbprint.
    pub label: String,
    pub expires: Option<Shown>,
    pub expiry: Expiry,
    /// When a token request with it last succeeded.
    pub verified: Option<Shown>,
    /// How many of the registration's mailboxes authenticate with it.
    pub mailboxes: u32,
    /// A certificate as base64 of its PEM, for the page's download link (public).
    pub certificate_base64: Option<String>,
}

/// A mailbox of a registration, linked from its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxLink {
    pub id: i32,
    pub name: String,
}

/// One app registration with its credentials and mailboxes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationView {
    pub id: i32,
    /// For optimistic locking: a rename at another version is refused.
    pub version: i32,
    pub display_name: String,
    pub tenant_id: String,
    pub client_id: String,
    pub credentials: Vec<CredentialView>,
    pub mailboxes: Vec<MailboxLink>,
    /// Its mailboxes use different secrets (kept apart when they were moved onto it).
    pub secrets_differ: bool,
}

impl RegistrationView {
    /// The most pressing expiry of the credentials its mailboxes use.
    pub fn expiry(&self) -> Expiry {
        self.credentials
            .iter()
            .filter(|c| c.mailboxes > 0)
            .fold(Expiry::Valid, |worst, c| worst.worst(c.expiry))
    }
}

/// The app registrations page's data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationsData {
    pub registrations: Vec<RegistrationView>,
    /// The signed-in user may change them (`beheerder`): the date forms are shown.
    pub can_change: bool,
}

#[cfg(test)]
mod tests;
