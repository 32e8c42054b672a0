//! Finding the app registration a request names and authenticating it: with a secret, or
//! with a client assertion signed by a registered certificate (`assertion`).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::aadsts;
use super::aadsts_assertion;
use super::assertion::{self, Expected, JWT_BEARER};
use super::error::AadError;
use crate::directory::{Application, Directory, TenantLookupError, TenantScope};

/// Resolves the `{tenant}` segment, mapping failures to AADSTS90002 / 900023.
pub fn resolve_tenant(directory: &Directory, segment: &str) -> Result<TenantScope, AadError> {
    directory.resolve_tenant(segment).map_err(|e| match e {
        TenantLookupError::NotFound => aadsts::tenant_not_found(segment),
        TenantLookupError::Invalid => aadsts::tenant_invalid(segment),
    })
}

/// Finds the app named by `client_id` as seen from `scope`: 900144 when missing, 90112 when
/// not a GUID, 700016 when unknown (or single-tenant and asked for in another tenant), 50194
/// when single-tenant on `/common` or `/organizations`. Returns the app and its home tenant.
pub fn find_client<'d>(
    directory: &'d Directory,
    scope: TenantScope,
    tenant_segment: &str,
    client_id: Option<&str>,
) -> Result<(Uuid, &'d Application), AadError> {
    let raw = client_id
        .filter(|c| !c.is_empty())
        .ok_or_else(|| aadsts::missing_parameter("client_id"))?;
    let client_id = Uuid::parse_str(raw).map_err(|_| aadsts::client_id_not_guid())?;
    let tenant_name = match scope {
        TenantScope::Specific(id) => directory
            .tenant(id)
            .map_or_else(|| tenant_segment.to_owned(), |t| t.display_name.clone()),
        TenantScope::Common | TenantScope::Organizations => tenant_segment.to_owned(),
    };
    let not_found = || aadsts::application_not_found(raw, &tenant_name);
    let (home, app) = directory.application(client_id).ok_or_else(not_found)?;
    match scope {
        TenantScope::Specific(id) if id != home.id && !app.multitenant => Err(not_found()),
        TenantScope::Common | TenantScope::Organizations if !app.multitenant => {
            Err(aadsts::not_multitenant(client_id, &app.display_name))
        }
        _ => Ok((home.id, app)),
    }
}

/// The client's credential as the token request carries it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Presented<'a> {
    /// `client_secret` (or from HTTP Basic).
    pub secret: Option<&'a str>,
    /// `client_assertion_type`.
    pub assertion_type: Option<&'a str>,
    /// `client_assertion`.
    pub assertion: Option<&'a str>,
}

/// Authenticates the client with whatever it presented: an assertion (checked against the
/// registered certificates, `audiences` being the token endpoint URLs that count as `aud`),
/// else the secret exactly as before. Both at once is refused.
pub fn authenticate_client(
    app: &Application,
    presented: Presented<'_>,
    audiences: &[String],
    now: DateTime<Utc>,
) -> Result<(), AadError> {
    let given = |v: Option<&str>| v.filter(|v| !v.is_empty()).is_some();
    if !given(presented.assertion) && !given(presented.assertion_type) {
        return authenticate(app, presented.secret, now);
    }
    if given(presented.secret) {
        return Err(aadsts_assertion::secret_and_assertion());
    }
    let assertion_type = presented
        .assertion_type
        .filter(|t| !t.is_empty())
        .ok_or_else(|| aadsts::missing_parameter("client_assertion_type"))?;
    if assertion_type != JWT_BEARER {
        return Err(aadsts::invalid_parameter(
            "client_assertion_type",
            assertion_type,
        ));
    }
    let assertion = presented
        .assertion
        .filter(|a| !a.is_empty())
        .ok_or_else(|| aadsts::missing_parameter("client_assertion"))?;
    assertion::verify(app, assertion, &Expected { audiences, now })
}

/// The URLs a client assertion's `aud` may name for a request to `{tenant}`: the v2.0 and
/// v1 token endpoints, with the tenant as written in the URL or as its GUID.
pub fn token_audiences(
    base_url: &str,
    tenant_segment: &str,
    tenant_id: Option<Uuid>,
) -> Vec<String> {
    let mut tenants = vec![tenant_segment.to_owned()];
    tenants.extend(tenant_id.map(|id| id.to_string()));
    tenants
        .iter()
        .flat_map(|t| {
            [
                format!("{base_url}/{t}/oauth2/v2.0/token"),
                format!("{base_url}/{t}/oauth2/token"),
            ]
        })
        .collect()
}

/// Checks the client secret: 7000218 when none was sent, 7000222 when it is a known but
/// expired secret, 7000215 otherwise (the secret ID pasted as the value lands here).
pub fn authenticate(
    app: &Application,
    secret: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AadError> {
    let secret = secret
        .filter(|s| !s.is_empty())
        .ok_or_else(aadsts::missing_client_secret)?;
    match app.secrets.iter().find(|s| s.value == secret) {
        Some(known) if known.expires_at <= now => Err(aadsts::expired_client_secret(app.client_id)),
        Some(_) => Ok(()),
        None => Err(aadsts::invalid_client_secret(app.client_id)),
    }
}

/// Whether a multitenant app is "installed" (has a service principal) in a foreign tenant:
/// an admin or some user of that tenant consented.
pub fn is_installed_in(
    directory: &Directory,
    home: Uuid,
    app: &Application,
    tenant_id: Uuid,
) -> bool {
    if tenant_id == home || app.admin_consented_in(home, tenant_id) {
        return true;
    }
    directory.tenant(tenant_id).is_some_and(|tenant| {
        tenant
            .users
            .iter()
            .any(|u| app.delegated_consents.contains_key(&u.object_id))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    const FIXTURE: &str = r#"{"tenants":[
      {"id":"11111111-1111-1111-1111-111111111111","display_name":"Contoso",
       "domains":["contoso.onmicrosoft.com"],
       "applications":[{"client_id":"22222222-2222-2222-2222-222222222222","display_name":"CRM",
         "secrets":[
           {"secret_id":"33333333-3333-3333-3333-333333333333","value":"abc8Q~current","expires_at":"2999-01-01T00:00:00Z"},
           {"secret_id":"44444444-4444-4444-4444-444444444444","value":"abc8Q~expired","expires_at":"2000-01-01T00:00:00Z"}]}]},
      {"id":"55555555-5555-5555-5555-555555555555","display_name":"Fabrikam"}]}"#;

    fn directory() -> Directory {
        Directory::from_json(FIXTURE).unwrap_or_default()
    }

    fn code_of(result: Result<(Uuid, &Application), AadError>) -> Option<u32> {
        result.err().map(|e| e.code)
    }

    #[test]
    fn client_lookup_errors() {
        let dir = directory();
        let contoso = TenantScope::Specific(dir.tenants[0].id);
        let fabrikam = TenantScope::Specific(dir.tenants[1].id);
        let app = Some("22222222-2222-2222-2222-222222222222");
        assert!(find_client(&dir, contoso, "x", app).is_ok());
        assert_eq!(code_of(find_client(&dir, contoso, "x", None)), Some(900144));
        assert_eq!(
            code_of(find_client(&dir, contoso, "x", Some("crm"))),
            Some(90112)
        );
        let unknown = Some("99999999-2222-2222-2222-222222222222");
        assert_eq!(
            code_of(find_client(&dir, contoso, "x", unknown)),
            Some(700016)
        );
        assert_eq!(code_of(find_client(&dir, fabrikam, "x", app)), Some(700016));
        let common = TenantScope::Common;
        assert_eq!(
            code_of(find_client(&dir, common, "common", app)),
            Some(50194)
        );
    }

    #[test]
    fn secret_checks() {
        let dir = directory();
        let app = &dir.tenants[0].applications[0];
        let now = Utc::now();
        assert!(authenticate(app, Some("abc8Q~current"), now).is_ok());
        let code = |secret| {
            authenticate(app, secret, now)
                .err()
                .map(|e| (e.code, e.status))
        };
        assert_eq!(code(None), Some((7000218, 401)));
        assert_eq!(code(Some("abc8Q~expired")), Some((7000222, 401)));
        assert_eq!(
            code(Some("33333333-3333-3333-3333-333333333333")),
            Some((7000215, 401))
        );
        let later = now + Duration::days(400_000);
        assert_eq!(
            authenticate(app, Some("abc8Q~current"), later)
                .err()
                .map(|e| e.code),
            Some(7000222)
        );
    }
}
