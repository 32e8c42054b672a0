//! Database schema, one file per migration, each with `up` and `down`.
//!
//! Runs on SQLite, PostgreSQL and MariaDB: only portable column types are used.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_create_mailboxes;
mod m20261128_000002_mailbox_form;
mod m20261129_000003_access;
mod m20261201_000003_microsoft_connection;
mod m20261205_000004_diagnostics;
mod m20261210_000005_mail;
mod m20261212_000006_fetch_progress;
mod m20261214_000007_mail_quarantine;
mod m20261215_000008_mail_visible_index;
mod m20261215_000009_attachment_chunks;
mod m20261216_000010_connection_method;
mod m20261217_000011_imap_position;
mod m20261218_000012_method_choice_reason;
mod m20261219_000013_app_registrations;
mod m20261220_000014_microsoft_setups;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_create_mailboxes::Migration),
            Box::new(m20261128_000002_mailbox_form::Migration),
            Box::new(m20261129_000003_access::Migration),
            Box::new(m20261201_000003_microsoft_connection::Migration),
            Box::new(m20261205_000004_diagnostics::Migration),
            Box::new(m20261210_000005_mail::Migration),
            Box::new(m20261212_000006_fetch_progress::Migration),
            Box::new(m20261214_000007_mail_quarantine::Migration),
            Box::new(m20261215_000008_mail_visible_index::Migration),
            Box::new(m20261215_000009_attachment_chunks::Migration),
            Box::new(m20261216_000010_connection_method::Migration),
            Box::new(m20261217_000011_imap_position::Migration),
            Box::new(m20261218_000012_method_choice_reason::Migration),
            Box::new(m20261219_000013_app_registrations::Migration),
            Box::new(m20261220_000014_microsoft_setups::Migration),
        ]
    }
}
