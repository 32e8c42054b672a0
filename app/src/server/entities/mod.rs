//! SeaORM entities, one file per table.

pub mod mailbox;
