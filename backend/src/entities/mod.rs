//! SeaORM entities, one file per table.

pub mod app_credential;
pub mod app_registration;
pub mod audit_log;
pub mod connection_attempt;
pub mod mail_attachment;
pub mod mail_attachment_chunk;
pub mod mail_imap_state;
pub mod mail_message;
pub mod mail_quarantine;
pub mod mail_sync_state;
pub mod mailbox;
pub mod mailbox_microsoft_settings;
pub mod mailbox_token;
pub mod microsoft_setup;
pub mod session;
pub mod sign_in_failure;
pub mod user;
