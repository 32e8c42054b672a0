//! The server's use cases and adapters: the database (entities and stores), Microsoft
//! (identity platform and Graph), secrets at rest, accounts, and the flows that tie them
//! together (saving a mailbox, connecting it, the preflight, fetching and sending mail).
//! Never compiled into the WASM, and it never imports Leptos: the pages (`app`) and the
//! HTTP edge (`server`) call in here; nothing here calls out to them.

pub mod app_registrations;
pub mod audit;
pub mod auth;
pub mod cipher;
pub mod connect;
pub mod entities;
pub mod flows;
pub mod form_attempts;
pub mod housekeeping;
pub mod mail;
pub mod mailbox_store;
pub mod mailboxes;
pub mod mailserver;
pub mod microsoft;
pub mod outgoing;
pub mod preflight;
pub mod reencrypt;
pub mod setup;
mod state;
pub mod store;
pub mod telemetry;

pub use state::{AppState, MicrosoftEndpoints};
