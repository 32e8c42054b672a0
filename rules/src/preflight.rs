//! "Test app-registratie": the checks run against Microsoft before anyone is sent there
//! (docs/microsoft.md §6, preflight). Pure types shared by server and browser; the server runs
//! the checks (`server::preflight`) and stores each report as an attempt.

use serde::{Deserialize, Serialize};

use crate::advice::Advice;

/// One check, in the order they run and are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// The tenant exists (discovery); a domain is resolved to its GUID.
    Tenant,
    /// Client ID and secret are valid (a client-credentials token).
    Credentials,
    /// Application permissions granted and the Object ID's mailbox reachable.
    Mailbox,
    /// The redirect URI this deployment sends.
    RedirectUri,
    /// How far the app's own access reaches (issue 18): a tenant-wide mail role in the
    /// token's `roles` (a warning, with the PowerShell that scopes it), limited to
    /// designated mailboxes (Exchange RBAC for Applications), or this mailbox outside it.
    Scope,
    /// "Test verbinding" of an IMAP mailbox (issue 23): DNS, TCP, TLS (certificate name and
    /// validity), login, and the folder exists.
    Imap,
    /// "Test verbinding" of an SMTP mailbox: DNS, TCP, TLS, login.
    Smtp,
    /// The guided setup (issue 19): the app is registered in the tenant.
    App,
    /// The guided setup: admin consent for the application permissions (the token's `roles`).
    Consent,
}

/// How a check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Passed,
    Failed,
    /// Not run because an earlier check it needs failed.
    Skipped,
    /// Works, but needs attention (the app reaches every mailbox of the organisation).
    Warning,
}

/// The result of one check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    pub check: Check,
    pub verdict: Verdict,
    /// What to do (for a failure), chosen from the advice table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advice: Option<Advice>,
    /// What was found: the tenant's GUID, the redirect URI, or Microsoft's code
    /// (`AADSTS7000215`, `404 ErrorInvalidUser`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Microsoft's `error` (`invalid_client`), Graph's error code (`ErrorInvalidUser`), or
    /// this app's name for a request that got no answer (`timeout`, `unreachable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The AADSTS number, for the link to Microsoft's explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aadsts: Option<u32>,
    /// Microsoft's own description or Graph's message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Trace ID (identity) or request-id (Graph).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// Correlation ID (identity) or client-request-id (Graph).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// Microsoft's timestamp of the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Exchange Online PowerShell to run (the scope check), filled in with this app's IDs
    /// and this mailbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
}

impl CheckResult {
    pub fn passed(check: Check, detail: Option<String>) -> Self {
        CheckResult {
            check,
            verdict: Verdict::Passed,
            advice: None,
            detail,
            error: None,
            aadsts: None,
            description: None,
            trace_id: None,
            correlation_id: None,
            timestamp: None,
            script: None,
        }
    }

    pub fn skipped(check: Check) -> Self {
        CheckResult {
            verdict: Verdict::Skipped,
            ..Self::passed(check, None)
        }
    }

    pub fn failed(check: Check, advice: Option<Advice>) -> Self {
        CheckResult {
            verdict: Verdict::Failed,
            advice,
            ..Self::passed(check, None)
        }
    }
}

/// What the browser is sent to Microsoft for, which decides which failures stop it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Signing in for the mailbox's tokens: every check matters.
    Connect,
    /// Granting admin consent, which is what fixes missing permissions: only a tenant,
    /// app or redirect URI that Microsoft's consent page would reject stops it.
    AdminConsent,
}

/// A finished preflight, as stored on its attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreflightReport {
    /// The attempt it is stored as.
    pub attempt_id: i32,
    /// When it ran, RFC 3339.
    pub at: String,
    pub results: Vec<CheckResult>,
    /// Still under way: `results` holds the checks done so far.
    #[serde(default)]
    pub running: bool,
}

impl PreflightReport {
    /// The check under way while running: the first without a result.
    pub fn running_check(&self) -> Option<Check> {
        const ORDER: [Check; 5] = [
            Check::Tenant,
            Check::Credentials,
            Check::Mailbox,
            Check::RedirectUri,
            Check::Scope,
        ];
        self.running
            .then(|| ORDER.get(self.results.len()).copied())
            .flatten()
    }

    /// Every check passed (a warning is no failure).
    pub fn passed(&self) -> bool {
        !self.running
            && self
                .results
                .iter()
                .all(|r| matches!(r.verdict, Verdict::Passed | Verdict::Warning))
    }

    /// Whether the app reads the mailbox with its own token (issue 18): the mailbox check
    /// passed and the scope check did not find the mailbox outside the app's reach. What
    /// "Automatisch" connects a new mailbox without its password on.
    pub fn reads_mailbox_app_only(&self) -> bool {
        let verdict = |check| {
            self.results
                .iter()
                .find(|r| r.check == check)
                .map(|r| r.verdict)
        };
        !self.running
            && matches!(
                verdict(Check::Mailbox),
                Some(Verdict::Passed | Verdict::Warning)
            )
            && verdict(Check::Scope) != Some(Verdict::Failed)
    }

    /// The first failed check.
    pub fn first_failure(&self) -> Option<&CheckResult> {
        self.results.iter().find(|r| r.verdict == Verdict::Failed)
    }

    /// Whether this report keeps the browser from being sent to Microsoft for `purpose`
    /// (unless the admin presses "toch doorgaan").
    pub fn blocks(&self, purpose: Purpose) -> bool {
        self.results
            .iter()
            .filter(|r| r.verdict == Verdict::Failed)
            .any(|r| match purpose {
                Purpose::Connect => true,
                Purpose::AdminConsent => match r.check {
                    Check::Tenant | Check::RedirectUri => true,
                    Check::Credentials => matches!(
                        r.advice,
                        Some(
                            Advice::AppNotInTenant
                                | Advice::TenantNotFound
                                | Advice::ClientIdNotGuid
                        )
                    ),
                    Check::Mailbox
                    | Check::Scope
                    | Check::Imap
                    | Check::Smtp
                    | Check::App
                    | Check::Consent => false,
                },
            })
    }
}

/// Row 4: Microsoft accepts a Web redirect URI only over https, except on localhost.
pub fn redirect_uri_allowed(uri: &str) -> bool {
    let Some((scheme, rest)) = uri.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    match scheme.to_ascii_lowercase().as_str() {
        "https" => !host.is_empty(),
        "http" => matches!(
            host.to_ascii_lowercase().as_str(),
            "localhost" | "127.0.0.1" | "::1"
        ),
        _ => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
mod tests {
    use super::*;

    fn report(results: Vec<CheckResult>) -> PreflightReport {
        PreflightReport {
            attempt_id: 1,
            at: "2026-11-27T10:00:00Z".into(),
            results,
            running: false,
        }
    }

    #[test]
    fn a_running_report_names_the_check_under_way_and_has_not_passed() {
        let mut running = report(vec![CheckResult::skipped(Check::Tenant)]);
        running.results[0].verdict = Verdict::Passed;
        running.running = true;
        assert_eq!(running.running_check(), Some(Check::Credentials));
        assert!(!running.passed());
        running.running = false;
        assert_eq!(running.running_check(), None);
        assert!(running.passed());
    }

    #[test]
    fn app_only_reading_needs_the_mailbox_check_and_no_scope_refusal() {
        let with = |mailbox: Verdict, scope: Verdict| {
            let mut results = vec![
                CheckResult::passed(Check::Tenant, None),
                CheckResult::passed(Check::Mailbox, None),
                CheckResult::passed(Check::Scope, None),
            ];
            results[1].verdict = mailbox;
            results[2].verdict = scope;
            report(results)
        };
        assert!(with(Verdict::Passed, Verdict::Passed).reads_mailbox_app_only());
        // A tenant-wide grant reads the mailbox too; the page warns about it.
        assert!(with(Verdict::Passed, Verdict::Warning).reads_mailbox_app_only());
        assert!(!with(Verdict::Failed, Verdict::Failed).reads_mailbox_app_only());
        assert!(!with(Verdict::Skipped, Verdict::Skipped).reads_mailbox_app_only());
        assert!(!with(Verdict::Passed, Verdict::Failed).reads_mailbox_app_only());
        let mut running = with(Verdict::Passed, Verdict::Passed);
        running.running = true;
        assert!(!running.reads_mailbox_app_only());
        assert!(!report(vec![]).reads_mailbox_app_only());
    }

    #[test]
    fn redirect_uris_must_be_https_except_on_localhost() {
        assert!(redirect_uri_allowed(
            "https://crm.example.org/api/oauth/ms-azure/callback"
        ));
        assert!(redirect_uri_allowed(
            "http://localhost:3000/api/oauth/ms-azure/callback"
        ));
        assert!(redirect_uri_allowed("http://127.0.0.1:3100/api/x"));
        assert!(redirect_uri_allowed("http://[::1]:3000/api/x"));
        assert!(!redirect_uri_allowed(
            "http://crm.example.org/api/oauth/ms-azure/callback"
        ));
        assert!(!redirect_uri_allowed("http://localhost.evil.org/x"));
        assert!(!redirect_uri_allowed("ftp://localhost/x"));
        assert!(!redirect_uri_allowed("crm.example.org/callback"));
        assert!(!redirect_uri_allowed("https:///callback"));
    }

    #[test]
    fn any_failure_stops_a_sign_in_but_only_some_stop_an_admin_consent() {
        let missing_permission = report(vec![
            CheckResult::passed(Check::Tenant, None),
            CheckResult::passed(Check::Credentials, None),
            CheckResult::failed(Check::Mailbox, Some(Advice::GraphAccessDenied)),
            CheckResult::passed(Check::RedirectUri, None),
        ]);
        assert!(!missing_permission.passed());
        assert!(missing_permission.blocks(Purpose::Connect));
        assert!(!missing_permission.blocks(Purpose::AdminConsent));

        let wrong_secret = report(vec![
            CheckResult::passed(Check::Tenant, None),
            CheckResult::failed(Check::Credentials, Some(Advice::SecretWrong)),
            CheckResult::skipped(Check::Mailbox),
            CheckResult::passed(Check::RedirectUri, None),
        ]);
        assert!(wrong_secret.blocks(Purpose::Connect));
        assert!(!wrong_secret.blocks(Purpose::AdminConsent));

        let unknown_app = report(vec![
            CheckResult::passed(Check::Tenant, None),
            CheckResult::failed(Check::Credentials, Some(Advice::AppNotInTenant)),
            CheckResult::skipped(Check::Mailbox),
            CheckResult::passed(Check::RedirectUri, None),
        ]);
        assert!(unknown_app.blocks(Purpose::AdminConsent));
        assert_eq!(
            unknown_app.first_failure().unwrap().check,
            Check::Credentials
        );

        let all_good = report(vec![
            CheckResult::passed(Check::Tenant, None),
            CheckResult::passed(Check::Credentials, None),
            CheckResult::passed(Check::Mailbox, None),
            CheckResult::passed(Check::RedirectUri, None),
        ]);
        assert!(all_good.passed());
        assert!(!all_good.blocks(Purpose::Connect));
    }

    #[test]
    fn results_round_trip_through_their_stored_json() {
        let mut failed = CheckResult::failed(Check::Credentials, Some(Advice::SecretExpired));
        failed.aadsts = Some(7000222);
        failed.trace_id = Some("t".into());
        let json = serde_json::to_string(&failed).unwrap();
        assert!(json.contains("\"secret_expired\""), "{json}");
        assert_eq!(serde_json::from_str::<CheckResult>(&json).unwrap(), failed);
    }
}
