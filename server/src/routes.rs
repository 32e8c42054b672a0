//! The router: the OAuth callback, Leptos pages and server functions with the state in
//! context, static files.

use app::server::AppState;
use app::{shell, App};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};

use crate::callback;

/// Builds the whole HTTP surface of the server.
pub fn router(state: AppState, leptos_options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    let page_state = state.clone();
    let callback_state = state.clone();
    let fallback_state = state;
    Router::new()
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
