//! The Microsoft identity platform (docs/microsoft.md §2–§5): the URLs the browser is sent to
//! ([`authorize`]), the token endpoint ([`token_client`], the only place its client is
//! built), the app's credential: a secret or a certificate ([`credential`]), discovery ([`discovery`]), the ID token's checks ([`id_token`]) and Microsoft's
//! error body ([`microsoft_error`]).

pub mod authorize;
pub mod credential;
pub mod discovery;
pub mod id_token;
pub mod microsoft_error;
pub mod token_client;

pub use credential::{CertificateCredential, ClientCredential};
pub use microsoft_error::MicrosoftError;
