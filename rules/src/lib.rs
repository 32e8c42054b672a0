//! The rules and view models that the browser and the server share. Everything here compiles
//! to wasm32 and does no I/O: validation of the mailbox form, the advice table for
//! Microsoft's error codes, the message catalogue (Dutch and English), the access table, and
//! the data the pages show. The server-only crate (`backend`) and the pages (`app`) both build
//! on it; it imports neither.

pub mod access;
pub mod advice;
pub mod app_registrations;
pub mod audit_log;
pub mod basic_auth;
pub mod connection;
pub mod diagnostics;
pub mod i18n;
pub mod mail;
pub mod mailbox_form;
pub mod mailbox_list;
pub mod passwordless;
pub mod preflight;
pub mod setup;
pub mod site;
pub mod time;
pub mod validation;
