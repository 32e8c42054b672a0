//! Accounts and sign-in on the server: who the request's [`Actor`] is, and the role check
//! every server function makes with [`require_role`]. The HTTP edge (cookie, middleware,
//! sign-in routes) lives in the `server` crate.

pub mod password;
pub mod sessions;
pub mod sign_in;
pub mod throttle;
pub mod users;

use leptos::prelude::*;

use crate::access::Role;
use crate::i18n::{AccessMsg, Lang};

/// The signed-in user behind a request, resolved from the session cookie at the edge and
/// put in the request's extensions (and so in server functions' context).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i32,
    pub email: String,
    pub role: Role,
}

impl Actor {
    /// The user as the pages see it.
    pub fn session_user(&self) -> crate::access::SessionUser {
        crate::access::SessionUser {
            email: self.email.clone(),
            role: self.role,
        }
    }
}

/// `N` random bytes from the operating system, base64url without padding.
pub fn random_base64url<const N: usize>() -> String {
    use aes_gcm::aead::rand_core::RngCore;
    use base64::Engine;
    let mut bytes = [0_u8; N];
    aes_gcm::aead::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
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
        Some(actor) if !actor.role.allows(required) => {
            Err(refuse(http::StatusCode::FORBIDDEN, AccessMsg::Forbidden))
        }
        Some(actor) => Ok(actor),
    }
}
