//! The use cases behind the pages' server functions, each one function in one place: the
//! mailbox form, starting a connection (with the preflight gate) and the mail views. The
//! callback, the refresh and the mail sync live with their adapters (`connect`, `mail`).

pub mod app_credentials;
pub mod app_registrations;
pub mod basic_auth;
pub mod connect;
pub mod mail;
pub mod mailbox_form;
pub mod setup;
