//! What the mailbox page shows and asks about the mailbox's connection with Microsoft:
//! pure types shared by server and browser. Nothing here carries a token, code or verifier.

use serde::{Deserialize, Serialize};

use crate::i18n::ConnectMsg;

/// The delegated Graph scopes a mailbox is connected with, besides `openid profile
/// offline_access`. `Mail.ReadWrite` (which includes reading) because fetching incoming
/// mail reads the inbox and "Zet email als gelezen op server" marks messages read
/// (`PATCH …/messages/{id}`). No `User.Read`: the account is verified from the id_token's
/// `oid`. No `Mail.Send`: sending uses the app's own (application) permission, as in
/// Econobis. No `.Shared` scopes: every mailbox signs in as its own user.
pub const GRAPH_MAIL_SCOPE: &str = "https://graph.microsoft.com/Mail.ReadWrite";

/// Which Microsoft screen the sign-in starts with (`prompt`). Never `consent`
/// (MICROSOFT.md §2: it causes endless "Need admin approval" loops).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectPrompt {
    /// "Verbinden" and "Account opnieuw kiezen": the account picker.
    #[default]
    SelectAccount,
    /// "Forceer reconnect": always ask for the password.
    Login,
}

impl ConnectPrompt {
    /// The `prompt` value sent to Microsoft.
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectPrompt::SelectAccount => "select_account",
            ConnectPrompt::Login => "login",
        }
    }

    /// Parses a stored or posted value.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "select_account" => Some(ConnectPrompt::SelectAccount),
            "login" => Some(ConnectPrompt::Login),
            _ => None,
        }
    }
}

/// The answer of `start_microsoft_login` and `grant_admin_consent` to the hydrated page
/// (without JavaScript the browser gets a 303 to Microsoft instead).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StartOutcome {
    /// Go to Microsoft.
    Redirect { url: String },
    /// The mailbox has no Microsoft Azure api instellingen (or no client secret).
    NotConfigured,
    /// No such mailbox.
    NotFound,
}

/// The connection as the mailbox page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionView {
    /// Tokens are stored and no reconnect is needed.
    pub connected: bool,
    /// Tokens are stored but no longer usable (or the settings changed).
    pub reconnect_needed: bool,
    /// The account that signed in.
    pub signed_in_upn: Option<String>,
    /// When it was connected, RFC 3339.
    pub connected_at: Option<String>,
    /// The latest attempt, when it did not succeed.
    pub last_problem: Option<AttemptProblem>,
}

/// A failed (or abandoned) attempt, with what support needs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptProblem {
    /// The attempt's id: the operation id support can search the log for.
    pub attempt_id: i32,
    /// `connect`, `refresh` or `admin_consent`.
    pub kind: String,
    /// The attempt's outcome code (`denied`, `token_failed`, `wrong_account`, `expired`, …).
    pub outcome: String,
    /// When it started, RFC 3339.
    pub at: String,
    /// Microsoft's `error` (e.g. `invalid_grant`).
    pub error: Option<String>,
    /// The AADSTS number.
    pub aadsts: Option<u32>,
    /// Microsoft's own description.
    pub error_description: Option<String>,
    pub trace_id: Option<String>,
    pub correlation_id: Option<String>,
    /// Microsoft's timestamp of the error.
    pub timestamp: Option<String>,
    /// Who signed in instead, on a wrong account.
    pub signed_in_upn: Option<String>,
}

/// The advice for a failed attempt (MICROSOFT.md §7): by AADSTS code first, then by
/// Microsoft's `error`, then by how the attempt ended.
pub fn advice(aadsts: Option<u32>, error: Option<&str>, outcome: &str) -> Option<ConnectMsg> {
    use ConnectMsg::*;
    let by_code = aadsts.and_then(|code| {
        Some(match code {
            50011 | 500113 | 900971 | 500112 => AdviceRedirectUri,
            9002325 => AdviceSpa,
            700016 => AdviceAppNotFound,
            90002 | 900023 | 90112 | 50194 | 700005 => AdviceTenant,
            7000215 | 7000218 => AdviceSecretValue,
            7000222 => AdviceSecretExpired,
            65001 | 65004 | 90094 | 90095 => AdviceConsent,
            650057 | 650056 | 65005 => AdvicePermission,
            50020 => AdviceOtherTenant,
            50105 => AdviceNotAssigned,
            53003 => AdviceConditionalAccess,
            50076 | 50078 | 50079 | 70008 | 700082 | 50173 | 70043 | 50058 => AdviceReconnect,
            54005 => AdviceCodeReused,
            _ => return None,
        })
    });
    let by_error = || match error? {
        "access_denied" => Some(AdviceCancelled),
        "server_error"
        | "temporarily_unavailable"
        | "timeout"
        | "unreachable"
        | "malformed_response" => Some(AdviceTransient),
        "invalid_grant" => Some(AdviceStartAgain),
        _ => None,
    };
    let by_outcome = || match outcome {
        "wrong_account" => Some(AdviceWrongAccount),
        "expired" => Some(AdviceAbandoned),
        _ => None,
    };
    by_code.or_else(by_error).or_else(by_outcome)
}

/// `https://login.microsoftonline.com/error?code=<n>`: Microsoft's page on an AADSTS code.
pub fn aadsts_lookup_url(code: u32) -> String {
    format!("https://login.microsoftonline.com/error?code={code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_are_select_account_or_login_only() {
        assert_eq!(ConnectPrompt::default().as_str(), "select_account");
        assert_eq!(ConnectPrompt::Login.as_str(), "login");
        assert_eq!(ConnectPrompt::parse("login"), Some(ConnectPrompt::Login));
        assert_eq!(ConnectPrompt::parse("consent"), None);
        assert_eq!(ConnectPrompt::parse("none"), None);
    }

    #[test]
    fn advice_follows_code_then_error_then_outcome() {
        use ConnectMsg::*;
        assert_eq!(
            advice(Some(50173), Some("invalid_grant"), "token_failed"),
            Some(AdviceReconnect)
        );
        assert_eq!(
            advice(Some(54005), Some("invalid_grant"), "token_failed"),
            Some(AdviceCodeReused)
        );
        assert_eq!(
            advice(None, Some("access_denied"), "denied"),
            Some(AdviceCancelled)
        );
        assert_eq!(
            advice(None, Some("timeout"), "unreachable"),
            Some(AdviceTransient)
        );
        assert_eq!(
            advice(None, Some("wrong_account"), "wrong_account"),
            Some(AdviceWrongAccount)
        );
        assert_eq!(advice(None, None, "expired"), Some(AdviceAbandoned));
        assert_eq!(advice(Some(1), Some("x"), "y"), None);
    }

    #[test]
    fn lookup_links_name_the_code() {
        assert_eq!(
            aadsts_lookup_url(50020),
            "https://login.microsoftonline.com/error?code=50020"
        );
    }
}
