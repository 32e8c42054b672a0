//! The router: the OAuth callback, Leptos pages and server functions with the state in
//! context, sign-in and sign-out, the language switch, static files; wrapped in the security
//! headers, the CSRF check and the access edge (outermost first).

use app::{shell, App};
use axum::extract::Request;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Extension;
use axum::Router;
use backend::auth::Actor;
use backend::AppState;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use rules::access::{SIGN_IN_PATH, SIGN_OUT_PATH};

/// The app's routes, generated once per process. Generating them renders the app in a
/// special mode; doing that while other requests render (several routers in one process,
/// as in the integration tests) could leave a page's response stream pending forever.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

use crate::callback;
use crate::probes::Readiness;

use crate::auth::csrf::{refuse_cross_site, SiteOrigin};
use crate::auth::edge::resolve_actor;
use crate::auth::headers::{set_security_headers, CspNonce, SecurityHeaders};
use crate::auth::sign_in_routes::{post_sign_in, post_sign_out};

/// Builds the whole HTTP surface of the server, over a database already migrated.
pub fn router(state: AppState, leptos_options: LeptosOptions) -> Router {
    router_until_ready(state, leptos_options, Readiness::ready())
}

/// [`router`] for an instance still starting: until `readiness` is marked, only the probes
/// answer (`probes::serve_when_ready`).
pub fn router_until_ready(
    state: AppState,
    leptos_options: LeptosOptions,
    readiness: Readiness,
) -> Router {
    let routes = route_list();
    let page_state = state.clone();
    let fallback_state = state.clone();
    let callback_state = state.clone();
    let headers = SecurityHeaders {
        microsoft_login_origin: SiteOrigin::of(&state.microsoft.login_url).0,
        https: state.public_base_url.starts_with("https://"),
    };
    let site = SiteOrigin::of(&state.public_base_url);
    let sign_in_state = state.clone();
    let sign_out_state = state.clone();
    let download_state = state.clone();
    let ready_state = state.clone();
    Router::new()
        .route(crate::probes::HEALTH_PATH, get(crate::probes::health))
        .route(
            crate::probes::READY_PATH,
            get({
                let readiness = readiness.clone();
                move || crate::probes::ready(ready_state.clone(), readiness.clone())
            }),
        )
        .route("/taal", post(crate::language::choose_language))
        .route(
            callback::CALLBACK_PATH,
            // The attempt is bound to the app user who started it (the access edge puts the
            // signed-in actor in the request's extensions).
            get(move |actor: Option<Extension<Actor>>, query| {
                let actor = actor.map(|Extension(actor)| actor);
                callback::handle(callback_state.clone(), actor, query)
            }),
        )
        .route(
            rules::mail::ATTACHMENT_ROUTE,
            // A page route for access: the mail permission (the edge), checked again inside.
            get(move |actor: Option<Extension<Actor>>, path| {
                let actor = actor.map(|Extension(actor)| actor);
                crate::download::download_attachment(download_state.clone(), actor, path)
            }),
        )
        .route(
            SIGN_IN_PATH,
            post(move |request: Request| post_sign_in(sign_in_state.clone(), request)),
        )
        .route(
            SIGN_OUT_PATH,
            post(move |request: Request| post_sign_out(sign_out_state.clone(), request)),
        )
        .nest_service(
            crate::assets::BUNDLE_PATH,
            crate::assets::bundle(&leptos_options.site_root, &leptos_options.site_pkg_dir),
        )
        .leptos_routes_with_context(
            &leptos_options,
            routes,
            move || provide_request_context(&page_state),
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context(
            move || provide_request_context(&fallback_state),
            shell,
        ))
        .with_state(leptos_options)
        .layer(from_fn_with_state(state, resolve_actor))
        // Outside the access edge, which reads the sessions table.
        .layer(from_fn_with_state(
            readiness,
            crate::probes::serve_when_ready,
        ))
        .layer(from_fn_with_state(site, refuse_cross_site))
        .layer(from_fn_with_state(headers, set_security_headers))
}

/// The state and a per-request cache of the list rows (`app`), and from the request's extensions the
/// actor and the CSP nonce (replacing the one Leptos made, so the header and the inline
/// scripts agree).
fn provide_request_context(state: &AppState) {
    app::api::request::provide_request_context(state);
    let Some(parts) = use_context::<http::request::Parts>() else {
        return;
    };
    if let Some(actor) = parts.extensions.get::<Actor>() {
        provide_context(actor.clone());
    }
    if let Some(nonce) = parts.extensions.get::<CspNonce>() {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0.as_str()));
    }
}
