//! Server-only code: state, database entities and data access. Never compiled into the WASM.

pub mod audit;
pub mod auth;
pub mod cipher;
pub mod connect;
pub mod entities;
pub mod form_attempts;
pub mod graph_retry;
pub mod mail;
pub mod mailbox_store;
pub mod mailboxes;
pub mod outgoing;
pub mod preflight;
pub mod reencrypt;
mod state;

pub use state::{app_state, AppState, MicrosoftEndpoints};
