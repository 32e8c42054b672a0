//! `GET /{tenant}/oauth2/v2.0/authorize`, `GET /{tenant}/v2.0/adminconsent` and
//! `GET /{tenant}/oauth2/v2.0/logout`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::faults::{identity_fault, Family};
use super::{found, pages, signin, signin_render, trace};
use crate::faults::Endpoint;
use crate::identity::authorize::{
    validate_admin_consent, validate_authorize, AdminConsentParams, AuthorizeParams, Rejection,
};
use crate::identity::signin::FlowKind;
use crate::identity::Trace;
use crate::state::Fake;

/// Starts an authorization code flow: Microsoft's error page for a bad tenant, client or
/// redirect URI; otherwise the first sign-in page (or a silent redirect).
pub async fn authorize(
    State(fake): State<Arc<Fake>>,
    Path(tenant): Path<String>,
    Query(params): Query<AuthorizeParams>,
    headers: HeaderMap,
) -> Response {
    let trace = trace(&fake, &headers);
    if let Some(response) =
        identity_fault(&fake, Endpoint::Authorize, Family::IdentityHtml, &trace).await
    {
        return response;
    }
    let mut state = fake.lock();
    match validate_authorize(&state.directory, &tenant, &params) {
        Ok(request) => signin_render::start(
            &fake,
            &mut state,
            FlowKind::Authorize(request),
            &headers,
            &trace,
        ),
        Err(rejection) => reject(rejection, &trace),
    }
}

/// Starts a tenant-wide admin consent: sign-in as an admin, then the consent page.
pub async fn admin_consent(
    State(fake): State<Arc<Fake>>,
    Path(tenant): Path<String>,
    Query(params): Query<AdminConsentParams>,
    headers: HeaderMap,
) -> Response {
    let trace = trace(&fake, &headers);
    if let Some(response) =
        identity_fault(&fake, Endpoint::AdminConsent, Family::IdentityHtml, &trace).await
    {
        return response;
    }
    let mut state = fake.lock();
    match validate_admin_consent(&state.directory, &tenant, &params) {
        Ok(request) => signin_render::start(
            &fake,
            &mut state,
            FlowKind::AdminConsent(request),
            &headers,
            &trace,
        ),
        Err(rejection) => reject(rejection, &trace),
    }
}

/// Query of the logout endpoint.
#[derive(Debug, Deserialize)]
pub struct LogoutParams {
    post_logout_redirect_uri: Option<String>,
}

/// Signs every account of this browser out of the fake.
pub async fn logout(
    State(fake): State<Arc<Fake>>,
    Query(params): Query<LogoutParams>,
    headers: HeaderMap,
) -> Response {
    if let Some(session) = signin::session_id(&headers) {
        fake.lock().sign_in.sessions.remove(&session);
    }
    let mut response = match params.post_logout_redirect_uri {
        Some(uri) => found(&uri),
        None => Html(pages::signed_out_page()).into_response(),
    };
    let expired = format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
        signin::SESSION_COOKIE
    );
    if let Ok(value) = HeaderValue::from_str(&expired) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Microsoft's error page (likely served with 200, as a rendered page) or an error redirect.
pub(super) fn reject(rejection: Rejection, trace: &Trace) -> Response {
    match rejection {
        Rejection::Page(error) => Html(pages::error_page(&error, trace)).into_response(),
        Rejection::Redirect(redirect) => found(&redirect.url(trace)),
    }
}
