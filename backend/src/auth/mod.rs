//! Accounts and sign-in: who the request's [`Actor`] is. The role check every server function
//! makes lives in `app` (it reads the request context); the HTTP edge (cookie, middleware,
//! sign-in routes) in the `server` crate.

pub mod client_address;
pub mod password;
pub mod password_checks;
pub mod sessions;
pub mod sign_in;
pub mod throttle;
pub mod users;

use rules::access::Role;

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
    pub fn session_user(&self) -> rules::access::SessionUser {
        rules::access::SessionUser {
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
