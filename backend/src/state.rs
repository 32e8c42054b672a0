//! The one `AppState` every use case, server function and route reaches.

use sea_orm::DatabaseConnection;

use super::auth::sign_in::AuthPolicy;
use super::cipher::Cipher;
use super::form_attempts::FormAttempts;
use super::outgoing::AppTokens;

/// Where Microsoft lives. Tests and demo mode point both at the fake Microsoft server.
#[derive(Clone, Debug)]
pub struct MicrosoftEndpoints {
    /// `MICROSOFT_LOGIN_URL`, without trailing slash.
    pub login_url: String,
    /// `MICROSOFT_GRAPH_URL`, without trailing slash.
    pub graph_url: String,
    /// `MICROSOFT_HTTP_TIMEOUT_SECS`: the limit on every request to Microsoft.
    pub http_timeout: std::time::Duration,
}

impl MicrosoftEndpoints {
    pub const REAL_LOGIN_URL: &'static str = "https://login.microsoftonline.com";
    pub const REAL_GRAPH_URL: &'static str = "https://graph.microsoft.com";

    /// True when either endpoint is not Microsoft's own: the UI then shows a banner.
    pub fn is_fake(&self) -> bool {
        self.login_url != Self::REAL_LOGIN_URL || self.graph_url != Self::REAL_GRAPH_URL
    }
}

/// Shared server state: cheap to clone (the connection is a pool).
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub microsoft: MicrosoftEndpoints,
    /// `PUBLIC_BASE_URL`, without trailing slash.
    pub public_base_url: String,
    /// For every call to Microsoft: timeouts, redirects disabled
    /// ([`crate::microsoft::identity::token_client::http_client`]).
    pub http: reqwest::Client,
    /// Encrypts secrets at rest (`ENCRYPTION_KEY`, `ENCRYPTION_KEY_PREVIOUS`).
    pub cipher: Cipher,
    /// Failed saves without JavaScript, for the page they redirect to.
    pub form_attempts: FormAttempts,
    /// Session lifetimes, sign-in throttling and the cookie's `Secure` flag.
    pub auth: AuthPolicy,
    /// App-only Graph tokens for sending mail, per app registration (never logged).
    pub app_tokens: AppTokens,
    /// Incoming mail: schedule, limits, retries (`MAIL_*`).
    pub mail: super::mail::MailSettings,
    /// In demo mode only: the account the sign-in page names.
    pub demo_account: Option<rules::site::DemoAccount>,
    /// `TIME_ZONE`: the zone the screens (and the test mail) show times in.
    pub time_zone: rules::time::Tz,
}

impl AppState {
    /// `{PUBLIC_BASE_URL}/api/oauth/ms-azure/callback`: what must be registered in Azure.
    pub fn redirect_uri(&self) -> String {
        format!("{}/api/oauth/ms-azure/callback", self.public_base_url)
    }
}
