//! `/{tenant}/v2.0/.well-known/openid-configuration` and `/{tenant}/discovery/v2.0/keys`
//! (docs/microsoft.md §5).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{json, Value};

use super::faults::{identity_fault, Family};
use super::{aad_error_json, identity_json, trace};
use crate::directory::TenantScope;
use crate::faults::Endpoint;
use crate::identity::client::resolve_tenant;
use crate::identity::Trace;
use crate::state::Fake;

/// The OpenID Connect discovery document; 400 `invalid_tenant` (90002/900023) for unknown
/// tenants.
pub async fn openid_configuration(
    State(fake): State<Arc<Fake>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Response {
    let trace = trace(&fake, &headers);
    if let Some(response) =
        identity_fault(&fake, Endpoint::Discovery, Family::IdentityJson, &trace).await
    {
        return response;
    }
    match tenant_path(&fake, &tenant, &trace) {
        Ok((path, issuer_tenant)) => {
            let document = configuration(fake.base_url(), &path, &issuer_tenant);
            identity_json(200, &document, &trace)
        }
        Err(response) => *response,
    }
}

/// The JSON Web Key Set.
pub async fn keys(
    State(fake): State<Arc<Fake>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Response {
    let trace = trace(&fake, &headers);
    if let Some(response) =
        identity_fault(&fake, Endpoint::Keys, Family::IdentityJson, &trace).await
    {
        return response;
    }
    match tenant_path(&fake, &tenant, &trace) {
        Ok((_, issuer_tenant)) => {
            let issuer = format!("{}/{issuer_tenant}/v2.0", fake.base_url());
            identity_json(200, &fake.keys().jwks(&issuer), &trace)
        }
        Err(response) => *response,
    }
}

/// The tenant segment to put in endpoint URLs and in the issuer: the GUID for a specific
/// tenant (also when asked by domain), the alias and `{tenantid}` for `/common`.
fn tenant_path(
    fake: &Fake,
    tenant: &str,
    trace: &Trace,
) -> Result<(String, String), Box<Response>> {
    let scope = resolve_tenant(&fake.lock().directory, tenant)
        .map_err(|e| Box::new(aad_error_json(&e.with_error("invalid_tenant"), trace)))?;
    Ok(match scope {
        TenantScope::Specific(id) => (id.to_string(), id.to_string()),
        TenantScope::Common => ("common".into(), "{tenantid}".into()),
        TenantScope::Organizations => ("organizations".into(), "{tenantid}".into()),
    })
}

fn configuration(base: &str, tenant: &str, issuer_tenant: &str) -> Value {
    let host = base.split("://").nth(1).unwrap_or(base);
    json!({
        "token_endpoint": format!("{base}/{tenant}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{base}/{tenant}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": format!("{base}/{issuer_tenant}/v2.0"),
        "request_uri_parameter_supported": false,
        "userinfo_endpoint": format!("{base}/oidc/userinfo"),
        "authorization_endpoint": format!("{base}/{tenant}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{base}/{tenant}/oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{base}/{tenant}/oauth2/v2.0/logout"),
        "claims_supported": ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
        "kerberos_endpoint": format!("{base}/{tenant}/kerberos"),
        "tenant_region_scope": "EU",
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": host,
        "rbac_url": "https://pas.windows.net",
    })
}
