//! Connecting a mailbox to Microsoft 365 (OAuth 2.0 authorization code + PKCE, docs/microsoft.md
//! §2–§5, §8) and keeping its tokens fresh.
//!
//! Pure core, unit-tested in place: [`authorize`] (the URLs), [`callback_query`] (parsing the
//! callback), [`attempt`] (state, PKCE, expiry), [`id_token`] (the account checks),
//! [`microsoft_error`] (Microsoft's error body), [`refresh_policy`] (when to refresh, what a
//! failure means). I/O at the edges: [`token_client`] (HTTP), [`attempts_store`] and
//! [`tokens_store`] (database), and the flows [`start`], [`complete`], [`refresh`].

pub mod attempt;
pub mod attempts_store;
pub mod authorize;
pub mod callback_query;
pub mod complete;
pub mod error;
pub mod id_token;
pub mod microsoft_error;
pub mod refresh;
pub mod refresh_policy;
pub mod start;
pub mod status;
pub mod token_client;
pub mod tokens_store;

pub use attempt::{AttemptKind, Outcome};
pub use complete::{complete_callback, Completed};
pub use error::ConnectError;
pub use microsoft_error::MicrosoftError;
pub use refresh::{ensure_fresh_access_token, RefreshError};
pub use start::{start_admin_consent, start_connection, StartError};
pub use status::connection_view;
