//! Connecting a mailbox to Microsoft 365 (OAuth 2.0 authorization code + PKCE, docs/microsoft.md
//! §2–§5, §8) and keeping its tokens fresh: the use case. The identity platform itself (URLs,
//! token endpoint, discovery, ID tokens) is spoken to through [`crate::microsoft::identity`].
//!
//! Pure core, unit-tested in place: [`callback_query`] (parsing the callback), [`attempt`]
//! (state, PKCE, expiry), [`refresh_policy`] (when to refresh, what a failure means). I/O at
//! the edges: [`attempts_store`] and [`tokens_store`] (database), and the flows [`start`],
//! [`complete`], [`refresh`].

pub mod app_only;
pub mod attempt;
pub mod attempts_store;
pub mod callback_query;
pub mod complete;
pub mod error;
pub mod refresh;
pub mod refresh_policy;
pub mod start;
pub mod status;
pub mod tokens_store;

pub use attempt::{AttemptKind, Outcome};
pub use complete::{complete_callback, Completed};
pub use error::ConnectError;
pub use refresh::{ensure_fresh_access_token, RefreshError};
pub use start::{start_admin_consent, start_connection, StartError};
pub use status::connection_view;
