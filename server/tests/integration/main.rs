//! Integration tests: the real router and data access against real databases.
//!
//! Every database test runs on SQLite, and on PostgreSQL and MariaDB when `TEST_POSTGRES_URL`
//! and `TEST_MYSQL_URL` are set (`make test` sets both, and `REQUIRE_ALL_DATABASES=1` so a
//! missing one fails instead of being skipped). Each test gets a database of its own.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a failed unwrap is a failed test, with its message"
)]

mod support;

mod access_accounts;
mod access_client_address;
mod access_csrf_audit;
mod access_enumeration;
mod access_mail;
mod access_no_leaks;
mod access_sign_in;
mod access_sign_in_flood;
mod app_registrations;
mod app_registrations_page;
mod app_registrations_rotation;
mod basic_auth_switch;
mod connect_by_address;
mod connect_certificate;
mod connect_failures;
mod connect_flow;
mod connect_no_leaks;
mod connect_refresh;
mod connect_user_binding;
mod db_migrate;
mod diagnostics_preflight;
mod housekeeping;
mod language;
mod mail_attachments;
mod mail_fetch_request;
mod mail_imap_smtp;
mod mail_multi_instance;
mod mail_poison;
mod mail_queries;
mod mail_send;
mod mail_sync;
mod mail_sync_resilience;
mod mail_views;
mod mail_views_synced;
mod mailbox_form_fixtures;
mod mailbox_form_issues;
mod mailbox_form_no_js;
mod mailbox_form_save;
mod mailbox_form_secrets;
mod mailbox_list_loads;
mod mailbox_list_page;
mod mailboxes_repo;
mod metrics_endpoint;
mod passwordless;
mod passwordless_auto;
mod probes;
mod process_cli;
mod secrets_reencrypt;
mod serve_assets;
mod serve_logs;
mod serve_timeouts;
mod setup_guided;
