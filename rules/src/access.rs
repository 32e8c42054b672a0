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
    /// May view and change mailboxes.
    Beheerder,
    /// May view settings and diagnostics, never change them.
    Lezer,
}

impl Role {
    /// The stored and command-line name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Beheerder => "beheerder",
            Role::Lezer => "lezer",
        }
    }

    /// Parses the stored and command-line name.
    pub fn parse(text: &str) -> Option<Role> {
        match text.trim() {
            "beheerder" => Some(Role::Beheerder),
            "lezer" => Some(Role::Lezer),
            _ => None,
        }
    }

    /// True when this role is at least `required`.
    pub fn allows(self, required: Role) -> bool {
        self == Role::Beheerder || required == Role::Lezer
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
}

/// Why a sign-in page is shown again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInError {
    /// Wrong e-mail address or password (one message for both).
    Rejected,
    /// Too many failures for this account or address: locked for a while.
    Throttled,
}

impl SignInError {
    /// The value of [`ERROR_PARAM`].
    pub fn param(self) -> &'static str {
        match self {
            SignInError::Rejected => "onjuist",
            SignInError::Throttled => "te-veel",
        }
    }

    /// Parses [`ERROR_PARAM`]; anything unknown reads as a plain rejection.
    pub fn from_param(value: &str) -> SignInError {
        match value {
            "te-veel" => SignInError::Throttled,
            _ => SignInError::Rejected,
        }
    }
}

/// The role a server function requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads only: any signed-in user.
    Read,
    /// Changes something: `beheerder` only.
    Change,
}

impl Access {
    /// The least role allowed.
    pub fn required_role(self) -> Role {
        match self {
            Access::Read => Role::Lezer,
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
    ("/api/list_connection_history", Access::Read),
    ("/api/list_mail_messages", Access::Read),
    ("/api/get_mail_message", Access::Read),
    ("/api/get_mail_status", Access::Read),
    ("/api/list_mail_summaries", Access::Read),
    ("/api/fetch_mail_now", Access::Change),
    ("/api/send_test_mail", Access::Change),
];

/// What the server function at `path` requires; None for a path not classified.
pub fn server_function_access(path: &str) -> Option<Access> {
    SERVER_FUNCTIONS
        .iter()
        .find(|(known, _)| *known == path)
        .map(|(_, access)| *access)
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
        assert_eq!(
            server_function_access("/api/save_mailbox"),
            Some(Access::Change)
        );
        assert_eq!(server_function_access("/api/unknown"), None);
        assert_eq!(SignInError::from_param("te-veel"), SignInError::Throttled);
    }
}
