//! What the mailbox page (`/instellingen/mailboxen/nieuw` and `/…/{id}`) exchanges with the
//! server: pure types shared by server and browser. Nothing here ever carries a secret to
//! the browser: [`MailboxFormData::form`] has empty `password` and `client_secret`.

use serde::{Deserialize, Serialize};

use crate::connection::ConnectionView;
use crate::validation::{Issue, MailboxForm, ValidationContext};

/// The list page; the form pages live below it.
pub const LIST_PATH: &str = "/instellingen/mailboxen";
/// Query parameter set after a successful save: shows the success message.
pub const SAVED_PARAM: &str = "opgeslagen";
/// Query parameter naming a failed save without JavaScript (a server-side token).
pub const ATTEMPT_PARAM: &str = "poging";
/// `/instellingen/mailboxen/nieuw?registratie=ID`: a new mailbox of that app registration,
/// its IDs filled in and its secret used (issue 19).
pub const REGISTRATION_PARAM: &str = "registratie";
/// Query parameter that opens the delete confirmation.
pub const DELETE_PARAM: &str = "verwijderen";
/// Query parameter on the list after a delete.
pub const DELETED_PARAM: &str = "verwijderd";
/// Set on the confirmation when the delete failed on the server.
pub const DELETE_FAILED_PARAM: &str = "mislukt";

/// Which mailbox a page edits: the `{id}` segment, where `nieuw` means a new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailboxTarget {
    /// `/instellingen/mailboxen/nieuw`.
    New,
    /// `/instellingen/mailboxen/{id}`.
    Existing(i32),
}

impl MailboxTarget {
    /// Parses the path segment; anything but `nieuw` or a positive number is no page.
    pub fn from_segment(segment: &str) -> Option<Self> {
        match segment {
            "nieuw" => Some(MailboxTarget::New),
            digits if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => digits
                .parse()
                .ok()
                .filter(|id| *id > 0)
                .map(MailboxTarget::Existing),
            _ => None,
        }
    }

    /// The page's path.
    pub fn path(self) -> String {
        match self {
            MailboxTarget::New => format!("{LIST_PATH}/nieuw"),
            MailboxTarget::Existing(id) => format!("{LIST_PATH}/{id}"),
        }
    }

    /// The id of an existing mailbox.
    pub fn id(self) -> Option<i32> {
        match self {
            MailboxTarget::New => None,
            MailboxTarget::Existing(id) => Some(id),
        }
    }
}

/// The answer of `save_mailbox`. Field problems are data, not errors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveOutcome {
    /// Stored; the page to go to is `/instellingen/mailboxen/{id}` — or first Microsoft's
    /// sign-in at `connect_url`, for a Microsoft Api mailbox that is not connected yet.
    Saved {
        id: i32,
        #[serde(default)]
        connect_url: Option<String>,
    },
    /// Nothing stored: these errors (and warnings) block it.
    Invalid { issues: Vec<Issue> },
    /// Someone else saved this mailbox since the form was loaded; nothing stored.
    Conflict,
    /// The mailbox no longer exists.
    NotFound,
}

/// The answer of `delete_mailbox`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeleteOutcome {
    Deleted,
    NotFound,
}

/// Everything the form page shows. Secrets are represented only by `*_stored` flags in
/// [`ValidationContext`] and the client secret's first 3 characters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxFormData {
    /// None for a new mailbox.
    pub id: Option<i32>,
    /// The version the form was loaded at; saving checks it is still current.
    pub version: i32,
    /// The values to show (the stored ones, or those of a failed save without JavaScript).
    pub form: MailboxForm,
    /// First 3 characters of the stored client secret value.
    pub client_secret_hint: Option<String>,
    /// What live validation needs (secrets stored, other mailboxes' Microsoft IDs).
    pub context: ValidationContext,
    /// An Azure field changed since the mailbox was last connected.
    pub reconnect_needed: bool,
    /// `{PUBLIC_BASE_URL}/api/oauth/ms-azure/callback`.
    pub redirect_uri: String,
    /// Issues to show at load: a failed save's, or the stored mailbox's warnings.
    pub issues: Vec<Issue>,
    /// A failed save without JavaScript hit a conflicting change.
    pub conflict: bool,
    /// A save without JavaScript failed on the server (its values are shown again).
    #[serde(default)]
    pub save_failed: bool,
    /// The values come from a failed save without JavaScript (its secrets are not kept).
    pub from_attempt: bool,
    /// The connection with Microsoft, for a saved mailbox with Microsoft settings.
    pub connection: Option<ConnectionView>,
    /// The latest "Test verbinding" of an IMAP/SMTP mailbox (issue 23); Some (maybe
    /// without a report) for a saved mailbox that uses its own mail servers.
    #[serde(default)]
    pub mail_servers: Option<MailServerView>,
    /// The signed-in user may change mailboxes (`beheerder`); a `lezer` sees the form
    /// disabled, without Opslaan and Verwijderen.
    #[serde(default)]
    pub can_change: bool,
    /// A saved IMAP/SMTP mailbox on a password at Microsoft 365 (`crate::basic_auth`): the
    /// page says basic authentication ends and offers the switch to Microsoft Api.
    #[serde(default)]
    pub basic_auth_ending: bool,
}

/// The defaults of a new mailbox: active, Microsoft Api both ways (this screen's purpose).
pub fn new_mailbox_form() -> MailboxForm {
    MailboxForm {
        is_active: true,
        incoming_type: "ms-oauth".to_string(),
        outgoing_type: "ms-oauth".to_string(),
        connection_method: crate::passwordless::AUTOMATIC.to_string(),
        ..MailboxForm::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_parse_to_targets() {
        assert_eq!(
            MailboxTarget::from_segment("nieuw"),
            Some(MailboxTarget::New)
        );
        assert_eq!(
            MailboxTarget::from_segment("42"),
            Some(MailboxTarget::Existing(42))
        );
        for bad in ["", "0", "-1", "4x", "99999999999", "Nieuw"] {
            assert_eq!(MailboxTarget::from_segment(bad), None, "{bad}");
        }
        assert_eq!(
            MailboxTarget::Existing(7).path(),
            "/instellingen/mailboxen/7"
        );
        assert_eq!(MailboxTarget::New.path(), "/instellingen/mailboxen/nieuw");
    }
}

/// The IMAP/SMTP section of a saved mailbox: its latest "Test verbinding".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailServerView {
    pub latest: Option<crate::preflight::PreflightReport>,
}
