//! Finding tenants, users and app registrations by the identifiers requests carry.

use uuid::Uuid;

use super::{Application, Directory, Tenant, User};

/// The `{tenant}` path segment of an identity endpoint, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantScope {
    /// A specific tenant, given by GUID or verified domain.
    Specific(Uuid),
    /// `/common`: any work account or (on Microsoft) personal account.
    Common,
    /// `/organizations`: any work account.
    Organizations,
}

/// Why a `{tenant}` segment did not resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantLookupError {
    /// A well-formed GUID or domain that no tenant has (AADSTS90002).
    NotFound,
    /// Neither a GUID nor a DNS name (AADSTS900023).
    Invalid,
}

impl TenantScope {
    /// The specific tenant, if any.
    pub fn tenant_id(self) -> Option<Uuid> {
        match self {
            Self::Specific(id) => Some(id),
            Self::Common | Self::Organizations => None,
        }
    }
}

impl Directory {
    /// Resolves a `{tenant}` path segment: GUID, verified domain, `common` or
    /// `organizations`. `consumers` (personal accounts) is not modelled: it is not found.
    pub fn resolve_tenant(&self, segment: &str) -> Result<TenantScope, TenantLookupError> {
        match segment.to_ascii_lowercase().as_str() {
            "common" => return Ok(TenantScope::Common),
            "organizations" => return Ok(TenantScope::Organizations),
            _ => {}
        }
        if let Ok(id) = Uuid::parse_str(segment) {
            return self
                .tenant(id)
                .map(|t| TenantScope::Specific(t.id))
                .ok_or(TenantLookupError::NotFound);
        }
        if !is_dns_name(segment) {
            return Err(TenantLookupError::Invalid);
        }
        self.tenants
            .iter()
            .find(|t| t.domains.iter().any(|d| d.eq_ignore_ascii_case(segment)))
            .map(|t| TenantScope::Specific(t.id))
            .ok_or(TenantLookupError::NotFound)
    }

    /// The tenant with this ID.
    pub fn tenant(&self, id: Uuid) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.id == id)
    }

    /// The tenant with this ID, mutably.
    pub fn tenant_mut(&mut self, id: Uuid) -> Option<&mut Tenant> {
        self.tenants.iter_mut().find(|t| t.id == id)
    }

    /// A user by object ID, with the tenant it belongs to.
    pub fn user(&self, object_id: Uuid) -> Option<(&Tenant, &User)> {
        self.tenants.iter().find_map(|t| {
            t.users
                .iter()
                .find(|u| u.object_id == object_id)
                .map(|u| (t, u))
        })
    }

    /// A user by object ID or UPN (case-insensitive), in any tenant.
    pub fn user_by_key(&self, key: &str) -> Option<(&Tenant, &User)> {
        match Uuid::parse_str(key) {
            Ok(id) => self.user(id),
            Err(_) => self.tenants.iter().find_map(|t| {
                t.users
                    .iter()
                    .find(|u| u.user_principal_name.eq_ignore_ascii_case(key))
                    .map(|u| (t, u))
            }),
        }
    }

    /// A user by object ID or UPN, mutably.
    pub fn user_by_key_mut(&mut self, key: &str) -> Option<&mut User> {
        let object_id = self.user_by_key(key)?.1.object_id;
        self.tenants
            .iter_mut()
            .flat_map(|t| t.users.iter_mut())
            .find(|u| u.object_id == object_id)
    }

    /// An app registration by client ID, with its home tenant.
    pub fn application(&self, client_id: Uuid) -> Option<(&Tenant, &Application)> {
        self.tenants.iter().find_map(|t| {
            t.applications
                .iter()
                .find(|a| a.client_id == client_id)
                .map(|a| (t, a))
        })
    }

    /// An app registration by client ID, mutably, with its home tenant's ID.
    pub fn application_mut(&mut self, client_id: Uuid) -> Option<(Uuid, &mut Application)> {
        self.tenants.iter_mut().find_map(|t| {
            let tenant_id = t.id;
            t.applications
                .iter_mut()
                .find(|a| a.client_id == client_id)
                .map(|a| (tenant_id, a))
        })
    }
}

fn is_dns_name(segment: &str) -> bool {
    segment.contains('.')
        && segment.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directory() -> Directory {
        let json = r#"{"tenants":[{"id":"11111111-2222-3333-4444-555555555555",
            "display_name":"Contoso","domains":["contoso.onmicrosoft.com"],
            "users":[{"object_id":"aaaaaaaa-0000-0000-0000-000000000001",
              "user_principal_name":"Info@contoso.onmicrosoft.com","display_name":"Info",
              "password":"pw"}]}]}"#;
        Directory::from_json(json).unwrap_or_default()
    }

    #[test]
    fn resolves_guid_domain_and_aliases() {
        let dir = directory();
        let id = dir.tenants[0].id;
        assert_eq!(
            dir.resolve_tenant("11111111-2222-3333-4444-555555555555"),
            Ok(TenantScope::Specific(id))
        );
        assert_eq!(
            dir.resolve_tenant(
                "11111111-2222-3333-4444-555555555555"
                    .to_uppercase()
                    .as_str()
            ),
            Ok(TenantScope::Specific(id))
        );
        assert_eq!(
            dir.resolve_tenant("CONTOSO.onmicrosoft.com"),
            Ok(TenantScope::Specific(id))
        );
        assert_eq!(dir.resolve_tenant("common"), Ok(TenantScope::Common));
        assert_eq!(
            dir.resolve_tenant("organizations"),
            Ok(TenantScope::Organizations)
        );
    }

    #[test]
    fn unknown_and_invalid_tenants_differ() {
        let dir = directory();
        assert_eq!(
            dir.resolve_tenant("00000000-0000-0000-0000-000000000000"),
            Err(TenantLookupError::NotFound)
        );
        assert_eq!(
            dir.resolve_tenant("fabrikam.com"),
            Err(TenantLookupError::NotFound)
        );
        assert_eq!(
            dir.resolve_tenant("not a tenant"),
            Err(TenantLookupError::Invalid)
        );
    }

    #[test]
    fn users_by_object_id_or_upn() {
        let dir = directory();
        let by_upn = dir
            .user_by_key("info@CONTOSO.onmicrosoft.com")
            .map(|(_, u)| u.object_id);
        let by_id = dir
            .user_by_key("aaaaaaaa-0000-0000-0000-000000000001")
            .map(|(_, u)| u.object_id);
        assert!(by_upn.is_some());
        assert_eq!(by_upn, by_id);
        assert!(dir.user_by_key("nobody@contoso.onmicrosoft.com").is_none());
    }
}
