//! Who may do what, shared by server and browser: the roles, the signed-in user as the
//! pages see it, the one classification of every server function, and the path to return
//! to after signing in. Pure: no I/O.

use serde::{Deserialize, Serialize};

/// The sign-in page (GET) and the sign-in form's target (POST).
pub const SIGN_IN_PATH: &str = "/inloggen";
/// The sign-out form's target (POST only).
pub const SIGN_OUT_PATH: &str = "/uitloggen";
/// Query parameter of the sign-in page: where to go after signing in.
pub const NEXT_PARAM: &str = "next";
/// Query parameter of the sign-in page after a refused sign-in.
pub const ERROR_PARAM: &str = "fout";
/// Where a sign-in without a (valid) `next` lands.
pub const DEFAULT_NEXT: &str = "/instellingen/mailboxen";

/// What an account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// May view and change mailboxes, and read their mail.
    Beheerder,
    /// May view settings and diagnostics and read the fetched mail, never change anything.
    Postlezer,
    /// May view settings and diagnostics only: no mail bodies, no attachments.
    Lezer,
}

impl Role {
    /// The stored and command-line name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Beheerder => "beheerder",
            Role::Postlezer => "postlezer",
            Role::Lezer => "lezer",
        }
    }

    /// Every role, least first (the CLI's usage line lists them).
    pub const ALL: [Role; 3] = [Role::Lezer, Role::Postlezer, Role::Beheerder];

    /// Parses the stored and command-line name.
    pub fn parse(text: &str) -> Option<Role> {
        match text.trim() {
            "beheerder" => Some(Role::Beheerder),
            "postlezer" => Some(Role::Postlezer),
            "lezer" => Some(Role::Lezer),
            _ => None,
        }
    }

    /// True when this role is at least `required`: each role may do all that the roles
    /// before it in [`Role::ALL`] may.
    pub fn allows(self, required: Role) -> bool {
        self.rank() >= required.rank()
    }

    fn rank(self) -> u8 {
        match self {
            Role::Lezer => 0,
            Role::Postlezer => 1,
            Role::Beheerder => 2,
        }
    }
}

/// The signed-in user as the pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub email: String,
    pub role: Role,
}

impl SessionUser {
    /// True when this user may change mailboxes (the UI shows mutating controls).
    pub fn can_change(&self) -> bool {
        self.role == Role::Beheerder
    }

    /// True when this user may read fetched mail (the pages link to it).
    pub fn can_read_mail(&self) -> bool {
        self.role.allows(Access::ReadMail.required_role())
    }
}

/// Why a sign-in page is shown again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInError {
    /// Wrong e-mail address or password (one message for both).
    Rejected,
    /// Too many failures for this account or address: locked for a while.
    Throttled,
    /// Every password-check slot stayed busy: try again in a moment.
    Busy,
}

impl SignInError {
    /// The value of [`ERROR_PARAM`].
    pub fn param(self) -> &'static str {
        match self {
            SignInError::Rejected => "onjuist",
            SignInError::Throttled => "te-veel",
            SignInError::Busy => "druk",
        }
    }

    /// Parses [`ERROR_PARAM`]; anything unknown reads as a plain rejection.
    pub fn from_param(value: &str) -> SignInError {
        match value {
            "te-veel" => SignInError::Throttled,
            "druk" => SignInError::Busy,
            _ => SignInError::Rejected,
        }
    }
}

/// The role a server function requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads settings and diagnostics: any signed-in user.
    Read,
    /// Reads fetched mail (bodies, attachments): `postlezer` and `beheerder`.
    ReadMail,
    /// Changes something: `beheerder` only.
    Change,
}

impl Access {
    /// The least role allowed.
    pub fn required_role(self) -> Role {
        match self {
            Access::Read => Role::Lezer,
            Access::ReadMail => Role::Postlezer,
            Access::Change => Role::Beheerder,
        }
    }
}

/// EVERY server function with what it requires, by path. The edge refuses a server
/// function missing here, and the access test fails on it: a new server function must be
/// classified before it can be called.
pub const SERVER_FUNCTIONS: &[(&str, Access)] = &[
    ("/api/get_site_info", Access::Read),
    ("/api/get_session_user", Access::Read),
    ("/api/list_mailboxes", Access::Read),
    ("/api/get_mailbox_form", Access::Read),
    ("/api/list_audit_log", Access::Read),
    ("/api/save_mailbox", Access::Change),
    ("/api/delete_mailbox", Access::Change),
    ("/api/start_microsoft_login", Access::Change),
    ("/api/grant_admin_consent", Access::Change),
    ("/api/test_app_registration", Access::Change),
    ("/api/switch_connection_method", Access::Change),
    ("/api/switch_to_microsoft_api", Access::Change),
    ("/api/list_connection_history", Access::Read),
    ("/api/list_mail_messages", Access::ReadMail),
    ("/api/get_mail_message", Access::ReadMail),
    ("/api/get_mail_status", Access::Read),
    ("/api/list_mail_summaries", Access::Read),
    ("/api/fetch_mail_now", Access::Change),
    ("/api/send_test_mail", Access::Change),
    ("/api/list_app_registrations", Access::Read),
    ("/api/set_credential_expiry", Access::Change),
    ("/api/add_app_secret", Access::Change),
    ("/api/make_app_certificate", Access::Change),
    ("/api/check_app_credential", Access::Change),
    ("/api/use_app_credential", Access::Change),
    ("/api/remove_app_credential", Access::Change),
    ("/api/delete_app_registration", Access::Change),
    ("/api/rename_app_registration", Access::Change),
    ("/api/get_setup_start", Access::Read),
    ("/api/get_setup", Access::Read),
    ("/api/setup_tenant", Access::Change),
    ("/api/setup_app", Access::Change),
    ("/api/setup_consent", Access::Change),
    ("/api/setup_skip_consent", Access::Change),
    ("/api/setup_scope", Access::Change),
    ("/api/setup_mailboxes", Access::Change),
];

/// What the server function at `path` requires; None for a path not classified.
pub fn server_function_access(path: &str) -> Option<Access> {
    SERVER_FUNCTIONS
        .iter()
        .find(|(known, _)| *known == path)
        .map(|(_, access)| *access)
}

/// What a page (or file route) at `path` requires: the fetched mail under
/// `/instellingen/mailboxen/{id}/berichten` (messages and their attachments) needs
/// [`Access::ReadMail`]; every other page shows settings or diagnostics. Empty segments
/// are skipped (`//`), as a router may; the mail pages' server functions check the role
/// again, so a spelling this misses still shows no mail.
pub fn page_access(path: &str) -> Access {
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    let mail = segments.next() == Some("instellingen")
        && segments.next() == Some("mailboxen")
        && segments.next().is_some()
        && segments.next() == Some("berichten");
    if mail {
        Access::ReadMail
    } else {
        Access::Read
    }
}

/// `candidate` when it is a path of this site to return to after signing in; None for
/// anything that could lead elsewhere (`//host`, `/\host`, `https://…`) or back to the
/// sign-in page.
pub fn safe_next_path(candidate: &str) -> Option<&str> {
    let internal = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.contains('\\')
        && !candidate.chars().any(char::is_control);
    let path = candidate.split(['?', '#']).next().unwrap_or_default();
    let loops = path == SIGN_IN_PATH || path == SIGN_OUT_PATH;
    (internal && !loops).then_some(candidate)
}

/// The sign-in page that returns to `next` afterwards.
pub fn sign_in_url(next: &str) -> String {
    match safe_next_path(next) {
        Some(next) if next != DEFAULT_NEXT => {
            format!("{SIGN_IN_PATH}?{NEXT_PARAM}={}", encode_query_value(next))
        }
        _ => SIGN_IN_PATH.to_string(),
    }
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn encode_query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
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
    fn only_internal_paths_are_returned_to() {
        for good in [
            "/",
            "/instellingen/mailboxen/3",
            "/instellingen/mailboxen?naam=a%2Fb",
        ] {
            assert_eq!(safe_next_path(good), Some(good), "{good}");
        }
        for bad in [
            "",
            "instellingen",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/x\ny",
            "/inloggen",
            "/inloggen?next=/x",
            "/uitloggen",
        ] {
            assert_eq!(safe_next_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_sign_in_url_carries_the_path_encoded() {
        assert_eq!(
            sign_in_url("/instellingen/mailboxen/3?opgeslagen=1"),
            "/inloggen?next=/instellingen/mailboxen/3%3Fopgeslagen%3D1"
        );
        assert_eq!(sign_in_url(DEFAULT_NEXT), "/inloggen");
        assert_eq!(sign_in_url("//evil.example"), "/inloggen");
    }

    #[test]
    fn roles_and_classification() {
        assert!(Role::Beheerder.allows(Role::Beheerder) && Role::Beheerder.allows(Role::Lezer));
        assert!(Role::Lezer.allows(Role::Lezer) && !Role::Lezer.allows(Role::Beheerder));
        assert_eq!(Role::parse("lezer"), Some(Role::Lezer));
        assert_eq!(Role::parse("admin"), None);
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert!(Role::Postlezer.allows(Role::Lezer) && !Role::Postlezer.allows(Role::Beheerder));
        assert!(!Role::Lezer.allows(Role::Postlezer) && Role::Beheerder.allows(Role::Postlezer));
        assert_eq!(
            server_function_access("/api/get_mail_message"),
            Some(Access::ReadMail)
        );
        assert_eq!(
            server_function_access("/api/save_mailbox"),
            Some(Access::Change)
        );
        assert_eq!(server_function_access("/api/unknown"), None);
        for error in [
            SignInError::Rejected,
            SignInError::Throttled,
            SignInError::Busy,
        ] {
            assert_eq!(SignInError::from_param(error.param()), error);
        }
    }

    #[test]
    fn the_fetched_mail_needs_the_mail_permission() {
        for mail in [
            "/instellingen/mailboxen/3/berichten",
            "/instellingen/mailboxen/3/berichten/",
            "/instellingen/mailboxen/3/berichten/9",
            "/instellingen/mailboxen/3/berichten/9/bijlagen/4",
            "//instellingen//mailboxen/3//berichten",
        ] {
            assert_eq!(page_access(mail), Access::ReadMail, "{mail}");
        }
        for settings in [
            "/instellingen/mailboxen",
            "/instellingen/mailboxen/nieuw",
            "/instellingen/mailboxen/3",
            "/instellingen/mailboxen/3/geschiedenis",
            "/api/oauth/ms-azure/callback",
            "/",
        ] {
            assert_eq!(page_access(settings), Access::Read, "{settings}");
        }
    }
}
