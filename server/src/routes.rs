//! The router: the OAuth callback, Leptos pages and server functions with the state in
//! context, static files.

use app::server::AppState;
use app::{shell, App};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};

/// The app's routes, generated once per process. Generating them renders the app in a
/// special mode; doing that while other requests render (several routers in one process,
/// as in the integration tests) could leave a page's response stream pending forever.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

use crate::callback;

/// Builds the whole HTTP surface of the server.
pub fn router(state: AppState, leptos_options: LeptosOptions) -> Router {
    let routes = route_list();
    let page_state = state.clone();
    let callback_state = state.clone();
    let fallback_state = state;
    Router::new()
        .route("/taal", post(crate::language::choose_language))
        .route(
            callback::CALLBACK_PATH,
            get(move |query| callback::handle(callback_state.clone(), query)),
        )
        .leptos_routes_with_context(
            &leptos_options,
            routes,
            move || provide_context(page_state.clone()),
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context(
            move || provide_context(fallback_state.clone()),
            shell,
        ))
        .with_state(leptos_options)
}
