//! SeaORM entities, one file per table.

pub mod connection_attempt;
pub mod mailbox;
pub mod mailbox_microsoft_settings;
pub mod mailbox_token;
