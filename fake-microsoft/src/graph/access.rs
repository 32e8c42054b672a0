//! Who may do what on Graph: the bearer token (401), the permission it carries or Exchange's
//! RBAC for Applications grants (403), the mailbox it addresses (404), application access
//! policies (403 OData).

use uuid::Uuid;

use super::error::GraphError;
use crate::directory::ExchangeRoleAssignment;
use crate::identity::grants::{AccessGrant, AccessSubject};
use crate::identity::scopes;
use crate::state::FakeState;

/// What a Graph call needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read mail: Mail.Read or Mail.ReadWrite.
    ReadMail,
    /// Change or delete mail: Mail.ReadWrite.
    WriteMail,
    /// Send mail: Mail.Send.
    SendMail,
    /// Read the user object: User.Read.All and friends (own profile with User.Read).
    ReadUser,
}

impl Permission {
    fn app_roles(self) -> &'static [&'static str] {
        match self {
            Self::ReadMail => &["Mail.Read", "Mail.ReadWrite"],
            Self::WriteMail => &["Mail.ReadWrite"],
            Self::SendMail => &["Mail.Send"],
            Self::ReadUser => &[
                "User.Read.All",
                "User.ReadWrite.All",
                "Directory.Read.All",
                "Directory.ReadWrite.All",
            ],
        }
    }

    fn delegated_scopes(self) -> &'static [&'static str] {
        match self {
            Self::ReadMail => &["Mail.Read", "Mail.ReadWrite"],
            Self::WriteMail => &["Mail.ReadWrite"],
            Self::SendMail => &["Mail.Send"],
            Self::ReadUser => &["User.Read", "User.ReadBasic.All", "User.Read.All"],
        }
    }

    fn denied(self) -> GraphError {
        match self {
            Self::ReadUser => GraphError::insufficient_privileges(),
            _ => GraphError::access_denied(),
        }
    }
}

/// The access token from an `Authorization: Bearer …` header (401 when missing, unknown or
/// expired).
pub fn authenticate(
    state: &FakeState,
    authorization: Option<&str>,
) -> Result<AccessGrant, GraphError> {
    let token = authorization
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(GraphError::token_missing)?;
    let grant = state
        .grants
        .access_tokens
        .get(token)
        .ok_or_else(GraphError::token_invalid)?;
    if grant.expires_at <= state.now() {
        return Err(GraphError::token_expired());
    }
    Ok(grant.clone())
}

/// Checks `grant` may use `permission` on the user addressed as `user_key` (object ID or
/// UPN, within the token's tenant) and returns the user's object ID.
///
/// The permission is checked before the user is looked up (likely: Graph validates the
/// token's roles before Exchange resolves the mailbox).
pub fn authorize(
    state: &FakeState,
    grant: &AccessGrant,
    permission: Permission,
    user_key: &str,
) -> Result<Uuid, GraphError> {
    let entra = match &grant.subject {
        AccessSubject::App { roles } => has_any(roles, permission.app_roles()),
        AccessSubject::User { scopes, .. } => has_any(scopes, permission.delegated_scopes()),
    };
    // Exchange RBAC for Applications: grants of the app's service principal in its home
    // tenant, never in the token (docs/microsoft.md §9).
    let rbac: Vec<&ExchangeRoleAssignment> = match &grant.subject {
        AccessSubject::App { .. } => state
            .directory
            .application(grant.client_id)
            .filter(|(home, _)| home.id == grant.tenant_id)
            .map(|(_, app)| {
                app.exchange_role_assignments
                    .iter()
                    .filter(|a| a.grants_any(permission.app_roles()))
                    .collect()
            })
            .unwrap_or_default(),
        AccessSubject::User { .. } => Vec::new(),
    };
    if !entra && rbac.is_empty() {
        return Err(permission.denied());
    }
    let not_found = || match permission {
        Permission::ReadUser => GraphError::resource_not_found(user_key),
        _ => GraphError::invalid_user(user_key),
    };
    let (tenant, user) = state
        .directory
        .user_by_key(user_key)
        .ok_or_else(not_found)?;
    if tenant.id != grant.tenant_id {
        return Err(not_found());
    }
    match &grant.subject {
        // Delegated Mail.* reaches only the signed-in user's own mailbox.
        AccessSubject::User { object_id, .. } if *object_id != user.object_id => {
            return Err(permission.denied());
        }
        // Only RBAC grants: the mailbox must be in one of their scopes. Exchange answers
        // a mailbox outside them as it answers a missing permission.
        AccessSubject::App { .. }
            if !entra && !rbac.iter().any(|a| a.mailboxes.contains(&user.object_id)) =>
        {
            return Err(GraphError::access_denied());
        }
        AccessSubject::App { .. } if permission != Permission::ReadUser => {
            let policy = state
                .directory
                .application(grant.client_id)
                .and_then(|(_, app)| app.mailbox_access_policy.as_ref());
            if policy.is_some_and(|allowed| !allowed.contains(&user.object_id)) {
                return Err(GraphError::odata_disabled());
            }
        }
        _ => {}
    }
    if permission != Permission::ReadUser && !user.mailbox_enabled {
        return Err(GraphError::mailbox_not_enabled());
    }
    Ok(user.object_id)
}

fn has_any(granted: &[String], wanted: &[&str]) -> bool {
    wanted.iter().any(|w| scopes::contains(granted, w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::Directory;
    use chrono::{Duration, Utc};

    const INFO: &str = "1d00a927-92e1-4f8f-bcee-77a5d6ad3bf5";
    const JAN: &str = "jan@andereorg.onmicrosoft.com";

    fn state_with(token: &str, subject: AccessSubject, expires_in: Duration) -> FakeState {
        let mut state = FakeState::new(Directory::demo().unwrap_or_default());
        let tenant_id = state.directory.tenants[0].id;
        let client_id = state.directory.tenants[0].applications[0].client_id;
        state.grants.access_tokens.insert(
            token.into(),
            AccessGrant {
                client_id,
                tenant_id,
                expires_at: Utc::now() + expires_in,
                subject,
            },
        );
        state
    }

    fn app(roles: &[&str]) -> AccessSubject {
        AccessSubject::App {
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        }
    }

    fn check(state: &FakeState, permission: Permission, user: &str) -> Result<Uuid, u16> {
        let grant = authenticate(state, Some("Bearer t")).map_err(|e| e.status)?;
        authorize(state, &grant, permission, user).map_err(|e| e.status)
    }

    #[test]
    fn tokens_are_checked() {
        let state = state_with("t", app(&["Mail.Read"]), Duration::minutes(5));
        assert_eq!(
            authenticate(&state, None).err(),
            Some(GraphError::token_missing())
        );
        assert_eq!(
            authenticate(&state, Some("Bearer x")).err(),
            Some(GraphError::token_invalid())
        );
        let expired = state_with("t", app(&["Mail.Read"]), Duration::minutes(-1));
        assert_eq!(
            authenticate(&expired, Some("Bearer t")).err(),
            Some(GraphError::token_expired())
        );
    }

    #[test]
    fn app_roles_decide() {
        let state = state_with("t", app(&["Mail.Read"]), Duration::minutes(5));
        assert!(check(&state, Permission::ReadMail, INFO).is_ok());
        assert_eq!(check(&state, Permission::WriteMail, INFO), Err(403));
        assert_eq!(check(&state, Permission::SendMail, INFO), Err(403));
        assert_eq!(check(&state, Permission::ReadMail, JAN), Err(404));
        let none = state_with("t", app(&[]), Duration::minutes(5));
        assert_eq!(check(&none, Permission::ReadMail, INFO), Err(403));
    }

    #[test]
    fn delegated_tokens_reach_only_their_own_mailbox() {
        let Ok(me) = Uuid::parse_str(INFO) else {
            return;
        };
        let subject = AccessSubject::User {
            object_id: me,
            scopes: vec!["Mail.Read".into()],
        };
        let state = state_with("t", subject, Duration::minutes(5));
        assert_eq!(check(&state, Permission::ReadMail, INFO), Ok(me));
        let other = "ledenadministratie@energiedemo.onmicrosoft.com";
        assert_eq!(check(&state, Permission::ReadMail, other), Err(403));
    }

    fn scoped(state: &mut FakeState, roles: &[&str], mailboxes: &[&str]) {
        let app = &mut state.directory.tenants[0].applications[0];
        app.exchange_role_assignments = roles
            .iter()
            .map(|role| ExchangeRoleAssignment {
                role: (*role).to_owned(),
                scope_name: "CRM-mailboxen".into(),
                mailboxes: mailboxes
                    .iter()
                    .filter_map(|m| Uuid::parse_str(m).ok())
                    .collect(),
            })
            .collect();
    }

    #[test]
    fn exchange_rbac_grants_reach_only_their_scope_and_never_the_token() {
        const LEDEN: &str = "4b2b0927-3782-4a8a-a3bf-c627a9e9cf77";
        let mut state = state_with("t", app(&[]), Duration::minutes(5));
        assert_eq!(check(&state, Permission::ReadMail, INFO), Err(403));
        scoped(&mut state, &["Application Mail.ReadWrite"], &[INFO]);
        assert!(check(&state, Permission::ReadMail, INFO).is_ok());
        assert!(check(&state, Permission::WriteMail, INFO).is_ok());
        assert_eq!(check(&state, Permission::SendMail, INFO), Err(403));
        // Outside the scope: the same 403 as a missing permission.
        let outside = authenticate(&state, Some("Bearer t"))
            .and_then(|grant| authorize(&state, &grant, Permission::ReadMail, LEDEN));
        assert_eq!(outside.err(), Some(GraphError::access_denied()));
        // A read-only role does not write.
        scoped(&mut state, &["Application Mail.Read"], &[INFO]);
        assert_eq!(check(&state, Permission::WriteMail, INFO), Err(403));
        // A tenant-wide Entra grant reaches every mailbox whatever the scope says.
        let mut wide = state_with("t", app(&["Mail.Read"]), Duration::minutes(5));
        scoped(&mut wide, &["Application Mail.Read"], &[INFO]);
        assert!(check(&wide, Permission::ReadMail, LEDEN).is_ok());
    }

    #[test]
    fn a_primary_address_that_is_not_the_upn_is_not_a_key() {
        let mut state = state_with("t", app(&["Mail.Read"]), Duration::minutes(5));
        state.directory.tenants[0].users[0].mail = Some("contact@energiedemo.nl".into());
        assert!(check(&state, Permission::ReadMail, INFO).is_ok());
        assert!(check(
            &state,
            Permission::ReadMail,
            "info@energiedemo.onmicrosoft.com"
        )
        .is_ok());
        assert_eq!(
            check(&state, Permission::ReadMail, "contact@energiedemo.nl"),
            Err(404)
        );
    }
}
