//! The one place access is decided for every request: the session cookie becomes an
//! [`Actor`] in the request's extensions, and what the actor may not reach is refused
//! before any page renders or server function runs. Server functions check their role
//! again with `require_role` (defence in depth).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use http::{header, HeaderValue, StatusCode};
use leptos::server_fn::error::{FromServerFnError, ServerFnError};

use backend::auth::{sessions, Actor};
use backend::AppState;
use rules::access::{
    page_access, server_function_access, sign_in_url, Access, Role, SIGN_IN_PATH, SIGN_OUT_PATH,
};
use rules::i18n::{AccessMsg, Lang};

use super::cookie;

/// What a path is, for access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteKind {
    /// The bundle and icon: public and cacheable.
    Asset,
    /// Signing in and out: reachable without a session.
    SignIn,
    /// `/healthz` and `/readyz`: public, for load balancers.
    Probe,
    /// `/api/{name}`: a server function.
    ServerFunction,
    /// Everything else: a settings page (or its 404), and the OAuth callback.
    Page,
}

/// Classifies a request path.
pub fn route_kind(path: &str) -> RouteKind {
    if path.starts_with("/pkg/") || path == "/favicon.svg" {
        RouteKind::Asset
    } else if path == SIGN_IN_PATH || path == SIGN_OUT_PATH {
        RouteKind::SignIn
    } else if path == crate::probes::HEALTH_PATH || path == crate::probes::READY_PATH {
        RouteKind::Probe
    } else if path.starts_with("/api/") && !path.starts_with("/api/oauth/") {
        RouteKind::ServerFunction
    } else {
        RouteKind::Page
    }
}

/// Why a request is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No session: sign in first.
    Anonymous,
    /// Signed in, but the role is below the one required.
    Forbidden(Role),
}

/// Decides whether `actor` may make a request of `kind` to `path`.
pub fn decide(kind: RouteKind, path: &str, actor: Option<&Actor>) -> Result<(), Refusal> {
    match (kind, actor) {
        (RouteKind::Asset | RouteKind::SignIn | RouteKind::Probe, _) => Ok(()),
        (_, None) => Err(Refusal::Anonymous),
        (RouteKind::Page, Some(actor)) => allow(actor, page_access(path)),
        (RouteKind::ServerFunction, Some(actor)) => match server_function_access(path) {
            Some(access) => allow(actor, access),
            None => {
                tracing::error!(
                    path,
                    "server function not classified in access::SERVER_FUNCTIONS"
                );
                Err(Refusal::Forbidden(Role::Beheerder))
            }
        },
    }
}

fn allow(actor: &Actor, access: Access) -> Result<(), Refusal> {
    let required = access.required_role();
    if actor.role.allows(required) {
        Ok(())
    } else {
        Err(Refusal::Forbidden(required))
    }
}

/// The middleware.
pub async fn resolve_actor(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let actor = match cookie::session_token(request.headers()) {
        Some(token) => {
            match sessions::resolve(&state.db, &token, Utc::now(), &state.auth.sessions).await {
                Ok(actor) => actor,
                Err(error) => {
                    tracing::error!(%error, "resolving the session failed");
                    return StatusCode::SERVICE_UNAVAILABLE.into_response();
                }
            }
        }
        None => None,
    };
    let path = request.uri().path().to_string();
    let kind = route_kind(&path);
    if let Err(refusal) = decide(kind, &path, actor.as_ref()) {
        return refuse(kind, refusal, &request);
    }
    if let Some(actor) = actor {
        request.extensions_mut().insert(actor);
    }
    let mut response = next.run(request).await;
    if kind != RouteKind::Asset {
        // Private pages must not come back from the cache (the back button after signing
        // out).
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn refuse(kind: RouteKind, refusal: Refusal, request: &Request) -> Response {
    let (status, message) = match refusal {
        Refusal::Anonymous => (StatusCode::UNAUTHORIZED, AccessMsg::NotSignedIn),
        Refusal::Forbidden(required) => (StatusCode::FORBIDDEN, AccessMsg::forbidden(required)),
    };
    let text = message.text(Lang::default()).to_string();
    let mut response = match (kind, refusal) {
        (RouteKind::Page, Refusal::Anonymous) => {
            let target = request
                .uri()
                .path_and_query()
                .map_or("/", |path| path.as_str());
            Redirect::to(&sign_in_url(target)).into_response()
        }
        (RouteKind::ServerFunction, _) => {
            // In the server-function error encoding, so the client reads the message.
            let error: ServerFnError = ServerFnError::ServerError(text);
            let body = error.ser();
            (status, Body::from(body)).into_response()
        }
        _ => (status, text).into_response(),
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: 1,
            email: "a@example.org".to_string(),
            role,
        }
    }

    #[test]
    fn paths_are_classified() {
        assert_eq!(route_kind("/pkg/mailboxen.wasm"), RouteKind::Asset);
        assert_eq!(route_kind("/inloggen"), RouteKind::SignIn);
        assert_eq!(route_kind("/api/save_mailbox"), RouteKind::ServerFunction);
        assert_eq!(route_kind("/api/oauth/ms-azure/callback"), RouteKind::Page);
        assert_eq!(route_kind("/instellingen/mailboxen"), RouteKind::Page);
        assert_eq!(route_kind("/"), RouteKind::Page);
    }

    #[test]
    fn decisions() {
        let lezer = actor(Role::Lezer);
        let beheerder = actor(Role::Beheerder);
        let save = "/api/save_mailbox";
        let list = "/api/list_mailboxes";
        let fun = RouteKind::ServerFunction;
        assert_eq!(decide(fun, save, None), Err(Refusal::Anonymous));
        assert_eq!(
            decide(fun, save, Some(&lezer)),
            Err(Refusal::Forbidden(Role::Beheerder))
        );
        assert_eq!(decide(fun, save, Some(&beheerder)), Ok(()));
        assert_eq!(decide(fun, list, Some(&lezer)), Ok(()));
        assert_eq!(
            decide(fun, "/api/new_one", Some(&beheerder)),
            Err(Refusal::Forbidden(Role::Beheerder))
        );
        assert_eq!(decide(RouteKind::Page, "/", None), Err(Refusal::Anonymous));
        let mail = "/instellingen/mailboxen/3/berichten/9/bijlagen/4";
        let postlezer = actor(Role::Postlezer);
        assert_eq!(
            decide(RouteKind::Page, mail, Some(&lezer)),
            Err(Refusal::Forbidden(Role::Postlezer))
        );
        assert_eq!(decide(RouteKind::Page, mail, Some(&postlezer)), Ok(()));
        assert_eq!(decide(RouteKind::Page, mail, Some(&beheerder)), Ok(()));
        assert_eq!(
            decide(fun, save, Some(&postlezer)),
            Err(Refusal::Forbidden(Role::Beheerder))
        );
        assert_eq!(decide(RouteKind::SignIn, SIGN_IN_PATH, None), Ok(()));
    }
}
