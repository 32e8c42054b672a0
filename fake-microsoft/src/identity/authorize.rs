//! Validating `/{tenant}/oauth2/v2.0/authorize` and `/{tenant}/v2.0/adminconsent` requests
//! (docs/microsoft.md §2, §5). Problems with the tenant, the client or the redirect URI are shown
//! on Microsoft's own error page; everything after that goes back to the redirect URI.

use serde::Deserialize;
use uuid::Uuid;

use super::aadsts;
use super::client::{find_client, resolve_tenant};
use super::error::AadError;
use super::pkce::{PkceChallenge, PkceMethod};
use super::redirect::ErrorRedirect;
use super::scopes::parse_scope;
use crate::directory::{Application, Directory, Platform, TenantScope};

/// The query of an authorize request.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuthorizeParams {
    /// Application (client) ID.
    pub client_id: Option<String>,
    /// Must be `code`.
    pub response_type: Option<String>,
    /// Where to send the result.
    pub redirect_uri: Option<String>,
    /// `query` (the only mode the fake implements).
    pub response_mode: Option<String>,
    /// Space-separated scopes.
    pub scope: Option<String>,
    /// Echoed back.
    pub state: Option<String>,
    /// PKCE challenge.
    pub code_challenge: Option<String>,
    /// `S256` or `plain`.
    pub code_challenge_method: Option<String>,
    /// `login`, `none`, `consent` or `select_account`.
    pub prompt: Option<String>,
    /// Account to preselect or prefill.
    pub login_hint: Option<String>,
    /// Ignored (home realm discovery).
    pub domain_hint: Option<String>,
    /// OpenID Connect nonce.
    pub nonce: Option<String>,
}

/// The query of an admin consent request.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AdminConsentParams {
    /// Application (client) ID.
    pub client_id: Option<String>,
    /// `https://graph.microsoft.com/.default`.
    pub scope: Option<String>,
    /// Where to send the result.
    pub redirect_uri: Option<String>,
    /// Echoed back.
    pub state: Option<String>,
}

/// `prompt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// No prompt: reuse a single signed-in account silently.
    Unspecified,
    /// Always ask for the password.
    Login,
    /// Never show a page; fail with `login_required` and friends instead.
    None,
    /// Always show the consent page.
    Consent,
    /// Show the account picker.
    SelectAccount,
}

/// A validated authorize request.
#[derive(Debug, Clone)]
pub struct AuthorizeRequest {
    /// The `{tenant}` it was sent to.
    pub tenant: TenantScope,
    /// The client.
    pub client_id: Uuid,
    /// Redirect URI (registered).
    pub redirect_uri: String,
    /// Requested scopes, normalised.
    pub scopes: Vec<String>,
    /// `state`.
    pub state: Option<String>,
    /// PKCE challenge.
    pub pkce: Option<PkceChallenge>,
    /// `prompt`.
    pub prompt: Prompt,
    /// `login_hint`.
    pub login_hint: Option<String>,
    /// `nonce`.
    pub nonce: Option<String>,
}

/// A validated admin consent request.
#[derive(Debug, Clone)]
pub struct AdminConsentRequest {
    /// The `{tenant}` it was sent to.
    pub tenant: TenantScope,
    /// The client.
    pub client_id: Uuid,
    /// Redirect URI (registered).
    pub redirect_uri: String,
    /// `scope`, echoed back.
    pub scope: String,
    /// `state`.
    pub state: Option<String>,
}

/// Why a request was refused.
#[derive(Debug, Clone)]
pub enum Rejection {
    /// Shown on Microsoft's error page; the browser stays there.
    Page(AadError),
    /// Sent to the redirect URI.
    Redirect(Box<ErrorRedirect>),
}

/// Validates an authorize request.
pub fn validate_authorize(
    directory: &Directory,
    tenant_segment: &str,
    params: &AuthorizeParams,
) -> Result<AuthorizeRequest, Rejection> {
    let (tenant, app) = find_app(directory, tenant_segment, params.client_id.as_deref())?;
    let redirect_uri = registered_redirect_uri(app, params.redirect_uri.as_deref())?;
    let fail = |error: AadError| {
        Rejection::Redirect(Box::new(ErrorRedirect::new(
            &redirect_uri,
            params.state.clone(),
            error,
        )))
    };
    let response_type = params
        .response_type
        .as_deref()
        .ok_or_else(|| fail(aadsts::missing_parameter("response_type")))?;
    if response_type != "code" {
        return Err(fail(aadsts::unsupported_response_type(response_type)));
    }
    let scopes = parse_scope(params.scope.as_deref().unwrap_or_default());
    if scopes.is_empty() {
        return Err(fail(aadsts::missing_parameter("scope")));
    }
    let pkce = match &params.code_challenge {
        None => None,
        Some(challenge) => {
            let method = params.code_challenge_method.as_deref();
            let method = PkceMethod::parse(method).ok_or_else(|| {
                fail(aadsts::invalid_parameter(
                    "code_challenge_method",
                    method.unwrap_or_default(),
                ))
            })?;
            Some(PkceChallenge {
                challenge: challenge.clone(),
                method,
            })
        }
    };
    let prompt = parse_prompt(params.prompt.as_deref()).map_err(fail)?;
    Ok(AuthorizeRequest {
        tenant,
        client_id: app.client_id,
        redirect_uri,
        scopes,
        state: params.state.clone(),
        pkce,
        prompt,
        login_hint: params.login_hint.clone().filter(|h| !h.is_empty()),
        nonce: params.nonce.clone(),
    })
}

/// Validates an admin consent request.
pub fn validate_admin_consent(
    directory: &Directory,
    tenant_segment: &str,
    params: &AdminConsentParams,
) -> Result<AdminConsentRequest, Rejection> {
    let (tenant, app) = find_app(directory, tenant_segment, params.client_id.as_deref())?;
    let redirect_uri = registered_redirect_uri(app, params.redirect_uri.as_deref())?;
    Ok(AdminConsentRequest {
        tenant,
        client_id: app.client_id,
        redirect_uri,
        scope: params
            .scope
            .clone()
            .unwrap_or_else(|| "https://graph.microsoft.com/.default".to_owned()),
        state: params.state.clone(),
    })
}

fn find_app<'d>(
    directory: &'d Directory,
    tenant_segment: &str,
    client_id: Option<&str>,
) -> Result<(TenantScope, &'d Application), Rejection> {
    let tenant = resolve_tenant(directory, tenant_segment).map_err(Rejection::Page)?;
    let (_, app) =
        find_client(directory, tenant, tenant_segment, client_id).map_err(Rejection::Page)?;
    Ok((tenant, app))
}

/// The redirect URI to use: exactly a registered one (50011 otherwise); when the request
/// names none, the first Web URI (500113 when there is none).
fn registered_redirect_uri(
    app: &Application,
    requested: Option<&str>,
) -> Result<String, Rejection> {
    match requested {
        Some(uri) if app.redirect_uri(uri).is_some() => Ok(uri.to_owned()),
        Some(uri) => Err(Rejection::Page(aadsts::redirect_uri_mismatch(
            uri,
            app.client_id,
        ))),
        None => app
            .redirect_uris
            .iter()
            .find(|r| r.platform == Platform::Web)
            .map(|r| r.uri.clone())
            .ok_or(Rejection::Page(aadsts::no_reply_address())),
    }
}

fn parse_prompt(prompt: Option<&str>) -> Result<Prompt, AadError> {
    match prompt {
        None | Some("") => Ok(Prompt::Unspecified),
        Some("login") => Ok(Prompt::Login),
        Some("none") => Ok(Prompt::None),
        Some("consent") => Ok(Prompt::Consent),
        Some("select_account") => Ok(Prompt::SelectAccount),
        Some(other) => Err(aadsts::invalid_parameter("prompt", other)),
    }
}
