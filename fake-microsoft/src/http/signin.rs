//! The sign-in pages' form posts (`/signin/{flow}/…`) and the browser session cookie.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;
use uuid::Uuid;

use super::faults::{identity_fault, Family};
use super::signin_render::{add_to_session, respond, signed_in};
use super::{found, pages, trace};
use crate::faults::Endpoint;
use crate::identity::redirect::admin_consent_url;
use crate::identity::signin::{after_sign_in, check_password, FlowKind, Step};
use crate::identity::{aadsts, scopes};
use crate::state::Fake;

/// The fake's browser session cookie (named so it cannot clash with the product's cookies
/// on the same host).
pub const SESSION_COOKIE: &str = "fake_ms_session";

/// The form routes.
pub fn routes() -> Router<Arc<Fake>> {
    Router::new()
        .route("/signin/{flow}/password", post(password))
        .route("/signin/{flow}/account", post(account))
        .route("/signin/{flow}/consent", post(consent))
        .route("/signin/{flow}/cancel", post(cancel))
}

#[derive(Debug, Deserialize)]
struct PasswordForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    passwd: String,
}

#[derive(Debug, Deserialize)]
struct AccountForm {
    #[serde(default)]
    account: String,
}

#[derive(Debug, Deserialize)]
struct ConsentForm {
    #[serde(default)]
    decision: String,
}

/// The session cookie's value.
pub fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

async fn password(
    State(fake): State<Arc<Fake>>,
    Path(flow_id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    let trace = trace(&fake, &headers);
    if let Some(response) =
        identity_fault(&fake, Endpoint::Authorize, Family::IdentityHtml, &trace).await
    {
        return response;
    }
    let mut state = fake.lock();
    let Some(flow) = state.sign_in.flows.get(&flow_id).cloned() else {
        return Html(pages::error_page(&aadsts::flow_not_found(), &trace)).into_response();
    };
    match check_password(&state.directory, &form.login, &form.passwd) {
        Err(error) => {
            let step = Step::Login {
                login_hint: Some(form.login),
                error: Some(error),
            };
            respond(&fake, &mut state, &flow_id, None, step, &trace)
        }
        Ok(user) => {
            let session = add_to_session(&mut state, session_id(&headers), user);
            let step = after_sign_in(&state.directory, &flow, user);
            let mut response = respond(&fake, &mut state, &flow_id, Some(&session), step, &trace);
            let cookie = format!("{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Lax");
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
    }
}

async fn account(
    State(fake): State<Arc<Fake>>,
    Path(flow_id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<AccountForm>,
) -> Response {
    let trace = trace(&fake, &headers);
    if let Some(response) =
        identity_fault(&fake, Endpoint::Authorize, Family::IdentityHtml, &trace).await
    {
        return response;
    }
    let mut state = fake.lock();
    let Some(flow) = state.sign_in.flows.get(&flow_id).cloned() else {
        return Html(pages::error_page(&aadsts::flow_not_found(), &trace)).into_response();
    };
    let session = session_id(&headers);
    let chosen = Uuid::parse_str(&form.account)
        .ok()
        .filter(|id| signed_in(&state, session.as_deref()).contains(id));
    let step = match chosen {
        Some(user) => after_sign_in(&state.directory, &flow, user),
        None => Step::Login {
            login_hint: None,
            error: None,
        },
    };
    respond(
        &fake,
        &mut state,
        &flow_id,
        session.as_deref(),
        step,
        &trace,
    )
}

async fn consent(
    State(fake): State<Arc<Fake>>,
    Path(flow_id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<ConsentForm>,
) -> Response {
    let trace = trace(&fake, &headers);
    if let Some(response) =
        identity_fault(&fake, Endpoint::Authorize, Family::IdentityHtml, &trace).await
    {
        return response;
    }
    let mut state = fake.lock();
    let Some(mut flow) = state.sign_in.flows.get(&flow_id).cloned() else {
        return Html(pages::error_page(&aadsts::flow_not_found(), &trace)).into_response();
    };
    let Some(user) = flow.consenting_user.filter(|_| form.decision == "accept") else {
        state.sign_in.flows.remove(&flow_id);
        return found(&flow.kind.cancel_redirect().url(&trace));
    };
    match &flow.kind {
        FlowKind::Authorize(request) => {
            let granted: Vec<String> = request
                .scopes
                .iter()
                .filter(|s| s.as_str() != scopes::DEFAULT_SCOPE)
                .cloned()
                .collect();
            if let Some((_, app)) = state.directory.application_mut(request.client_id) {
                app.grant_delegated_consent(user, &granted);
            }
            flow.consented = true;
            let step = after_sign_in(&state.directory, &flow, user);
            state.sign_in.flows.insert(flow_id.clone(), flow);
            respond(
                &fake,
                &mut state,
                &flow_id,
                session_id(&headers).as_deref(),
                step,
                &trace,
            )
        }
        FlowKind::AdminConsent(request) => {
            state.sign_in.flows.remove(&flow_id);
            let Some((tenant, _)) = state.directory.user(user).map(|(t, u)| (t.id, u.object_id))
            else {
                return Html(pages::error_page(&aadsts::flow_not_found(), &trace)).into_response();
            };
            if let Some((home, app)) = state.directory.application_mut(request.client_id) {
                app.set_admin_consent(home, tenant, true);
            }
            found(&admin_consent_url(
                &request.redirect_uri,
                tenant,
                &request.scope,
                request.state.as_deref(),
            ))
        }
    }
}

async fn cancel(
    State(fake): State<Arc<Fake>>,
    Path(flow_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let trace = trace(&fake, &headers);
    let mut state = fake.lock();
    match state.sign_in.flows.remove(&flow_id) {
        Some(flow) => found(&flow.kind.cancel_redirect().url(&trace)),
        None => Html(pages::error_page(&aadsts::flow_not_found(), &trace)).into_response(),
    }
}
