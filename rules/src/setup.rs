//! "Microsoft 365 koppelen" (issue 19): the guided setup that replaces the manual's first
//! chapter. Six steps, each checked against Microsoft before the next opens; where a setup
//! stands is derived from its records (the checks stored with it, its app registration's
//! credentials, the mailboxes made), so it can be left and resumed. Pure: the checks run in
//! `backend::flows::setup`.

use serde::{Deserialize, Serialize};

use crate::app_registrations::RegistrationView;
use crate::passwordless::SCOPE_NAME;
use crate::preflight::{CheckResult, Verdict};
use crate::time::Shown;
use crate::validation::check_email;

pub mod answer;

/// The setup's start page; a setup's own page is `{SETUP_PATH}/{id}`.
pub const SETUP_PATH: &str = "/instellingen/microsoft-365-koppelen";

/// The name the setup suggests for the app in Azure.
pub const SUGGESTED_APP_NAME: &str = "CRM mailboxen";

/// At most this many addresses in one setup: each is checked with a Graph request.
pub const MAX_ADDRESSES: usize = 50;

/// The setup's page.
pub fn setup_path(id: i32) -> String {
    format!("{SETUP_PATH}/{id}")
}

/// `path` when it is a setup's page (`{SETUP_PATH}/{id}`): where a credential form of the
/// setup's step 3 returns to. Anything else (another site, another page) is refused.
pub fn setup_return(path: &str) -> Option<&str> {
    let id = path.strip_prefix(SETUP_PATH)?.strip_prefix('/')?;
    let digits = !id.is_empty() && id.len() <= 9 && id.bytes().all(|b| b.is_ascii_digit());
    digits.then_some(path)
}

/// The steps, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Step {
    /// The tenant exists (discovery).
    Tenant,
    /// The app is registered in that tenant.
    App,
    /// A certificate or secret Microsoft accepts.
    Credential,
    /// Admin consent for the application permissions (or access through Exchange RBAC only).
    Consent,
    /// The mailboxes the CRM may read are reachable, and only those.
    Scope,
    /// The mailboxes added by address.
    Mailboxes,
    /// Every step holds.
    Done,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Tenant,
        Step::App,
        Step::Credential,
        Step::Consent,
        Step::Scope,
        Step::Mailboxes,
    ];

    /// Its number on the page (1–6).
    pub fn number(self) -> usize {
        Step::ALL
            .iter()
            .position(|s| *s == self)
            .map_or(7, |i| i + 1)
    }

    /// Its name in test ids and anchors.
    pub fn name(self) -> &'static str {
        match self {
            Step::Tenant => "tenant",
            Step::App => "app",
            Step::Credential => "credential",
            Step::Consent => "consent",
            Step::Scope => "scope",
            Step::Mailboxes => "mailboxes",
            Step::Done => "done",
        }
    }
}

/// One check as it was run: when, and its rows (the scope check has one row per address
/// and one for the reach).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepCheck {
    /// RFC 3339.
    pub at: String,
    pub results: Vec<CheckResult>,
}

impl StepCheck {
    /// Every row passed (a warning lets the admin go on: it works, and says what to tighten).
    pub fn holds(&self) -> bool {
        !self.results.is_empty()
            && self
                .results
                .iter()
                .all(|r| matches!(r.verdict, Verdict::Passed | Verdict::Warning))
    }
}

/// The checks stored with a setup (JSON in its row): the latest run of each.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupChecks {
    #[serde(default)]
    pub tenant: Option<StepCheck>,
    #[serde(default)]
    pub app: Option<StepCheck>,
    #[serde(default)]
    pub consent: Option<StepCheck>,
    /// The admin chose Exchange RBAC only: no Entra application permissions to consent to.
    #[serde(default)]
    pub consent_skipped: bool,
    #[serde(default)]
    pub scope: Option<StepCheck>,
    /// The app's service principal in the tenant (the app-only token's `oid`), for the
    /// scoping script.
    #[serde(default)]
    pub service_principal_id: Option<String>,
}

/// What decides where a setup stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub tenant: bool,
    pub app: bool,
    /// A credential of the registration that Microsoft accepted.
    pub credential: bool,
    pub consent: bool,
    pub scope: bool,
    /// Every checked address has its mailbox.
    pub mailboxes: bool,
}

impl Progress {
    /// The first step that does not hold yet: the one the page opens.
    pub fn current(self) -> Step {
        let done = [
            self.tenant,
            self.app,
            self.credential,
            self.consent,
            self.scope,
            self.mailboxes,
        ];
        done.iter()
            .position(|d| !d)
            .map_or(Step::Done, |i| Step::ALL[i])
    }
}

/// One address of the scope step, and its mailbox once added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressView {
    pub address: String,
    /// The scope check reached its inbox.
    pub reachable: bool,
    /// The CRM's mailbox with this address, once added.
    pub mailbox_id: Option<i32>,
}

/// A setup as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupView {
    pub id: i32,
    pub tenant_input: String,
    pub tenant_id: Option<String>,
    pub client_id: Option<String>,
    pub checks: SetupChecks,
    /// Its app registration with credentials (never their values) and mailboxes.
    pub registration: Option<RegistrationView>,
    pub addresses: Vec<AddressView>,
    pub current: Step,
    /// `{PUBLIC_BASE_URL}/api/oauth/ms-azure/callback`.
    pub redirect_uri: String,
    /// The PowerShell that limits the app to the addresses (once they are known).
    pub scope_script: Option<String>,
    pub updated: Shown,
    /// The signed-in user may run the steps (`beheerder`); others see where it stands.
    #[serde(default)]
    pub can_change: bool,
}

/// An unfinished setup on the start page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupSummary {
    pub id: i32,
    pub tenant_input: String,
    pub current: Step,
    pub updated: Shown,
}

/// The start page: the setups not done yet, and whether the user may change things.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupStart {
    pub unfinished: Vec<SetupSummary>,
    pub can_change: bool,
}

/// Why the typed addresses were not taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddressError {
    None,
    /// This one is not an e-mail address.
    Invalid(String),
    TooMany,
}

/// The addresses typed one per line (commas, semicolons and spaces separate too), trimmed,
/// lower-cased for comparison and without repeats, in the order typed.
pub fn parse_addresses(text: &str) -> Result<Vec<String>, AddressError> {
    let mut found: Vec<String> = Vec::new();
    for word in text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        let word = word.trim_matches(|c| c == '<' || c == '>');
        if check_email(word).is_err() {
            return Err(AddressError::Invalid(word.chars().take(100).collect()));
        }
        if !found.iter().any(|f| f.eq_ignore_ascii_case(word)) {
            found.push(word.to_ascii_lowercase());
        }
        if found.len() > MAX_ADDRESSES {
            return Err(AddressError::TooMany);
        }
    }
    if found.is_empty() {
        return Err(AddressError::None);
    }
    Ok(found)
}

/// Exchange Online PowerShell that limits the app to `addresses` (RBAC for Applications:
/// one management scope holding exactly these mailboxes, the read and send roles on it, a
/// check per mailbox), and the reminder to remove tenant-wide Entra permissions.
pub fn scope_script(app_id: &str, service_principal_id: &str, addresses: &[String]) -> String {
    let quote = |v: &str| v.replace('\'', "''");
    let app_id = quote(app_id);
    let sp = quote(service_principal_id);
    let filter = addresses
        .iter()
        .map(|a| format!("PrimarySmtpAddress -eq '{}'", quote(a)))
        .collect::<Vec<_>>()
        .join(" -or ");
    let tests = addresses
        .iter()
        .map(|a| {
            format!(
                "Test-ServicePrincipalAuthorization -Identity '{app_id}' -Resource '{}'\n",
                quote(a)
            )
        })
        .collect::<String>();
    format!(
        "Connect-ExchangeOnline\n\
         New-ServicePrincipal -AppId '{app_id}' -ObjectId '{sp}' -DisplayName '{SUGGESTED_APP_NAME}'\n\
         New-ManagementScope -Name '{SCOPE_NAME}' -RecipientRestrictionFilter \"{filter}\"\n\
         New-ManagementRoleAssignment -App '{app_id}' -Role 'Application Mail.ReadWrite' -CustomResourceScope '{SCOPE_NAME}'\n\
         New-ManagementRoleAssignment -App '{app_id}' -Role 'Application Mail.Send' -CustomResourceScope '{SCOPE_NAME}'\n\
         {tests}\
         # Daarna / then: Entra admin center > App registrations > API permissions:\n\
         # remove the Application permissions Mail.* (Remove permission), so only the scope applies.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_step_that_does_not_hold_is_current() {
        assert_eq!(Progress::default().current(), Step::Tenant);
        let up_to_consent = Progress {
            tenant: true,
            app: true,
            credential: true,
            ..Progress::default()
        };
        assert_eq!(up_to_consent.current(), Step::Consent);
        // A later step holding does not skip an earlier one.
        let gap = Progress {
            tenant: true,
            scope: true,
            ..Progress::default()
        };
        assert_eq!(gap.current(), Step::App);
        let all = Progress {
            tenant: true,
            app: true,
            credential: true,
            consent: true,
            scope: true,
            mailboxes: true,
        };
        assert_eq!(all.current(), Step::Done);
        assert_eq!(Step::Mailboxes.number(), 6);
    }

    #[test]
    fn only_a_setup_page_is_returned_to() {
        assert_eq!(
            setup_return("/instellingen/microsoft-365-koppelen/12"),
            Some("/instellingen/microsoft-365-koppelen/12")
        );
        for refused in [
            "",
            "/instellingen/microsoft-365-koppelen",
            "/instellingen/microsoft-365-koppelen/",
            "/instellingen/microsoft-365-koppelen/12?x=1",
            "/instellingen/microsoft-365-koppelen/12/../../x",
            "https://evil.example/instellingen/microsoft-365-koppelen/12",
            "//evil.example",
            "/instellingen/microsoft-365-koppelen/1234567890",
        ] {
            assert_eq!(setup_return(refused), None, "{refused}");
        }
    }

    #[test]
    fn addresses_are_split_checked_and_kept_once() {
        let typed =
            " Info@Example.org\nleden@example.org; info@example.org,<bestuur@example.org>\n\n";
        assert_eq!(
            parse_addresses(typed),
            Ok(vec![
                "info@example.org".to_string(),
                "leden@example.org".to_string(),
                "bestuur@example.org".to_string(),
            ])
        );
        assert_eq!(parse_addresses(" \n "), Err(AddressError::None));
        assert_eq!(
            parse_addresses("info@example.org\nniet-een-adres"),
            Err(AddressError::Invalid("niet-een-adres".into()))
        );
        let many = (0..=MAX_ADDRESSES)
            .map(|i| format!("m{i}@example.org"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(parse_addresses(&many), Err(AddressError::TooMany));
    }

    #[test]
    fn the_script_scopes_exactly_the_addresses_and_quotes_them() {
        let addresses = vec![
            "info@example.org".to_string(),
            "o'brien@example.org".to_string(),
        ];
        let script = scope_script("app-id", "sp-id", &addresses);
        assert!(script.contains(
            "-RecipientRestrictionFilter \"PrimarySmtpAddress -eq 'info@example.org' -or PrimarySmtpAddress -eq 'o''brien@example.org'\""
        ));
        assert!(script.contains("New-ServicePrincipal -AppId 'app-id' -ObjectId 'sp-id'"));
        assert_eq!(
            script.matches("Test-ServicePrincipalAuthorization").count(),
            2
        );
    }

    #[test]
    fn a_check_holds_when_every_row_passed_or_warns() {
        use crate::preflight::Check;
        let passed = CheckResult::passed(Check::Tenant, None);
        let mut warning = CheckResult::passed(Check::Scope, None);
        warning.verdict = Verdict::Warning;
        let check = |results| StepCheck {
            at: String::new(),
            results,
        };
        assert!(check(vec![passed.clone(), warning]).holds());
        assert!(!check(vec![passed, CheckResult::failed(Check::Mailbox, None)]).holds());
        assert!(!check(vec![]).holds());
    }
}
