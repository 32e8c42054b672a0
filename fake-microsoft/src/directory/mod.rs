//! The directory the fake serves: tenants, their app registrations, users and mailboxes.
//!
//! The fixture file is this model serialized as JSON (see the crate README), so
//! `GET /admin/directory` and a fixture round-trip.

mod certificate;
mod fixture;
mod lookup;
mod mailbox;

pub use certificate::{upper_hex, ClientCertificate, ParsedCertificate};
pub use fixture::FixtureError;
pub use lookup::{TenantLookupError, TenantScope};
pub use mailbox::{Attachment, EmailAddress, Folder, Message, MessageBody, RemovedMessage};

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// All tenants the fake knows, and the change counter Graph delta queries rely on.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directory {
    /// The Entra ID tenants (directories).
    pub tenants: Vec<Tenant>,
    /// Last change sequence number handed to a message (drives delta queries).
    #[serde(skip)]
    pub change_counter: u64,
}

/// One Entra ID tenant.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    /// Directory (tenant) ID.
    pub id: Uuid,
    /// Organisation name, shown in error messages (AADSTS700016, 50020).
    pub display_name: String,
    /// Verified domains, e.g. `contoso.onmicrosoft.com`; accepted in place of the GUID.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Whether ordinary users may consent to apps; when false a missing consent shows
    /// AADSTS90094 ("Need admin approval") to non-admins.
    #[serde(default = "yes")]
    pub user_consent_allowed: bool,
    /// Users (members) of this tenant.
    #[serde(default)]
    pub users: Vec<User>,
    /// App registrations whose home is this tenant.
    #[serde(default)]
    pub applications: Vec<Application>,
}

/// A user, who signs in with UPN and password and may have an Exchange Online mailbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// Object ID: the Graph user `id` and the id_token `oid`.
    pub object_id: Uuid,
    /// Sign-in name, e.g. `info@contoso.onmicrosoft.com`.
    pub user_principal_name: String,
    /// Name shown on the sign-in pages and in the id_token `name` claim.
    pub display_name: String,
    /// Password for the fake's sign-in form.
    pub password: String,
    /// False: Graph mail calls answer 404 `MailboxNotEnabledForRESTAPI`.
    #[serde(default = "yes")]
    pub mailbox_enabled: bool,
    /// True: refresh tokens obtained without MFA fail with AADSTS50076.
    #[serde(default)]
    pub mfa_required: bool,
    /// "Block sign-in" (`accountEnabled: false`), as Microsoft advises for a shared
    /// mailbox's account: the sign-in page shows AADSTS50057 and refresh tokens fail with
    /// it; app-only Graph calls to the mailbox are unaffected (docs/microsoft.md §9).
    #[serde(default, skip_serializing_if = "is_false")]
    pub sign_in_blocked: bool,
    /// The primary SMTP address when it differs from the UPN (Graph's `mail`). Graph's
    /// `/users/{key}` takes the object ID or the UPN, not this address: addressed by it,
    /// mail calls answer 404 `ErrorInvalidUser` (docs/microsoft.md §9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<String>,
    /// A Global Administrator, who may grant tenant-wide admin consent.
    #[serde(default)]
    pub admin: bool,
    /// Tokens issued before this instant are revoked (AADSTS50173), as after a password reset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens_valid_from: Option<DateTime<Utc>>,
    /// The mailbox: Inbox and Sent Items messages.
    #[serde(default)]
    pub messages: Vec<Message>,
    /// Messages deleted or moved since load, reported as `@removed` by delta queries.
    #[serde(skip)]
    pub removed_messages: Vec<RemovedMessage>,
}

/// An app registration (and its service principal in the home tenant).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// Application (client) ID.
    pub client_id: Uuid,
    /// Display name, shown on consent pages and in errors.
    pub display_name: String,
    /// "Accounts in any organizational directory": usable on `/common` and other tenants.
    #[serde(default)]
    pub multitenant: bool,
    /// Client secrets.
    #[serde(default)]
    pub secrets: Vec<ClientSecret>,
    /// Uploaded certificates (client assertions); several at once during a rotation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<ClientCertificate>,
    /// Registered redirect URIs and their platform.
    #[serde(default)]
    pub redirect_uris: Vec<RedirectUri>,
    /// Graph application permissions (app roles) configured, e.g. `Mail.Read`.
    #[serde(default)]
    pub application_permissions: Vec<String>,
    /// Whether an admin granted consent for the application permissions in the home tenant.
    #[serde(default)]
    pub admin_consent_granted: bool,
    /// Other tenants where an admin granted consent (multitenant apps).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admin_consent_other_tenants: Vec<Uuid>,
    /// Delegated consent per user: user object ID → consented scopes (e.g. `Mail.Read`,
    /// `offline_access`).
    #[serde(default)]
    pub delegated_consents: BTreeMap<Uuid, Vec<String>>,
    /// "Assignment required": only `assigned_users` may sign in (else AADSTS50105).
    #[serde(default)]
    pub assignment_required: bool,
    /// Users assigned to the app.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assigned_users: Vec<Uuid>,
    /// An Exchange application access policy: when set, app-only calls to any other
    /// mailbox answer 403 "Access to OData is disabled.".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mailbox_access_policy: Option<Vec<Uuid>>,
    /// Exchange Online "RBAC for Applications" role assignments of this app's service
    /// principal (`New-ManagementRoleAssignment -App … -Role … -CustomResourceScope …`).
    /// Independent of the Entra grants: they never appear in the token's `roles`, and
    /// access is the union of both (docs/microsoft.md §9).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exchange_role_assignments: Vec<ExchangeRoleAssignment>,
}

/// One Exchange role assignment for an app: a role such as `Application Mail.ReadWrite` on
/// the mailboxes of a management scope (the scope's filter resolved to its members).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeRoleAssignment {
    /// `Application Mail.Read`, `Application Mail.ReadWrite`, `Application Mail.Send`, …
    pub role: String,
    /// The management scope's name, as `Get-ManagementRoleAssignment` shows it.
    #[serde(default)]
    pub scope_name: String,
    /// The object IDs of the mailboxes in the scope.
    #[serde(default)]
    pub mailboxes: Vec<Uuid>,
}

impl ExchangeRoleAssignment {
    /// Whether its role grants one of `permissions` (Graph application permission names,
    /// e.g. `Mail.Read`): the role is `Application ` + the permission's name.
    pub fn grants_any(&self, permissions: &[&str]) -> bool {
        self.role
            .trim()
            .strip_prefix("Application ")
            .is_some_and(|granted| {
                permissions
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(granted.trim()))
            })
    }
}

/// A client secret: Microsoft shows the value once and identifies it by its secret ID.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSecret {
    /// Secret ID (a GUID; pasting it instead of the value gives AADSTS7000215).
    pub secret_id: Uuid,
    /// The secret value.
    pub value: String,
    /// After this instant the secret fails with AADSTS7000222.
    pub expires_at: DateTime<Utc>,
}

/// A registered redirect URI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedirectUri {
    /// The exact URI (matched case-sensitively).
    pub uri: String,
    /// Web or single-page application (SPA URIs fail at the token endpoint, AADSTS9002325).
    #[serde(default)]
    pub platform: Platform,
}

/// The platform a redirect URI is registered under.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// "Web": confidential clients redeeming codes server-side.
    #[default]
    Web,
    /// "Single-page application".
    Spa,
}

fn yes() -> bool {
    true
}

fn is_false(value: &bool) -> bool {
    !value
}

impl Application {
    /// Whether the application permissions are admin-consented in `tenant_id`.
    pub fn admin_consented_in(&self, home_tenant: Uuid, tenant_id: Uuid) -> bool {
        if tenant_id == home_tenant {
            self.admin_consent_granted
        } else {
            self.admin_consent_other_tenants.contains(&tenant_id)
        }
    }

    /// Records (or withdraws) admin consent in `tenant_id`.
    pub fn set_admin_consent(&mut self, home_tenant: Uuid, tenant_id: Uuid, granted: bool) {
        if tenant_id == home_tenant {
            self.admin_consent_granted = granted;
        } else if granted {
            if !self.admin_consent_other_tenants.contains(&tenant_id) {
                self.admin_consent_other_tenants.push(tenant_id);
            }
        } else {
            self.admin_consent_other_tenants.retain(|t| *t != tenant_id);
        }
    }

    /// The delegated scopes `user` consented to (empty when none).
    pub fn consented_scopes(&self, user: Uuid) -> &[String] {
        self.delegated_consents
            .get(&user)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Adds `scopes` to the user's delegated consent (case-insensitively deduplicated).
    pub fn grant_delegated_consent(&mut self, user: Uuid, scopes: &[String]) {
        let granted = self.delegated_consents.entry(user).or_default();
        for scope in scopes {
            if !granted.iter().any(|g| g.eq_ignore_ascii_case(scope)) {
                granted.push(scope.clone());
            }
        }
    }

    /// The registration of `uri`, compared exactly (case-sensitive), if any.
    pub fn redirect_uri(&self, uri: &str) -> Option<&RedirectUri> {
        self.redirect_uris.iter().find(|r| r.uri == uri)
    }
}

impl User {
    /// The mail address Graph reports: the primary SMTP address, the UPN unless set.
    pub fn mail(&self) -> &str {
        self.mail.as_deref().unwrap_or(&self.user_principal_name)
    }
}
