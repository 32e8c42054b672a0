//! What the mailbox page shows and asks about the mailbox's connection with Microsoft:
//! pure types shared by server and browser. Nothing here carries a token, code or verifier.

use serde::{Deserialize, Serialize};

use crate::advice::Advice;
use crate::passwordless::{AppPermission, ConnectionMethod, MethodReason};
use crate::preflight::PreflightReport;

/// The delegated Graph scopes a mailbox is connected with, besides `openid profile
/// offline_access`. `Mail.ReadWrite` (which includes reading) because fetching incoming
/// mail reads the inbox and "Zet email als gelezen op server" marks messages read
/// (`PATCH …/messages/{id}`). No `User.Read`: the account is verified from the id_token's
/// `oid`. No `Mail.Send`: sending uses the app's own (application) permission, as in
/// Econobis. No `.Shared` scopes: every mailbox signs in as its own user.
pub const GRAPH_MAIL_SCOPE: &str = "https://graph.microsoft.com/Mail.ReadWrite";

/// Which Microsoft screen the sign-in starts with (`prompt`). Never `consent`
/// (docs/microsoft.md §2: it causes endless "Need admin approval" loops).
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

/// The answer of `start_microsoft_login` and `grant_admin_consent` to a caller of the
/// server function. The page's buttons are plain forms: the browser gets a 303 to
/// Microsoft, or back to the mailbox page (with [`StartProblem`] in the query).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StartOutcome {
    /// Go to Microsoft.
    Redirect { url: String },
    /// The mailbox has no Microsoft Azure api instellingen (or no client secret).
    NotConfigured,
    /// No such mailbox.
    NotFound,
    /// "Test app-registratie" ran first and failed: the browser stays here (unless the
    /// admin presses "toch doorgaan").
    PreflightFailed { report: PreflightReport },
}

/// The answer of `test_app_registration`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TestOutcome {
    /// The checks run in the background; the mailbox page shows them as they finish.
    Started {
        attempt_id: i32,
    },
    /// The mailbox has no Microsoft Azure api instellingen (or no client secret).
    NotConfigured,
    NotFound,
}

/// Why a press on a connection button did not go ahead, carried in the query of the 303
/// back to the mailbox page (`?verbinden=…`); a failed preflight is shown from the stored
/// attempt instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartProblem {
    /// No Microsoft Azure api instellingen or no client secret stored.
    NotConfigured,
    /// The server could not start or test (database unavailable).
    Failed,
}

impl StartProblem {
    pub const PARAM: &'static str = "verbinden";

    pub fn param(self) -> &'static str {
        match self {
            StartProblem::NotConfigured => "niet-ingesteld",
            StartProblem::Failed => "mislukt",
        }
    }

    pub fn from_param(value: Option<&str>) -> Option<StartProblem> {
        match value? {
            "niet-ingesteld" => Some(StartProblem::NotConfigured),
            "mislukt" => Some(StartProblem::Failed),
            _ => None,
        }
    }
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
    /// The latest "Test app-registratie".
    pub preflight: Option<PreflightReport>,
    /// `{PUBLIC_BASE_URL}/api/oauth/ms-azure/callback`, for the technical details.
    pub redirect_uri: String,
    /// Signed in as the mailbox, or without its password (issue 18).
    #[serde(default)]
    pub method: ConnectionMethod,
    /// Why it has that method: chosen by an administrator, or by "Automatisch" on the
    /// save's preflight.
    #[serde(default)]
    pub method_reason: MethodReason,
    /// App-only: the permission in use, from the latest "Test app-registratie".
    #[serde(default)]
    pub permission: Option<AppPermission>,
}

/// A failed (or abandoned) attempt, with what support needs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptProblem {
    /// The attempt's id: the operation id support can search the log for.
    pub attempt_id: i32,
    /// `connect`, `refresh`, `admin_consent`, `preflight` or `callback`.
    pub kind: String,
    /// The attempt's outcome code (`denied`, `token_failed`, `wrong_account`, `failed`, …),
    /// or [`NOT_RETURNED`] / [`NOT_RETURNED_YET`] for a sign-in without callback.
    pub outcome: String,
    /// What to do, from the advice table; None: Microsoft's description is all there is.
    pub advice: Option<Advice>,
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

/// Outcome of a sign-in that went to Microsoft and had no callback within 10 minutes.
pub const NOT_RETURNED: &str = "expired";
/// Outcome of a sign-in still within its 10 minutes, while the admin is back on the
/// mailbox page without a callback.
pub const NOT_RETURNED_YET: &str = "not_returned";

/// Whether the mailbox page offers the switch to app-only with the advice about blocked
/// sign-in (issue 18): a mailbox signing in as itself, not connected, whose last sign-in
/// never came back or was never started. A blocked account gets AADSTS50057 on Microsoft's
/// own page only, so this app never sees the code. (A failed test that kept the sign-in
/// from starting has its own report, which says what to fix.)
pub fn sign_in_may_be_blocked(view: &ConnectionView) -> bool {
    if view.method != ConnectionMethod::Delegated || view.connected || view.reconnect_needed {
        return false;
    }
    match &view.last_problem {
        None => true,
        Some(problem) => [NOT_RETURNED, NOT_RETURNED_YET].contains(&problem.outcome.as_str()),
    }
}

impl AttemptProblem {
    /// Microsoft's code for the Status column: `AADSTS7000215`, else the error or Graph code.
    pub fn code(&self) -> Option<String> {
        match (self.aadsts, &self.error) {
            (Some(code), _) => Some(format!("AADSTS{code}")),
            (None, Some(error)) => Some(error.clone()),
            (None, None) => None,
        }
    }

    /// Went to Microsoft and never came back (yet).
    pub fn not_returned(&self) -> bool {
        self.outcome == NOT_RETURNED || self.outcome == NOT_RETURNED_YET
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocked_sign_in_is_suggested_when_signing_in_never_came_back_or_never_started() {
        let problem = |kind: &str, outcome: &str| AttemptProblem {
            kind: kind.into(),
            outcome: outcome.into(),
            ..AttemptProblem::default()
        };
        let view = |last_problem| ConnectionView {
            last_problem,
            ..ConnectionView::default()
        };
        assert!(sign_in_may_be_blocked(&view(None)), "never started");
        assert!(sign_in_may_be_blocked(&view(Some(problem(
            "connect",
            NOT_RETURNED
        )))));
        assert!(sign_in_may_be_blocked(&view(Some(problem(
            "connect",
            NOT_RETURNED_YET
        )))));
        // A failed test kept the sign-in from starting: its own report explains why.
        assert!(!sign_in_may_be_blocked(&view(Some(problem(
            "preflight",
            "failed"
        )))));
        // Microsoft answered: its own advice says what happened.
        assert!(!sign_in_may_be_blocked(&view(Some(problem(
            "connect", "denied"
        )))));
        assert!(!sign_in_may_be_blocked(&view(Some(problem(
            "connect",
            "wrong_address"
        )))));
        let connected = ConnectionView {
            connected: true,
            ..view(None)
        };
        assert!(!sign_in_may_be_blocked(&connected));
        let app_only = ConnectionView {
            method: ConnectionMethod::AppOnly,
            ..view(None)
        };
        assert!(!sign_in_may_be_blocked(&app_only));
    }

    #[test]
    fn prompts_are_select_account_or_login_only() {
        assert_eq!(ConnectPrompt::default().as_str(), "select_account");
        assert_eq!(ConnectPrompt::Login.as_str(), "login");
        assert_eq!(ConnectPrompt::parse("login"), Some(ConnectPrompt::Login));
        assert_eq!(ConnectPrompt::parse("consent"), None);
        assert_eq!(ConnectPrompt::parse("none"), None);
    }

    #[test]
    fn start_problems_survive_the_query() {
        for problem in [StartProblem::NotConfigured, StartProblem::Failed] {
            assert_eq!(
                StartProblem::from_param(Some(problem.param())),
                Some(problem)
            );
        }
        assert_eq!(StartProblem::from_param(Some("x")), None);
        assert_eq!(StartProblem::from_param(None), None);
    }
}
