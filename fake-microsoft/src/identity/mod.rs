//! The Microsoft identity platform: discovery, authorize with its sign-in pages, token
//! endpoint, admin consent — the decisions, without HTTP.

pub mod aadsts;
pub mod aadsts_assertion;
pub mod assertion;
pub mod authorize;
pub mod client;
pub mod error;
pub mod grants;
pub mod issue;
pub mod jwt;
pub mod pkce;
pub mod redirect;
pub mod scopes;
pub mod signin;
pub mod token;

pub use error::{AadError, AadErrorBody, Trace};
pub use issue::TokenResponse;
