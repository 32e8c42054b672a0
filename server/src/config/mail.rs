//! Incoming mail: `MAIL_SYNC_INTERVAL_SECS`, `MAIL_SYNC_START_DATE`, `MAIL_PAGE_SIZE`,
//! `MAIL_ATTACHMENT_MAX_BYTES`, `MAIL_ATTACHMENT_MESSAGE_BUDGET_BYTES`,
//! `MAIL_ATTACHMENT_RUN_BUDGET_BYTES`, `MAIL_GRAPH_RESPONSE_MAX_BYTES`,
//! `MAIL_MAX_CONSECUTIVE_FAILURES`, `MAIL_FAILURE_BACKOFF_MAX_SECS`, `MAIL_FAILURE_HISTORY`,
//! `MAIL_SYNC_CONCURRENCY`, `MAIL_SYNC_LEASE_SECS`, `MAIL_RETRY_MAX_ATTEMPTS`,
//! `MAIL_EXTRA_CA_FILE`.

use std::time::Duration;

use backend::mail::MailSettings;
use backend::mailserver::TlsRoots;
use backend::microsoft::graph::RetryPolicy;
use chrono::{DateTime, NaiveDate, Utc};

use super::ConfigError;

/// The mail sync's settings. Each field names its variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailConfig {
    /// `MAIL_SYNC_INTERVAL_SECS`: each mailbox is synced this often; 0 disables the
    /// scheduler ("Nu ophalen" still works). Default 300.
    pub sync_interval: Duration,
    /// `MAIL_SYNC_START_DATE` (`YYYY-MM-DD`, UTC): a mailbox's first sync fetches mail
    /// received from that day on. Default: 365 days before the first sync.
    pub start_date: Option<DateTime<Utc>>,
    /// `MAIL_PAGE_SIZE`: messages per Graph page, 1–1000. Default 50.
    pub page_size: u32,
    /// `MAIL_ATTACHMENT_MAX_BYTES`: larger attachments are listed as skipped. Default
    /// 10485760 (10 MiB).
    pub attachment_max_bytes: u64,
    /// `MAIL_ATTACHMENT_MESSAGE_BUDGET_BYTES`: one message's attachments are stored up to
    /// this many bytes together (the disk one message takes). Default 26214400 (25 MiB).
    pub attachment_message_budget_bytes: u64,
    /// `MAIL_ATTACHMENT_RUN_BUDGET_BYTES`: one sync of one mailbox downloads at most this
    /// many attachment bytes. Default 1073741824 (1 GiB).
    pub attachment_run_budget_bytes: u64,
    /// `MAIL_GRAPH_RESPONSE_MAX_BYTES`: the largest Graph answer the sync reads, 64 KiB–1 GiB.
    /// Default 33554432 (32 MiB).
    pub graph_response_max_bytes: u64,
    /// `MAIL_MAX_CONSECUTIVE_FAILURES`: failed syncs in a row before a mailbox shows
    /// "Fout". Default 5.
    pub max_consecutive_failures: u32,
    /// `MAIL_FAILURE_BACKOFF_MAX_SECS`: a mailbox whose syncs keep failing waits the
    /// interval doubled per further failure, at most this long. Default 3600.
    pub failure_backoff_max: Duration,
    /// `MAIL_FAILURE_HISTORY`: failed syncs kept per mailbox, 1–10000. Default 50.
    pub failure_history: u32,
    /// `MAIL_SYNC_CONCURRENCY`: mailboxes one instance syncs at once, 1–64. Default 4.
    pub concurrency: usize,
    /// `MAIL_SYNC_LEASE_SECS`: a claimed mailbox stays claimed this long without progress
    /// (renewed per page); then another instance takes it over. Default 300.
    pub lease: Duration,
    /// `MAIL_RETRY_MAX_ATTEMPTS`: attempts per Graph request, 1–10. Default 4.
    pub retry_max_attempts: u32,
    /// `MAIL_EXTRA_CA_FILE`: a PEM file of authorities an IMAP or SMTP server's certificate
    /// may chain to besides the public roots (a company CA; the test servers' own). Read and
    /// checked at start-up. Default: none.
    pub extra_ca_file: Option<String>,
}

impl MailConfig {
    /// Reads the variables through `lookup`.
    pub fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let number =
            |variable: &'static str, default: u64, min: u64, max: u64| match lookup(variable)
                .filter(|v| !v.trim().is_empty())
            {
                None => Ok(default),
                Some(value) => value
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (min..=max).contains(n))
                    .ok_or_else(|| ConfigError {
                        variable,
                        problem: format!("'{value}' is not a whole number from {min} to {max}"),
                    }),
            };
        let small = |variable, default, min, max| {
            number(variable, default, min, max).map(|n| u32::try_from(n).unwrap_or(u32::MAX))
        };
        Ok(MailConfig {
            sync_interval: Duration::from_secs(number("MAIL_SYNC_INTERVAL_SECS", 300, 0, 86_400)?),
            start_date: start_date(lookup)?,
            page_size: small("MAIL_PAGE_SIZE", 50, 1, 1000)?,
            attachment_max_bytes: number(
                "MAIL_ATTACHMENT_MAX_BYTES",
                10 * 1024 * 1024,
                0,
                1024 * 1024 * 1024,
            )?,
            attachment_message_budget_bytes: number(
                "MAIL_ATTACHMENT_MESSAGE_BUDGET_BYTES",
                25 * 1024 * 1024,
                0,
                1024 * 1024 * 1024,
            )?,
            attachment_run_budget_bytes: number(
                "MAIL_ATTACHMENT_RUN_BUDGET_BYTES",
                1024 * 1024 * 1024,
                0,
                1024 * 1024 * 1024 * 1024,
            )?,
            graph_response_max_bytes: number(
                "MAIL_GRAPH_RESPONSE_MAX_BYTES",
                backend::microsoft::graph::DEFAULT_RESPONSE_MAX_BYTES,
                64 * 1024,
                1024 * 1024 * 1024,
            )?,
            max_consecutive_failures: small("MAIL_MAX_CONSECUTIVE_FAILURES", 5, 1, 1000)?,
            failure_backoff_max: Duration::from_secs(number(
                "MAIL_FAILURE_BACKOFF_MAX_SECS",
                3600,
                0,
                7 * 86_400,
            )?),
            failure_history: small("MAIL_FAILURE_HISTORY", 50, 1, 10_000)?,
            concurrency: usize::try_from(number("MAIL_SYNC_CONCURRENCY", 4, 1, 64)?).unwrap_or(4),
            lease: Duration::from_secs(number("MAIL_SYNC_LEASE_SECS", 300, 2, 86_400)?),
            retry_max_attempts: small("MAIL_RETRY_MAX_ATTEMPTS", 4, 1, 10)?,
            extra_ca_file: extra_ca_file(lookup)?,
        })
    }

    /// The settings for [`backend::AppState`], waiting in real time.
    pub fn settings(&self) -> MailSettings {
        MailSettings {
            sync_interval: self.sync_interval,
            first_sync_since: self.start_date,
            page_size: self.page_size,
            attachment_max_bytes: self.attachment_max_bytes,
            attachment_message_budget_bytes: self.attachment_message_budget_bytes,
            attachment_run_budget_bytes: self.attachment_run_budget_bytes,
            graph_response_max_bytes: self.graph_response_max_bytes,
            max_consecutive_failures: self.max_consecutive_failures,
            failure_backoff_max: self.failure_backoff_max,
            failure_history: self.failure_history,
            concurrency: self.concurrency,
            lease: self.lease,
            retry: RetryPolicy {
                max_attempts: self.retry_max_attempts,
                ..RetryPolicy::default()
            },
            tls_roots: self
                .extra_ca_file
                .as_deref()
                .and_then(|path| TlsRoots::from_pem_file(path).ok())
                .unwrap_or_default(),
            ..MailSettings::default()
        }
    }
}

fn extra_ca_file(lookup: &impl Fn(&str) -> Option<String>) -> Result<Option<String>, ConfigError> {
    let Some(path) = lookup("MAIL_EXTRA_CA_FILE").filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    let path = path.trim().to_string();
    TlsRoots::from_pem_file(&path).map_err(|problem| ConfigError {
        variable: "MAIL_EXTRA_CA_FILE",
        problem,
    })?;
    Ok(Some(path))
}

fn start_date(
    lookup: &impl Fn(&str) -> Option<String>,
) -> Result<Option<DateTime<Utc>>, ConfigError> {
    let Some(value) = lookup("MAIL_SYNC_START_DATE").filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|at| Some(at.and_utc()))
        .ok_or_else(|| ConfigError {
            variable: "MAIL_SYNC_START_DATE",
            problem: format!("'{value}' is not a date like 2026-01-31"),
        })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<MailConfig, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        MailConfig::from_lookup(&|name: &str| map.get(name).cloned())
    }

    #[test]
    fn defaults() -> Result<(), ConfigError> {
        let mail = config(&[])?;
        assert_eq!(mail.sync_interval, Duration::from_secs(300));
        assert_eq!(mail.attachment_max_bytes, 10 * 1024 * 1024);
        assert_eq!(mail.attachment_message_budget_bytes, 25 * 1024 * 1024);
        assert_eq!(mail.attachment_run_budget_bytes, 1024 * 1024 * 1024);
        assert_eq!(mail.graph_response_max_bytes, 32 * 1024 * 1024);
        assert_eq!(mail.max_consecutive_failures, 5);
        assert_eq!(mail.failure_backoff_max, Duration::from_secs(3600));
        assert_eq!(mail.settings().failure_history, 50);
        assert_eq!(mail.start_date, None);
        assert_eq!(mail.settings().retry.max_attempts, 4);
        Ok(())
    }

    #[test]
    fn values_and_a_disabled_scheduler() -> Result<(), ConfigError> {
        let mail = config(&[
            ("MAIL_SYNC_INTERVAL_SECS", "0"),
            ("MAIL_SYNC_START_DATE", "2026-01-01"),
            ("MAIL_PAGE_SIZE", "100"),
        ])?;
        assert!(mail.sync_interval.is_zero());
        assert_eq!(
            mail.start_date.map(|d| d.to_rfc3339()),
            Some("2026-01-01T00:00:00+00:00".to_string())
        );
        assert_eq!(mail.settings().page_size, 100);
        Ok(())
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (variable, value) in [
            ("MAIL_SYNC_INTERVAL_SECS", "vijf"),
            ("MAIL_SYNC_START_DATE", "01-01-2026"),
            ("MAIL_PAGE_SIZE", "0"),
            ("MAIL_MAX_CONSECUTIVE_FAILURES", "0"),
            ("MAIL_SYNC_CONCURRENCY", "100"),
            ("MAIL_FAILURE_HISTORY", "0"),
            ("MAIL_GRAPH_RESPONSE_MAX_BYTES", "1000"),
            ("MAIL_ATTACHMENT_RUN_BUDGET_BYTES", "veel"),
        ] {
            match config(&[(variable, value)]) {
                Err(error) => assert_eq!(error.variable, variable),
                Ok(_) => panic!("{variable}={value} was accepted"),
            }
        }
    }
}
