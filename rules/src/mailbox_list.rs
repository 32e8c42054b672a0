//! What the Mailboxen list shows and how it filters: pure, shared by server and browser.

use serde::{Deserialize, Serialize};

use crate::i18n::{FormMsg, Msg};

/// How mail comes in or goes out; the stored codes are Econobis' (`ms-oauth` = Microsoft Api).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServerType {
    Imap,
    Smtp,
    MicrosoftApi,
    /// Incoming for an outgoing-only mailbox ("N.v.t.").
    None,
}

impl ServerType {
    /// Parses a stored code; unknown codes read as `None` rather than failing the whole list.
    pub fn from_code(code: &str) -> Self {
        match code {
            "imap" => ServerType::Imap,
            "smtp" => ServerType::Smtp,
            "ms-oauth" => ServerType::MicrosoftApi,
            _ => ServerType::None,
        }
    }

    pub fn label(self) -> FormMsg {
        match self {
            ServerType::Imap => FormMsg::TypeImap,
            ServerType::Smtp => FormMsg::TypeSmtp,
            ServerType::MicrosoftApi => FormMsg::TypeMicrosoftApi,
            ServerType::None => FormMsg::TypeNone,
        }
    }
}

/// The Status column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailboxStatus {
    Connected,
    /// Connected without the mailbox's password: the app's own token (issue 18).
    ConnectedAppOnly,
    ReconnectNeeded,
    /// Repeated failures; carries Microsoft's code where there is one.
    Error(Option<String>),
    NotConnected,
    /// IMAP/SMTP mailboxes: nothing has checked them yet.
    Unchecked,
}

impl MailboxStatus {
    pub fn label(&self) -> Msg {
        match self {
            MailboxStatus::Connected => Msg::StatusConnected,
            MailboxStatus::ConnectedAppOnly => Msg::StatusConnectedAppOnly,
            MailboxStatus::ReconnectNeeded => Msg::StatusReconnectNeeded,
            MailboxStatus::Error(_) => Msg::StatusError,
            MailboxStatus::NotConnected => Msg::StatusNotConnected,
            MailboxStatus::Unchecked => Msg::StatusUnchecked,
        }
    }

    /// The text of the Status column: "Fout (AADSTS7000215)" names Microsoft's code.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        match self {
            MailboxStatus::Error(Some(code)) => format!("{} ({code})", self.label().text(lang)),
            _ => self.label().text(lang).to_string(),
        }
    }

    /// Whether an admin should look at this mailbox (the menu marks Mailboxen).
    pub fn needs_attention(&self) -> bool {
        matches!(
            self,
            MailboxStatus::ReconnectNeeded | MailboxStatus::Error(_)
        )
    }

    /// A CSS modifier, so colour is never the only carrier of the meaning.
    pub fn css_class(&self) -> &'static str {
        match self {
            MailboxStatus::Connected | MailboxStatus::ConnectedAppOnly => "status status--ok",
            MailboxStatus::ReconnectNeeded | MailboxStatus::Error(_) => "status status--bad",
            MailboxStatus::NotConnected | MailboxStatus::Unchecked => "status status--neutral",
        }
    }
}

/// One row of the Mailboxen list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxRow {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub incoming: ServerType,
    pub outgoing: ServerType,
    pub is_primary: bool,
    pub is_active: bool,
    pub status: MailboxStatus,
    /// An IMAP/SMTP mailbox on a password at Microsoft 365, about to stop
    /// (`crate::basic_auth`): the row is marked.
    #[serde(default)]
    pub basic_auth_ending: bool,
    /// The app registration's secret or certificate this mailbox uses ends within 30 days
    /// or has ended (issue 19): the Status column says so.
    #[serde(default)]
    pub credential_expiry: Option<crate::app_registrations::Expiry>,
}

/// The Actief filter: Ja / Nee / Alle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActiveFilter {
    #[default]
    All,
    Active,
    Inactive,
}

impl ActiveFilter {
    /// Reads the `actief` query parameter; anything unexpected means "Alle".
    pub fn from_param(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            Some("ja") => ActiveFilter::Active,
            Some("nee") => ActiveFilter::Inactive,
            _ => ActiveFilter::All,
        }
    }

    pub fn param(self) -> &'static str {
        match self {
            ActiveFilter::All => "alle",
            ActiveFilter::Active => "ja",
            ActiveFilter::Inactive => "nee",
        }
    }
}

/// The list's filter, as carried in the URL (`?naam=…&actief=ja|nee|alle`) so that the
/// server renders the same rows the browser filters to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxFilter {
    pub name: String,
    pub active: ActiveFilter,
}

impl MailboxFilter {
    pub fn from_params(name: Option<&str>, active: Option<&str>) -> Self {
        MailboxFilter {
            name: name.unwrap_or_default().trim().to_string(),
            active: ActiveFilter::from_param(active),
        }
    }

    /// Case-insensitive substring match on the display name, and the Actief choice.
    pub fn matches(&self, name: &str, is_active: bool) -> bool {
        let active_ok = match self.active {
            ActiveFilter::All => true,
            ActiveFilter::Active => is_active,
            ActiveFilter::Inactive => !is_active,
        };
        active_ok && (self.name.is_empty() || contains_ignoring_case(name, &self.name))
    }

    /// The query string for this filter, empty parts left out.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if !self.name.is_empty() {
            parts.push(format!("naam={}", encode_query_value(&self.name)));
        }
        if self.active != ActiveFilter::All {
            parts.push(format!("actief={}", self.active.param()));
        }
        parts.join("&")
    }
}

fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    lowercase(haystack).contains(&lowercase(needle))
}

/// Unicode lower case ("Coöp" finds "COÖP"). In the browser JavaScript's own, which agrees
/// with Rust's and spares the bundle Rust's case tables.
#[cfg(feature = "browser")]
fn lowercase(text: &str) -> String {
    String::from(js_sys::JsString::from(text).to_lower_case())
}

#[cfg(not(feature = "browser"))]
fn lowercase(text: &str) -> String {
    text.to_lowercase()
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(byte))
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_filter_is_a_case_insensitive_substring() {
        let filter = MailboxFilter::from_params(Some("  LEDEN "), None);
        assert!(filter.matches("Ledenadministratie", true));
        assert!(filter.matches("Info leden", false));
        assert!(!filter.matches("Info", true));
    }

    #[test]
    fn active_filter_reads_ja_nee_and_defaults_to_all() {
        let cases = [
            (Some("ja"), true, true),
            (Some("ja"), false, false),
            (Some("nee"), false, true),
            (Some("nee"), true, false),
            (Some("alle"), false, true),
            (Some("onzin"), false, true),
            (None, true, true),
        ];
        for (param, active, expected) in cases {
            let filter = MailboxFilter::from_params(None, param);
            assert_eq!(filter.matches("X", active), expected, "{param:?} {active}");
        }
    }

    #[test]
    fn query_round_trips_and_encodes() {
        let filter = MailboxFilter::from_params(Some("Coöp & co"), Some("nee"));
        assert_eq!(filter.to_query(), "naam=Co%C3%B6p%20%26%20co&actief=nee");
        assert_eq!(MailboxFilter::default().to_query(), "");
    }

    #[test]
    fn unknown_server_type_codes_read_as_none() {
        assert_eq!(ServerType::from_code("ms-oauth"), ServerType::MicrosoftApi);
        assert_eq!(ServerType::from_code("mailgun"), ServerType::None);
    }
}
