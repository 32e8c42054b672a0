//! How the server is watched: the log's format and the Prometheus endpoint.

use std::net::SocketAddr;

use secrecy::{ExposeSecret, SecretString};

use super::ConfigError;

/// `LOG_FORMAT`: `text` (default, for a terminal and journald) or `json` (one object a line,
/// for a log collector).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl LogFormat {
    /// Reads `LOG_FORMAT` through `lookup`.
    pub fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        match lookup("LOG_FORMAT")
            .map(|value| value.trim().to_ascii_lowercase())
            .as_deref()
        {
            None | Some("") | Some("text") => Ok(LogFormat::Text),
            Some("json") => Ok(LogFormat::Json),
            Some(other) => Err(ConfigError {
                variable: "LOG_FORMAT",
                problem: format!("'{other}' is neither text nor json"),
            }),
        }
    }
}

/// The Prometheus endpoint: off unless `METRICS_ADDR` is set. `Debug` shows no token.
#[derive(Clone, Debug, Default)]
pub struct MetricsConfig {
    /// `METRICS_ADDR`: a listen address of its own for `GET /metrics`, apart from the app's
    /// (so the proxy in front of the app never serves it).
    pub addr: Option<SocketAddr>,
    /// `METRICS_TOKEN`: when set, a scrape must send `Authorization: Bearer <token>`.
    /// Required when `METRICS_ADDR` is not a loopback address: the metrics are never
    /// public by accident.
    pub token: Option<SecretString>,
}

/// The shortest token accepted: guessing it must be hopeless.
const MIN_TOKEN_LEN: usize = 24;

impl MetricsConfig {
    /// Reads `METRICS_ADDR` and `METRICS_TOKEN` through `lookup`.
    pub fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let text = |name: &str| {
            lookup(name)
                .map(|value| value.trim().to_string())
                .filter(|value| !value.is_empty())
        };
        let addr = match text("METRICS_ADDR") {
            None => None,
            Some(value) => Some(value.parse::<SocketAddr>().map_err(|_| ConfigError {
                variable: "METRICS_ADDR",
                problem: format!("'{value}' is not an address like 127.0.0.1:9464"),
            })?),
        };
        let token = text("METRICS_TOKEN").map(SecretString::from);
        if let Some(token) = &token {
            if token.expose_secret().len() < MIN_TOKEN_LEN {
                return Err(ConfigError {
                    variable: "METRICS_TOKEN",
                    problem: format!(
                        "must be at least {MIN_TOKEN_LEN} characters (openssl rand -hex 32)"
                    ),
                });
            }
        }
        if let Some(addr) = addr {
            if !addr.ip().is_loopback() && token.is_none() {
                return Err(ConfigError {
                    variable: "METRICS_TOKEN",
                    problem: format!(
                        "must be set when METRICS_ADDR ({addr}) is reachable from other hosts"
                    ),
                });
            }
        }
        Ok(MetricsConfig { addr, token })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(vars: &[(&str, &str)]) -> Result<MetricsConfig, ConfigError> {
        MetricsConfig::from_lookup(&|name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    const TOKEN: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn metrics_are_off_by_default_and_never_public_without_a_token() {
        assert!(metrics(&[]).is_ok_and(|config| config.addr.is_none()));
        assert!(metrics(&[("METRICS_ADDR", "127.0.0.1:9464")]).is_ok());
        assert!(metrics(&[("METRICS_ADDR", "[::1]:9464")]).is_ok());
        let public = metrics(&[("METRICS_ADDR", "0.0.0.0:9464")]);
        assert_eq!(public.err().map(|e| e.variable), Some("METRICS_TOKEN"));
        let with_token = metrics(&[("METRICS_ADDR", "0.0.0.0:9464"), ("METRICS_TOKEN", TOKEN)]);
        assert!(with_token.is_ok_and(|config| !format!("{config:?}").contains(TOKEN)));
        let short = metrics(&[
            ("METRICS_ADDR", "0.0.0.0:9464"),
            ("METRICS_TOKEN", "geheim"),
        ]);
        assert_eq!(short.err().map(|e| e.variable), Some("METRICS_TOKEN"));
        let bad = metrics(&[("METRICS_ADDR", "9464")]);
        assert_eq!(bad.err().map(|e| e.variable), Some("METRICS_ADDR"));
    }

    #[test]
    fn log_format() {
        let read = |value: &'static str| {
            LogFormat::from_lookup(&|name: &str| (name == "LOG_FORMAT").then(|| value.to_string()))
        };
        assert_eq!(read("").ok(), Some(LogFormat::Text));
        assert_eq!(read("JSON").ok(), Some(LogFormat::Json));
        assert_eq!(read("xml").err().map(|e| e.variable), Some("LOG_FORMAT"));
    }
}
