//! SeaORM entities, one file per table.

pub mod mailbox;
pub mod mailbox_microsoft_settings;
