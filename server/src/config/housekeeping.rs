//! Housekeeping: how often old rows are swept and how long they are kept.

use std::time::Duration;

use chrono::TimeDelta;

use backend::housekeeping::Retention;

use super::ConfigError;

/// The sweep's schedule and retention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HousekeepingConfig {
    /// `HOUSEKEEPING_INTERVAL_SECS`: how often each instance sweeps (default 3600; `0`: never,
    /// for an installation that sweeps from one instance only).
    pub interval: Option<Duration>,
    /// `CONNECTION_ATTEMPT_RETENTION_DAYS` (default 90, 1–3650). Sessions go when they have
    /// ended, failed sign-ins when they leave `SIGN_IN_WINDOW_MINUTES`.
    pub retention: Retention,
}

impl HousekeepingConfig {
    /// Reads the variables through `lookup`.
    pub fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let number =
            |variable: &'static str, default: i64, min: i64, max: i64| match lookup(variable)
                .filter(|value| !value.trim().is_empty())
            {
                None => Ok(default),
                Some(text) => text
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (min..=max).contains(n))
                    .ok_or_else(|| ConfigError {
                        variable,
                        problem: format!("'{text}' is not a whole number from {min} to {max}"),
                    }),
            };
        let defaults = Retention::default();
        let interval = number("HOUSEKEEPING_INTERVAL_SECS", 3600, 0, 7 * 24 * 3600)?;
        Ok(HousekeepingConfig {
            interval: (interval > 0).then(|| Duration::from_secs(interval.unsigned_abs())),
            retention: Retention {
                connection_attempts: TimeDelta::days(number(
                    "CONNECTION_ATTEMPT_RETENTION_DAYS",
                    defaults.connection_attempts.num_days(),
                    1,
                    3650,
                )?),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &'static str, value: &'static str) -> Result<HousekeepingConfig, ConfigError> {
        HousekeepingConfig::from_lookup(&|asked: &str| (asked == name).then(|| value.to_string()))
    }

    #[test]
    fn defaults_off_and_bad_values() {
        let defaults = read("", "").ok();
        assert_eq!(
            defaults,
            Some(HousekeepingConfig {
                interval: Some(Duration::from_secs(3600)),
                retention: Retention::default(),
            })
        );
        assert_eq!(
            read("HOUSEKEEPING_INTERVAL_SECS", "0")
                .ok()
                .map(|c| c.interval),
            Some(None)
        );
        assert_eq!(
            read("CONNECTION_ATTEMPT_RETENTION_DAYS", "7")
                .ok()
                .map(|c| c.retention.connection_attempts),
            Some(TimeDelta::days(7))
        );
        for variable in [
            "HOUSEKEEPING_INTERVAL_SECS",
            "CONNECTION_ATTEMPT_RETENTION_DAYS",
        ] {
            assert_eq!(
                read(variable, "-1").err().map(|e| e.variable),
                Some(variable)
            );
        }
    }
}
