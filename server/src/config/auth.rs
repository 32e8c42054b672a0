//! Accounts and sessions: the first administrator, session lifetimes, sign-in throttling.

use chrono::TimeDelta;
use secrecy::SecretString;

use backend::auth::client_address::TrustedProxies;
use backend::auth::password_checks::PasswordChecks;
use backend::auth::sessions::SessionPolicy;
use backend::auth::sign_in::AuthPolicy;
use backend::auth::throttle::ThrottlePolicy;

use super::ConfigError;

/// Everything about signing in. `Debug` shows no password.
#[derive(Clone, Debug)]
pub struct AuthConfig {
    /// `BOOTSTRAP_ADMIN_EMAIL`: the first `beheerder`, created when there are no accounts.
    pub bootstrap_admin_email: Option<String>,
    /// `BOOTSTRAP_ADMIN_PASSWORD`: that account's password (at least 12 characters).
    pub bootstrap_admin_password: Option<SecretString>,
    /// `SESSION_IDLE_MINUTES` (default 30) and `SESSION_ABSOLUTE_HOURS` (default 12).
    pub sessions: SessionPolicy,
    /// `SIGN_IN_MAX_FAILURES` (default 5) within `SIGN_IN_WINDOW_MINUTES` (default 15) lock
    /// an account or client address until the failures age out of the window.
    pub throttle: ThrottlePolicy,
    /// `TRUSTED_PROXIES`: addresses and CIDR ranges of the reverse proxies whose
    /// `X-Forwarded-For` names the client (default none: the socket's peer is the client).
    pub trusted_proxies: TrustedProxies,
    /// `SIGN_IN_CONCURRENT_CHECKS` (default: one per core): passwords checked at once; a
    /// sign-in that finds none free within 2 s is asked to try again.
    pub password_checks: PasswordChecks,
}

impl AuthConfig {
    /// Reads the variables through `lookup`.
    pub fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let text = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let number = |variable: &'static str, default: i64| -> Result<i64, ConfigError> {
            match text(variable) {
                None => Ok(default),
                Some(value) => value
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=100_000).contains(n))
                    .ok_or_else(|| ConfigError {
                        variable,
                        problem: format!("'{value}' is not a whole number from 1 to 100000"),
                    }),
            }
        };
        let email = text("BOOTSTRAP_ADMIN_EMAIL").map(|e| e.trim().to_string());
        let password = text("BOOTSTRAP_ADMIN_PASSWORD").map(SecretString::from);
        if email.is_some() != password.is_some() {
            let variable = if email.is_some() {
                "BOOTSTRAP_ADMIN_PASSWORD"
            } else {
                "BOOTSTRAP_ADMIN_EMAIL"
            };
            return Err(ConfigError {
                variable,
                problem: "must be set together with the other BOOTSTRAP_ADMIN_ variable"
                    .to_string(),
            });
        }
        Ok(AuthConfig {
            bootstrap_admin_email: email,
            bootstrap_admin_password: password,
            sessions: SessionPolicy {
                idle: TimeDelta::minutes(number("SESSION_IDLE_MINUTES", 30)?),
                absolute: TimeDelta::hours(number("SESSION_ABSOLUTE_HOURS", 12)?),
            },
            throttle: ThrottlePolicy {
                max_failures: number("SIGN_IN_MAX_FAILURES", 5)?.unsigned_abs(),
                window: TimeDelta::minutes(number("SIGN_IN_WINDOW_MINUTES", 15)?),
            },
            password_checks: match text("SIGN_IN_CONCURRENT_CHECKS") {
                None => PasswordChecks::default(),
                Some(_) => PasswordChecks::new(
                    number("SIGN_IN_CONCURRENT_CHECKS", 1)?.unsigned_abs() as usize,
                    PasswordChecks::DEFAULT_WAIT,
                ),
            },
            trusted_proxies: TrustedProxies::parse(&text("TRUSTED_PROXIES").unwrap_or_default())
                .map_err(|problem| ConfigError {
                    variable: "TRUSTED_PROXIES",
                    problem,
                })?,
        })
    }

    /// The policy for [`backend::AppState`]; the cookie is `Secure` on https.
    pub fn policy(&self, public_base_url: &str) -> AuthPolicy {
        AuthPolicy {
            sessions: self.sessions,
            throttle: self.throttle,
            trusted_proxies: self.trusted_proxies.clone(),
            secure_cookie: public_base_url.starts_with("https://"),
            password_checks: self.password_checks.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(vars: &[(&str, &str)]) -> Result<AuthConfig, ConfigError> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        AuthConfig::from_lookup(&|name: &str| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn defaults_and_values() -> Result<(), ConfigError> {
        let config = read(&[])?;
        assert_eq!(config.sessions, SessionPolicy::default());
        assert_eq!(config.throttle, ThrottlePolicy::default());
        let config = read(&[
            ("SESSION_IDLE_MINUTES", "5"),
            ("BOOTSTRAP_ADMIN_EMAIL", "a@example.org"),
            ("BOOTSTRAP_ADMIN_PASSWORD", "geheim-wachtwoord"),
        ])?;
        assert_eq!(config.sessions.idle, TimeDelta::minutes(5));
        assert!(!format!("{config:?}").contains("geheim-wachtwoord"));
        assert!(config.policy("https://crm.example.org").secure_cookie);
        assert!(!config.policy("http://127.0.0.1:3000").secure_cookie);
        assert_eq!(config.trusted_proxies, TrustedProxies::default());
        let behind_nginx = read(&[("TRUSTED_PROXIES", "127.0.0.1, ::1")])?;
        assert_eq!(
            behind_nginx.trusted_proxies,
            TrustedProxies::parse("127.0.0.1 ::1").map_err(|problem| ConfigError {
                variable: "TRUSTED_PROXIES",
                problem
            })?
        );
        let bad = read(&[("TRUSTED_PROXIES", "nginx")]).map(|_| ());
        assert_eq!(bad.map_err(|error| error.variable), Err("TRUSTED_PROXIES"));
        Ok(())
    }

    #[test]
    fn bad_values_name_their_variable() {
        let error = read(&[("SIGN_IN_MAX_FAILURES", "veel")]).err();
        assert_eq!(error.map(|e| e.variable), Some("SIGN_IN_MAX_FAILURES"));
        let error = read(&[("BOOTSTRAP_ADMIN_EMAIL", "a@example.org")]).err();
        assert_eq!(error.map(|e| e.variable), Some("BOOTSTRAP_ADMIN_PASSWORD"));
    }
}
