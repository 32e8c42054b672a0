//! Rendering sign-in steps (pages, redirects, the code) and the browser session.

use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use super::found;
use super::pages::{self, AccountChoice};
use super::signin::session_id;
use crate::identity::grants::AuthorizationCode;
use crate::identity::redirect::code_url;
use crate::identity::signin::{first_step, BrowserSession, FlowKind, SignInFlow, Step};
use crate::identity::{aadsts, scopes, Trace};
use crate::ids::{base64url, new_guid, opaque_token, random_bytes};
use crate::state::{Fake, FakeState};

/// Starts a flow and shows its first page.
pub(super) fn start(
    fake: &Fake,
    state: &mut FakeState,
    kind: FlowKind,
    headers: &HeaderMap,
    trace: &Trace,
) -> Response {
    let flow_id = base64url(&random_bytes(2));
    let flow = SignInFlow {
        kind,
        consented: false,
        consenting_user: None,
        started_at: state.now(),
    };
    let session = session_id(headers);
    let accounts = signed_in(state, session.as_deref());
    let step = first_step(&state.directory, &flow, &accounts);
    state.sign_in.flows.insert(flow_id.clone(), flow);
    respond(fake, state, &flow_id, session.as_deref(), step, trace)
}

pub(super) fn signed_in(state: &FakeState, session: Option<&str>) -> Vec<Uuid> {
    session
        .and_then(|s| state.sign_in.sessions.get(s))
        .map(|s| {
            s.accounts
                .iter()
                .copied()
                .filter(|id| state.directory.user(*id).is_some())
                .collect()
        })
        .unwrap_or_default()
}

/// Adds `user` to the browser's session (creating one), returning the session ID.
pub(super) fn add_to_session(
    state: &mut FakeState,
    existing: Option<String>,
    user: Uuid,
) -> String {
    let id = existing
        .filter(|id| state.sign_in.sessions.contains_key(id))
        .unwrap_or_else(|| opaque_token(2));
    let session = state
        .sign_in
        .sessions
        .entry(id.clone())
        .or_insert_with(|| BrowserSession {
            accounts: Vec::new(),
            session_state: new_guid(),
        });
    session.accounts.retain(|a| *a != user);
    session.accounts.push(user);
    id
}

/// Renders a step; finished flows are forgotten.
pub(super) fn respond(
    fake: &Fake,
    state: &mut FakeState,
    flow_id: &str,
    session: Option<&str>,
    step: Step,
    trace: &Trace,
) -> Response {
    let action_base = format!("{}/signin/{flow_id}", fake.base_url());
    let Some(flow) = state.sign_in.flows.get(flow_id).cloned() else {
        return Html(pages::error_page(&aadsts::flow_not_found(), trace)).into_response();
    };
    let client_id = match &flow.kind {
        FlowKind::Authorize(r) => r.client_id,
        FlowKind::AdminConsent(r) => r.client_id,
    };
    let (app_name, permissions) = state
        .directory
        .application(client_id)
        .map(|(_, a)| (a.display_name.clone(), a.application_permissions.clone()))
        .unwrap_or_default();
    let user_label = |state: &FakeState, id: Uuid| {
        state
            .directory
            .user(id)
            .map(|(t, u)| {
                (
                    u.user_principal_name.clone(),
                    u.display_name.clone(),
                    t.display_name.clone(),
                )
            })
            .unwrap_or_default()
    };
    match step {
        Step::Login { login_hint, error } => Html(pages::login_page(
            &action_base,
            &app_name,
            login_hint.as_deref(),
            error.as_ref(),
        ))
        .into_response(),
        Step::Picker { accounts } => {
            let hint = match &flow.kind {
                FlowKind::Authorize(r) => r.login_hint.clone(),
                FlowKind::AdminConsent(_) => None,
            };
            let choices: Vec<AccountChoice> = accounts
                .iter()
                .map(|id| {
                    let (upn, name, _) = user_label(state, *id);
                    let hinted = hint
                        .as_deref()
                        .is_some_and(|h| h.eq_ignore_ascii_case(&upn));
                    AccountChoice {
                        object_id: id.to_string(),
                        upn,
                        name,
                        hinted,
                    }
                })
                .collect();
            Html(pages::picker_page(&action_base, &app_name, &choices)).into_response()
        }
        Step::Consent { user } | Step::AdminConsent { user } => {
            let (upn, _, organisation) = user_label(state, user);
            let (scopes, organisation) = match &flow.kind {
                FlowKind::Authorize(r) => (r.scopes.clone(), None),
                FlowKind::AdminConsent(_) => (permissions, Some(organisation)),
            };
            if let Some(stored) = state.sign_in.flows.get_mut(flow_id) {
                stored.consenting_user = Some(user);
            }
            Html(pages::consent_page(
                &action_base,
                &app_name,
                &upn,
                &scopes,
                organisation.as_deref(),
            ))
            .into_response()
        }
        Step::Complete { user } => {
            state.sign_in.flows.remove(flow_id);
            complete(state, &flow, user, session, trace)
        }
        Step::Page(error) => {
            state.sign_in.flows.remove(flow_id);
            Html(pages::error_page(&error, trace)).into_response()
        }
        Step::Redirect(redirect) => {
            state.sign_in.flows.remove(flow_id);
            found(&redirect.url(trace))
        }
    }
}

/// Issues the authorization code and redirects with `code`, `state`, `session_state`.
fn complete(
    state: &mut FakeState,
    flow: &SignInFlow,
    user: Uuid,
    session: Option<&str>,
    trace: &Trace,
) -> Response {
    let FlowKind::Authorize(request) = &flow.kind else {
        return Html(pages::error_page(&aadsts::flow_not_found(), trace)).into_response();
    };
    let Some((tenant_id, mfa)) = state
        .directory
        .user(user)
        .map(|(t, u)| (t.id, u.mfa_required))
    else {
        return Html(pages::error_page(&aadsts::user_not_found(), trace)).into_response();
    };
    let consented = state
        .directory
        .application(request.client_id)
        .map(|(_, a)| a.consented_scopes(user).to_vec())
        .unwrap_or_default();
    let code = opaque_token(6);
    state.grants.codes.insert(
        code.clone(),
        AuthorizationCode {
            client_id: request.client_id,
            tenant_id,
            user,
            redirect_uri: request.redirect_uri.clone(),
            scopes: scopes::effective_scopes(&request.scopes, &consented),
            pkce: request.pkce.clone(),
            nonce: request.nonce.clone(),
            issued_at: state.now(),
            redeemed_at: None,
            // Interactive sign-in of a user who needs MFA is taken to have done it.
            mfa,
        },
    );
    let session_state = session
        .and_then(|s| state.sign_in.sessions.get(s))
        .map_or_else(new_guid, |s| s.session_state);
    found(&code_url(
        &request.redirect_uri,
        &code,
        request.state.as_deref(),
        session_state,
    ))
}
