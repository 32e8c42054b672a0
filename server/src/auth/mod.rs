//! The HTTP edge of access control: the session cookie, the middleware that resolves it
//! into an [`backend::auth::Actor`] and refuses what the actor may not reach, the CSRF
//! origin check, the security headers, and the sign-in and sign-out routes.

pub mod bootstrap;
pub mod cookie;
pub mod csrf;
pub mod edge;
pub mod headers;
pub mod sign_in_routes;
