//! The interactive sign-in: which page comes next for a flow (account picker, password,
//! consent) given the browser's signed-in accounts and the directory. Pure decisions; the
//! HTTP layer renders them.

mod steps;

pub use steps::{after_sign_in, check_password, first_step};

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::aadsts;
use super::authorize::{AdminConsentRequest, AuthorizeRequest, Prompt};
use super::error::AadError;
use super::redirect::ErrorRedirect;
use crate::directory::TenantScope;

/// What the sign-in is for.
#[derive(Debug, Clone)]
pub enum FlowKind {
    /// An authorization code request.
    Authorize(AuthorizeRequest),
    /// Tenant-wide admin consent.
    AdminConsent(AdminConsentRequest),
}

/// One browser's walk through the sign-in pages, identified by an opaque ID in the forms.
#[derive(Debug, Clone)]
pub struct SignInFlow {
    /// The request being served.
    pub kind: FlowKind,
    /// Set once the user accepted the consent page (so `prompt=consent` asks only once).
    pub consented: bool,
    /// The user a consent page is being shown to.
    pub consenting_user: Option<Uuid>,
    /// When the flow started.
    pub started_at: DateTime<Utc>,
}

/// The fake's signed-in browser session (cookie `fake_ms_session`).
#[derive(Debug, Clone)]
pub struct BrowserSession {
    /// Signed-in accounts, most recent last.
    pub accounts: Vec<Uuid>,
    /// The `session_state` GUID sent with codes.
    pub session_state: Uuid,
}

/// Sessions and flows in progress.
#[derive(Debug, Default)]
pub struct SignInState {
    /// Sessions by cookie value.
    pub sessions: HashMap<String, BrowserSession>,
    /// Flows by ID.
    pub flows: HashMap<String, SignInFlow>,
}

/// The next thing the browser sees.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// The e-mail and password form.
    Login {
        /// Prefilled e-mail.
        login_hint: Option<String>,
        /// Inline error (wrong password, unknown account).
        error: Option<AadError>,
    },
    /// "Pick an account".
    Picker {
        /// Signed-in accounts to offer.
        accounts: Vec<Uuid>,
    },
    /// "Permissions requested" for a user.
    Consent {
        /// The signed-in user.
        user: Uuid,
    },
    /// "Permissions requested — accept for your organization".
    AdminConsent {
        /// The signed-in admin.
        user: Uuid,
    },
    /// Issue a code for this user and redirect.
    Complete {
        /// The signed-in user.
        user: Uuid,
    },
    /// Microsoft's error page.
    Page(AadError),
    /// Back to the redirect URI with an error.
    Redirect(Box<ErrorRedirect>),
}

impl FlowKind {
    fn prompt(&self) -> Prompt {
        match self {
            Self::Authorize(request) => request.prompt,
            Self::AdminConsent(_) => Prompt::SelectAccount,
        }
    }

    fn login_hint(&self) -> Option<&str> {
        match self {
            Self::Authorize(request) => request.login_hint.as_deref(),
            Self::AdminConsent(_) => None,
        }
    }

    fn tenant(&self) -> TenantScope {
        match self {
            Self::Authorize(request) => request.tenant,
            Self::AdminConsent(request) => request.tenant,
        }
    }

    fn client_id(&self) -> Uuid {
        match self {
            Self::Authorize(request) => request.client_id,
            Self::AdminConsent(request) => request.client_id,
        }
    }

    /// The error redirect for this flow (admin consent adds `admin_consent=True`).
    pub fn error_redirect(&self, error: AadError) -> ErrorRedirect {
        match self {
            Self::Authorize(r) => ErrorRedirect::new(&r.redirect_uri, r.state.clone(), error),
            Self::AdminConsent(r) => {
                let mut redirect = ErrorRedirect::new(&r.redirect_uri, r.state.clone(), error);
                redirect.admin_consent = true;
                redirect
            }
        }
    }

    /// The redirect for a user who cancels: `access_denied` with `error_subcode=cancel`.
    /// Microsoft sends the same for a declined consent (AADSTS65004); its sign-in page has no
    /// cancel button, so the fake's login cancel likely matches the consent one.
    pub fn cancel_redirect(&self) -> ErrorRedirect {
        let mut redirect = self.error_redirect(aadsts::consent_declined());
        redirect.subcode = Some("cancel");
        redirect
    }
}
