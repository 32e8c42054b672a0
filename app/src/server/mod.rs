//! Server-only code: state, database entities and data access. Never compiled into the WASM.

pub mod entities;
pub mod mailboxes;
mod state;

pub use state::{app_state, AppState, MicrosoftEndpoints};
