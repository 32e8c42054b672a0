//! Limits on HTTP connections and requests.

use std::time::Duration;

use super::ConfigError;

/// How long a client and a handler may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpConfig {
    /// `HTTP_HEADER_READ_TIMEOUT_SECS`: a connection that has not sent a request's whole
    /// headers within this time is closed (1–300, default 10).
    pub header_read_timeout: Duration,
    /// `HTTP_REQUEST_TIMEOUT_SECS`: a request whose response has not started within this time
    /// (reading the body included) is answered `503` (1–3600, default 90: above the
    /// slowest page, a preflight of four calls to Microsoft). A download that has started
    /// streams on.
    pub request_timeout: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(90),
        }
    }
}

impl HttpConfig {
    /// Reads the variables through `lookup`.
    pub fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let defaults = HttpConfig::default();
        Ok(HttpConfig {
            header_read_timeout: seconds(
                lookup,
                "HTTP_HEADER_READ_TIMEOUT_SECS",
                defaults.header_read_timeout,
                300,
            )?,
            request_timeout: seconds(
                lookup,
                "HTTP_REQUEST_TIMEOUT_SECS",
                defaults.request_timeout,
                3600,
            )?,
        })
    }
}

/// A whole number of seconds from 1 to `max`, or `default` when unset.
pub(super) fn seconds(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: Duration,
    max: u64,
) -> Result<Duration, ConfigError> {
    let Some(text) = lookup(variable).filter(|value| !value.trim().is_empty()) else {
        return Ok(default);
    };
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|secs| (1..=max).contains(secs))
        .map(Duration::from_secs)
        .ok_or_else(|| ConfigError {
            variable,
            problem: format!("'{text}' is not a number of seconds from 1 to {max}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_values_and_bad_values() {
        let none = |_: &str| None;
        assert_eq!(
            HttpConfig::from_lookup(&none).ok(),
            Some(HttpConfig::default())
        );
        let set = |name: &str| (name == "HTTP_REQUEST_TIMEOUT_SECS").then(|| "5".to_string());
        assert_eq!(
            HttpConfig::from_lookup(&set)
                .map(|c| c.request_timeout)
                .ok(),
            Some(Duration::from_secs(5))
        );
        let zero = |name: &str| (name == "HTTP_HEADER_READ_TIMEOUT_SECS").then(|| "0".to_string());
        assert_eq!(
            HttpConfig::from_lookup(&zero).err().map(|e| e.variable),
            Some("HTTP_HEADER_READ_TIMEOUT_SECS")
        );
    }
}
