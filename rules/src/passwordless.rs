//! Connecting a Microsoft Api mailbox without its password (issue 18, docs/microsoft.md §9):
//! the connection method, the least application permissions each method needs, and the
//! Exchange Online PowerShell that scopes the app to the CRM's mailboxes. Pure.

use serde::{Deserialize, Serialize};

/// How a Microsoft Api mailbox is connected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionMethod {
    /// "Inloggen als de mailbox": the admin signs in as the mailbox's user once; its
    /// delegated tokens are stored and refreshed. What every mailbox had before issue 18.
    #[default]
    Delegated,
    /// "Zonder wachtwoord (toepassingsmachtigingen)": the app registration's own token
    /// (client credentials), scoped with Exchange RBAC for Applications; no browser visit,
    /// no refresh token, no password.
    AppOnly,
}

impl ConnectionMethod {
    /// The stored and posted value.
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionMethod::Delegated => "delegated",
            ConnectionMethod::AppOnly => "app_only",
        }
    }

    /// Parses a stored or posted value; anything else is today's flow.
    pub fn parse(value: &str) -> ConnectionMethod {
        match value.trim() {
            "app_only" => ConnectionMethod::AppOnly,
            _ => ConnectionMethod::Delegated,
        }
    }
}

/// The form's value for "Automatisch" (new mailboxes only): without password when the
/// preflight shows that the app reads the mailbox that way, else signing in.
pub const AUTOMATIC: &str = "auto";

/// The method a form asks for: None for "Automatisch" (also an empty value, as a form from
/// before the choice existed sends), Some for an explicit choice.
pub fn chosen_method(value: &str) -> Option<ConnectionMethod> {
    match value.trim() {
        "app_only" => Some(ConnectionMethod::AppOnly),
        "delegated" => Some(ConnectionMethod::Delegated),
        _ => None,
    }
}

/// Why a mailbox has its method, shown on the mailbox page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MethodReason {
    /// Chosen by an administrator (in the form or with the switch on the mailbox page).
    #[default]
    Chosen,
    /// "Automatisch": the preflight read the mailbox with the app's own token.
    AutoAppOnly,
    /// "Automatisch": the preflight could not read the mailbox with the app's own token.
    AutoDelegated,
}

impl MethodReason {
    /// The stored value; None for [`MethodReason::Chosen`].
    pub fn stored(self) -> Option<&'static str> {
        match self {
            MethodReason::Chosen => None,
            MethodReason::AutoAppOnly => Some("auto_app_only"),
            MethodReason::AutoDelegated => Some("auto_delegated"),
        }
    }

    /// Reads a stored value; anything else was chosen by an administrator.
    pub fn parse(stored: Option<&str>) -> MethodReason {
        match stored.map(str::trim) {
            Some("auto_app_only") => MethodReason::AutoAppOnly,
            Some("auto_delegated") => MethodReason::AutoDelegated,
            _ => MethodReason::Chosen,
        }
    }

    /// The automatic choice after a preflight: `app_only_works` when its mailbox check
    /// read the mailbox with the app's own token and the mailbox is inside the app's scope.
    pub fn automatic(app_only_works: bool) -> (ConnectionMethod, MethodReason) {
        if app_only_works {
            (ConnectionMethod::AppOnly, MethodReason::AutoAppOnly)
        } else {
            (ConnectionMethod::Delegated, MethodReason::AutoDelegated)
        }
    }
}

/// Which permission an app-only mailbox uses, as the latest scope check found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppPermission {
    /// Entra application permissions that reach every mailbox (the token's `roles`).
    TenantWide(String),
    /// Exchange RBAC for Applications roles on designated mailboxes.
    Scoped,
}

/// The Graph application permissions a tenant-wide (Entra) grant of which reaches every
/// mailbox of the organisation.
pub const TENANT_WIDE_MAIL_ROLES: &[&str] = &[
    "Mail.Read",
    "Mail.ReadWrite",
    "Mail.ReadBasic",
    "Mail.ReadBasic.All",
    "Mail.Send",
];

/// The tenant-wide mail roles among a token's `roles`, in the order of
/// [`TENANT_WIDE_MAIL_ROLES`].
pub fn tenant_wide_mail_roles(roles: &[String]) -> Vec<&'static str> {
    TENANT_WIDE_MAIL_ROLES
        .iter()
        .copied()
        .filter(|wanted| roles.iter().any(|r| r.trim().eq_ignore_ascii_case(wanted)))
        .collect()
}

/// One of the permissions the manual asks for, and whether a method needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PermissionNeed {
    pub permission: &'static str,
    pub needed: bool,
    /// Why (not): Dutch, English.
    pub why: (&'static str, &'static str),
}

/// The manual's five Graph application permissions (app registration steps 10–11), and
/// which of them each method needs. Fetching reads the inbox and, with "Zet email als
/// gelezen op server", marks messages read: Mail.ReadWrite covers both. Sending always uses
/// the app's own Mail.Send. The ReadBasic permissions give no bodies or attachments.
pub fn least_permissions(method: ConnectionMethod, mark_as_read: bool) -> Vec<PermissionNeed> {
    let app_only = method == ConnectionMethod::AppOnly;
    vec![
        PermissionNeed {
            permission: "Mail.ReadWrite",
            needed: app_only && mark_as_read,
            why: if app_only {
                (
                    "Lezen én als gelezen markeren (\"Zet email als gelezen op server\"); als Exchange-rol: Application Mail.ReadWrite.",
                    "Reading and marking as read (\"Zet email als gelezen op server\"); as Exchange role: Application Mail.ReadWrite.",
                )
            } else {
                (
                    "Niet als toepassingsmachtiging: het inloggen als de mailbox vraagt zelf Mail.ReadWrite (gedelegeerd).",
                    "Not as application permission: signing in as the mailbox asks for Mail.ReadWrite itself (delegated).",
                )
            },
        },
        PermissionNeed {
            permission: "Mail.Read",
            needed: app_only && !mark_as_read,
            why: (
                "Alleen lezen, als berichten niet als gelezen gemarkeerd hoeven te worden; Mail.ReadWrite omvat het.",
                "Reading only, when messages need not be marked read; Mail.ReadWrite includes it.",
            ),
        },
        PermissionNeed {
            permission: "Mail.Send",
            needed: true,
            why: (
                "Uitgaande mail (\"Stuur testmail\") gaat altijd met de eigen toestemming van de app; als Exchange-rol: Application Mail.Send.",
                "Outgoing mail (\"Stuur testmail\") always uses the app's own permission; as Exchange role: Application Mail.Send.",
            ),
        },
        PermissionNeed {
            permission: "Mail.ReadBasic",
            needed: false,
            why: (
                "Niet nodig: geeft geen berichttekst en geen bijlagen.",
                "Not needed: gives no message body and no attachments.",
            ),
        },
        PermissionNeed {
            permission: "Mail.ReadBasic.All",
            needed: false,
            why: (
                "Niet nodig: geeft geen berichttekst en geen bijlagen, en geldt voor alle mailboxen.",
                "Not needed: gives no message body and no attachments, and covers every mailbox.",
            ),
        },
    ]
}

/// What the scoping script is filled in with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeScript<'a> {
    /// Application (client) ID.
    pub app_id: &'a str,
    /// The object ID of the app's service principal (enterprise application): the
    /// app-only token's `oid`.
    pub service_principal_id: &'a str,
    /// The mailbox being connected (its address).
    pub mailbox: &'a str,
    /// The tenant-wide roles found in the token.
    pub tenant_wide_roles: &'a [&'a str],
    /// Whether the mailbox marks messages read (then Application Mail.ReadWrite).
    pub mark_as_read: bool,
}

/// The management scope's name in the script.
pub const SCOPE_NAME: &str = "CRM-mailboxen";

/// Exchange Online PowerShell that limits the app to the CRM's mailboxes (RBAC for
/// Applications, docs/microsoft.md §9): register the service principal, a management scope
/// with this mailbox, the application roles on that scope, a check, and then the removal of
/// the tenant-wide Entra grant (without which the scope limits nothing).
pub fn scope_script(s: &ScopeScript<'_>) -> String {
    let quote = |v: &str| v.replace('\'', "''");
    let read_role = if s.mark_as_read {
        "Application Mail.ReadWrite"
    } else {
        "Application Mail.Read"
    };
    let app_id = quote(s.app_id);
    let sp = quote(s.service_principal_id);
    let mailbox = quote(s.mailbox);
    let roles = if s.tenant_wide_roles.is_empty() {
        "Mail.*".to_string()
    } else {
        s.tenant_wide_roles.join(", ")
    };
    format!(
        "Connect-ExchangeOnline\n\
         New-ServicePrincipal -AppId '{app_id}' -ObjectId '{sp}' -DisplayName 'CRM mailboxen'\n\
         # Meer mailboxen: -RecipientRestrictionFilter \"PrimarySmtpAddress -eq 'a@…' -or PrimarySmtpAddress -eq 'b@…'\"\n\
         New-ManagementScope -Name '{SCOPE_NAME}' -RecipientRestrictionFilter \"PrimarySmtpAddress -eq '{mailbox}'\"\n\
         New-ManagementRoleAssignment -App '{app_id}' -Role '{read_role}' -CustomResourceScope '{SCOPE_NAME}'\n\
         New-ManagementRoleAssignment -App '{app_id}' -Role 'Application Mail.Send' -CustomResourceScope '{SCOPE_NAME}'\n\
         Test-ServicePrincipalAuthorization -Identity '{app_id}' -Resource '{mailbox}'\n\
         # Daarna / then: Entra admin center > App registrations > API permissions:\n\
         # remove the Application permissions {roles} (Remove permission), so only the scope applies.\n"
    )
}

/// How a mailbox outside the scope is added: the scope's filter extended.
pub fn add_to_scope_script(mailbox: &str) -> String {
    let mailbox = mailbox.replace('\'', "''");
    format!(
        "Connect-ExchangeOnline\n\
         Get-ManagementScope -Identity '{SCOPE_NAME}' | Format-List RecipientFilter\n\
         Set-ManagementScope -Identity '{SCOPE_NAME}' -RecipientRestrictionFilter \"<huidig filter / current filter> -or PrimarySmtpAddress -eq '{mailbox}'\"\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_round_trip_and_default_to_signing_in() {
        for method in [ConnectionMethod::Delegated, ConnectionMethod::AppOnly] {
            assert_eq!(ConnectionMethod::parse(method.as_str()), method);
        }
        assert_eq!(ConnectionMethod::parse(""), ConnectionMethod::Delegated);
        assert_eq!(ConnectionMethod::default(), ConnectionMethod::Delegated);
    }

    #[test]
    fn the_form_chooses_a_method_or_leaves_it_to_the_preflight() {
        assert_eq!(chosen_method("app_only"), Some(ConnectionMethod::AppOnly));
        assert_eq!(
            chosen_method(" delegated "),
            Some(ConnectionMethod::Delegated)
        );
        for automatic in [AUTOMATIC, "", "something else"] {
            assert_eq!(chosen_method(automatic), None, "{automatic}");
        }
        assert_eq!(
            MethodReason::automatic(true),
            (ConnectionMethod::AppOnly, MethodReason::AutoAppOnly)
        );
        assert_eq!(
            MethodReason::automatic(false),
            (ConnectionMethod::Delegated, MethodReason::AutoDelegated)
        );
        for reason in [
            MethodReason::Chosen,
            MethodReason::AutoAppOnly,
            MethodReason::AutoDelegated,
        ] {
            assert_eq!(MethodReason::parse(reason.stored()), reason);
        }
        assert_eq!(MethodReason::parse(Some("other")), MethodReason::Chosen);
    }

    #[test]
    fn tenant_wide_roles_are_found_in_any_case() {
        let roles = vec![
            "mail.read".to_string(),
            "User.Read.All".into(),
            "Mail.Send".into(),
        ];
        assert_eq!(
            tenant_wide_mail_roles(&roles),
            vec!["Mail.Read", "Mail.Send"]
        );
        assert!(tenant_wide_mail_roles(&[]).is_empty());
    }

    #[test]
    fn the_script_is_filled_in_with_the_apps_ids_and_the_mailbox() {
        let script = scope_script(&ScopeScript {
            app_id: "80aef83a-368f-4a54-a387-8c794cf71106",
            service_principal_id: "11111111-2222-3333-4444-555555555555",
            mailbox: "o'brien@example.nl",
            tenant_wide_roles: &["Mail.Read", "Mail.Send"],
            mark_as_read: true,
        });
        assert!(script.contains("New-ServicePrincipal -AppId '80aef83a-368f-4a54-a387-8c794cf71106' -ObjectId '11111111-2222-3333-4444-555555555555'"), "{script}");
        assert!(
            script.contains("PrimarySmtpAddress -eq 'o''brien@example.nl'"),
            "{script}"
        );
        assert!(script
            .contains("-Role 'Application Mail.ReadWrite' -CustomResourceScope 'CRM-mailboxen'"));
        assert!(script.contains("Mail.Read, Mail.Send"));
    }

    #[test]
    fn least_permissions_follow_the_method() {
        let needed = |method, read| {
            least_permissions(method, read)
                .into_iter()
                .filter(|p| p.needed)
                .map(|p| p.permission)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            needed(ConnectionMethod::AppOnly, true),
            ["Mail.ReadWrite", "Mail.Send"]
        );
        assert_eq!(
            needed(ConnectionMethod::AppOnly, false),
            ["Mail.Read", "Mail.Send"]
        );
        assert_eq!(needed(ConnectionMethod::Delegated, true), ["Mail.Send"]);
    }
}
