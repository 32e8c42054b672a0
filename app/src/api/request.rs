//! What a server function reads from its request and writes to its response: the state and
//! the signed-in actor (put in context by the server's router), the role check, the
//! redirects that answer a plain form post, and the list data read once per request.

use leptos::prelude::*;

use backend::auth::Actor;
use backend::mailboxes::ListData;
use backend::AppState;
use rules::access::Role;
use rules::i18n::{AccessMsg, Lang};

/// Puts what every server function and page needs into the request's context: the state,
/// a fresh per-request memo of the list data, and the clock every time on the page is
/// worded against (the installation's zone, one "now"). The server's router calls this.
pub fn provide_request_context(state: &AppState) {
    provide_context(state.clone());
    provide_context(ListOnce::default());
    provide_context(clock(state));
}

/// The installation's zone and this moment: what a server function words its times against.
pub fn clock(state: &AppState) -> rules::time::Clock {
    rules::time::Clock {
        zone: state.time_zone,
        now: chrono::Utc::now(),
    }
}

/// The state from the request context; an error (not a panic) if a route forgot to provide it.
pub fn app_state() -> Result<AppState, ServerFnError> {
    use_context::<AppState>()
        .ok_or_else(|| ServerFnError::ServerError("application state missing".to_string()))
}

/// The actor of the current request, if signed in.
pub fn current_actor() -> Option<Actor> {
    use_context::<Actor>().or_else(|| {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Actor>().cloned())
    })
}

/// The actor when it has at least `required`; otherwise a 401 (not signed in) or 403
/// (signed in as `lezer`) with a Dutch message. Every server function calls this first.
pub fn require_role(required: Role) -> Result<Actor, ServerFnError> {
    let refuse = |status: http::StatusCode, msg: AccessMsg| {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
        ServerFnError::ServerError(msg.text(Lang::default()).to_string())
    };
    match current_actor() {
        None => Err(refuse(
            http::StatusCode::UNAUTHORIZED,
            AccessMsg::NotSignedIn,
        )),
        Some(actor) if !actor.role.allows(required) => Err(refuse(
            http::StatusCode::FORBIDDEN,
            AccessMsg::forbidden(required),
        )),
        Some(actor) => Ok(actor),
    }
}

/// Logs the detail (never a secret: errors carry none) and gives the browser `message`.
pub fn unexpected(what: &str, error: &dyn std::fmt::Display, message: &str) -> ServerFnError {
    tracing::error!(%error, "{what} failed");
    ServerFnError::ServerError(message.to_string())
}

/// True for a form the browser posted itself (no JavaScript): it accepts HTML. The
/// server-function client asks for its encoding instead.
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// Answers a plain form post with `303 See Other` to `location`.
pub fn see_other(location: &str) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(location) {
        response.set_status(http::StatusCode::SEE_OTHER);
        response.insert_header(http::header::LOCATION, value);
    }
}

/// One request's list data, once read: while the Mailboxen page renders, the menu's count,
/// the list and its mail columns all need it.
#[derive(Clone, Debug, Default)]
struct ListOnce(std::sync::Arc<tokio::sync::OnceCell<ListData>>);

/// The list's data, read at most once per request (without a [`ListOnce`] in context, as
/// in a server function called on its own, read every time).
pub async fn with_list_once<T>(
    state: &AppState,
    take: impl FnOnce(&ListData) -> T,
) -> Result<T, sea_orm::DbErr> {
    let list = || backend::mailboxes::list(&state.db);
    match use_context::<ListOnce>() {
        Some(ListOnce(data)) => Ok(take(data.get_or_try_init(list).await?)),
        None => Ok(take(&list().await?)),
    }
}
