//! Typed configuration, read once at start-up from the environment (and `.env` is not read:
//! the Makefile and the deployment set variables explicitly).

mod auth;
mod encryption;
mod housekeeping;
mod http;
mod mail;
mod observability;
mod time_zone;

use std::net::SocketAddr;
use std::time::Duration;

use rules::site::DemoAccount;

pub use auth::AuthConfig;
pub use encryption::{AppEnv, EncryptionKeys};
pub use housekeeping::HousekeepingConfig;
pub use http::HttpConfig;
pub use mail::MailConfig;
pub use observability::{LogFormat, MetricsConfig};

/// Everything the server needs to start. Each field names its environment variable.
#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://…`, `postgres://…` or `mysql://…`.
    /// Default: a SQLite file `data/mailboxen.db`, created when missing.
    pub database_url: String,
    /// `DATABASE_MAX_CONNECTIONS`: the pool's size per instance, 1–1000. Default 10.
    pub database_max_connections: u32,
    /// `MIGRATE_AT_START`: `true` (default) applies pending migrations at start-up, under a
    /// database lock; `false` leaves that to `server migrate` and refuses to start on an
    /// older schema.
    pub migrate_at_start: bool,
    /// `LEPTOS_SITE_ADDR`: where to listen. Default `127.0.0.1:3000`.
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: the directory cargo-leptos built (`pkg/` inside). Default `target/site`.
    pub site_root: String,
    /// `PUBLIC_BASE_URL`: how browsers and Microsoft reach this server. Default
    /// `http://127.0.0.1:3000`. The redirect URI is `{PUBLIC_BASE_URL}/api/oauth/ms-azure/callback`.
    pub public_base_url: String,
    /// `MICROSOFT_LOGIN_URL`. Default `https://login.microsoftonline.com`.
    pub microsoft_login_url: String,
    /// `MICROSOFT_GRAPH_URL`. Default `https://graph.microsoft.com`.
    pub microsoft_graph_url: String,
    /// `MICROSOFT_HTTP_TIMEOUT_SECS`: the limit on each request to Microsoft (token
    /// endpoint, discovery, Graph), 1–300 seconds. Default 20.
    pub microsoft_http_timeout: Duration,
    /// `APP_ENV`: `production` (default), `development` or `test`.
    pub app_env: AppEnv,
    /// `ENCRYPTION_KEY` (required in production) and `ENCRYPTION_KEY_PREVIOUS`.
    pub encryption: EncryptionKeys,
    /// Accounts and sessions: `BOOTSTRAP_ADMIN_*`, `SESSION_*`, `SIGN_IN_*`.
    pub auth: AuthConfig,
    /// Incoming mail: `MAIL_*`.
    pub mail: MailConfig,
    /// `TIME_ZONE`: the IANA zone the screens show times in. Default `Europe/Amsterdam`.
    pub time_zone: rules::time::Tz,
    /// `HTTP_*`: header-read and request timeouts.
    pub http: HttpConfig,
    /// `LOG_FORMAT`: `text` or `json`.
    pub log_format: LogFormat,
    /// `METRICS_ADDR`, `METRICS_TOKEN`: the Prometheus endpoint.
    pub metrics: MetricsConfig,
    /// `HOUSEKEEPING_INTERVAL_SECS`, `*_RETENTION_DAYS`: the sweep of old rows.
    pub housekeeping: HousekeepingConfig,
}

/// A variable that is set but unusable; the message names it.
#[derive(Debug, thiserror::Error)]
#[error("configuration error in {variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/mailboxen.db?mode=rwc";

/// The password `make run` gives the demo administrator (scripts/run.sh, README). Being
/// published already, it is the only password the sign-in page ever shows.
pub const PUBLISHED_DEMO_PASSWORD: &str = "Demo-beheerder-2026";

impl Config {
    /// In demo mode (Microsoft is a stand-in and `APP_ENV` is not production) the sign-in
    /// page names the first administrator, with the password only if it is the published one.
    pub fn demo_account(&self) -> Option<DemoAccount> {
        use secrecy::ExposeSecret;
        let fake = self.microsoft_login_url != backend::MicrosoftEndpoints::REAL_LOGIN_URL
            || self.microsoft_graph_url != backend::MicrosoftEndpoints::REAL_GRAPH_URL;
        if !fake || self.app_env == AppEnv::Production {
            return None;
        }
        let email = self.auth.bootstrap_admin_email.clone()?;
        let published = self
            .auth
            .bootstrap_admin_password
            .as_ref()
            .is_some_and(|password| password.expose_secret() == PUBLISHED_DEMO_PASSWORD);
        Some(DemoAccount {
            email,
            password: published.then(|| PUBLISHED_DEMO_PASSWORD.to_string()),
        })
    }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str, default: &str| {
            lookup(name)
                .map(|value| value.trim().to_string())
                .filter(|value| !value.is_empty())
                .unwrap_or_else(|| default.to_string())
        };
        let site_addr_text = get("LEPTOS_SITE_ADDR", "127.0.0.1:3000");
        let site_addr = site_addr_text.parse().map_err(|_| ConfigError {
            variable: "LEPTOS_SITE_ADDR",
            problem: format!("'{site_addr_text}' is not an address like 127.0.0.1:3000"),
        })?;
        let app_env = AppEnv::parse(lookup("APP_ENV").as_deref())?;
        let encryption = EncryptionKeys::from_lookup(app_env, &lookup)?;
        let timeout_text = get("MICROSOFT_HTTP_TIMEOUT_SECS", "20");
        let microsoft_http_timeout = timeout_text
            .parse::<u64>()
            .ok()
            .filter(|secs| (1..=300).contains(secs))
            .map(Duration::from_secs)
            .ok_or_else(|| ConfigError {
                variable: "MICROSOFT_HTTP_TIMEOUT_SECS",
                problem: format!("'{timeout_text}' is not a number of seconds from 1 to 300"),
            })?;
        let max_text = get(
            "DATABASE_MAX_CONNECTIONS",
            &crate::db::DEFAULT_MAX_CONNECTIONS.to_string(),
        );
        let database_max_connections = max_text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| ConfigError {
                variable: "DATABASE_MAX_CONNECTIONS",
                problem: format!("'{max_text}' is not a whole number from 1 to 1000"),
            })?;
        let migrate_at_start = match get("MIGRATE_AT_START", "true")
            .to_ascii_lowercase()
            .as_str()
        {
            "true" | "1" | "yes" => true,
            "false" | "0" | "no" => false,
            other => {
                return Err(ConfigError {
                    variable: "MIGRATE_AT_START",
                    problem: format!("'{other}' is neither true nor false"),
                })
            }
        };
        let auth = AuthConfig::from_lookup(&lookup)?;
        let mail = MailConfig::from_lookup(&lookup)?;
        let time_zone = time_zone::time_zone(lookup("TIME_ZONE").as_deref())?;
        let http = HttpConfig::from_lookup(&lookup)?;
        Ok(Config {
            http,
            log_format: LogFormat::from_lookup(&lookup)?,
            metrics: MetricsConfig::from_lookup(&lookup)?,
            housekeeping: HousekeepingConfig::from_lookup(&lookup)?,
            mail,
            time_zone,
            microsoft_http_timeout,
            app_env,
            encryption,
            auth,
            database_url: database_url(&get("DATABASE_URL", DEFAULT_DATABASE_URL))?,
            database_max_connections,
            migrate_at_start,
            site_addr,
            site_root: get("LEPTOS_SITE_ROOT", "target/site"),
            public_base_url: base_url(
                "PUBLIC_BASE_URL",
                &get("PUBLIC_BASE_URL", "http://127.0.0.1:3000"),
            )?,
            microsoft_login_url: base_url(
                "MICROSOFT_LOGIN_URL",
                &get(
                    "MICROSOFT_LOGIN_URL",
                    backend::MicrosoftEndpoints::REAL_LOGIN_URL,
                ),
            )?,
            microsoft_graph_url: base_url(
                "MICROSOFT_GRAPH_URL",
                &get(
                    "MICROSOFT_GRAPH_URL",
                    backend::MicrosoftEndpoints::REAL_GRAPH_URL,
                ),
            )?,
        })
    }
}

fn database_url(value: &str) -> Result<String, ConfigError> {
    let supported = [
        "sqlite:",
        "postgres://",
        "postgresql://",
        "mysql://",
        "mariadb://",
    ];
    if supported.iter().any(|prefix| value.starts_with(prefix)) {
        // sqlx speaks MariaDB through its MySQL driver.
        Ok(value.replacen("mariadb://", "mysql://", 1))
    } else {
        Err(ConfigError {
            variable: "DATABASE_URL",
            problem: "must start with sqlite:, postgres:// or mysql://".to_string(),
        })
    }
}

/// An absolute http(s) URL without a trailing slash.
fn base_url(variable: &'static str, value: &str) -> Result<String, ConfigError> {
    let trimmed = value.trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => {
            Ok(trimmed.to_string())
        }
        _ => Err(ConfigError {
            variable,
            problem: format!("'{value}' is not an http(s) URL"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = [("APP_ENV", "test")]
            .iter()
            .chain(vars)
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_serve_sqlite_on_port_3000_against_real_microsoft() -> Result<(), ConfigError> {
        let config = config(&[])?;
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(config.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(
            config.microsoft_login_url,
            "https://login.microsoftonline.com"
        );
        assert_eq!(config.microsoft_graph_url, "https://graph.microsoft.com");
        assert_eq!(config.microsoft_http_timeout, Duration::from_secs(20));
        assert_eq!(config.time_zone, rules::time::DEFAULT_ZONE);
        Ok(())
    }

    #[test]
    fn trailing_slashes_are_removed_and_mariadb_urls_accepted() -> Result<(), ConfigError> {
        let config = config(&[
            ("PUBLIC_BASE_URL", "https://crm.example.org/"),
            ("DATABASE_URL", "mariadb://root@127.0.0.1/crm"),
        ])?;
        assert_eq!(config.public_base_url, "https://crm.example.org");
        assert_eq!(config.database_url, "mysql://root@127.0.0.1/crm");
        Ok(())
    }

    #[test]
    fn demo_mode_names_the_first_administrator_and_only_a_published_password(
    ) -> Result<(), ConfigError> {
        let demo = [
            ("APP_ENV", "development"),
            ("MICROSOFT_LOGIN_URL", "http://127.0.0.1:9000"),
            ("MICROSOFT_GRAPH_URL", "http://127.0.0.1:9000"),
            ("BOOTSTRAP_ADMIN_EMAIL", "beheerder@example.org"),
        ];
        let with = |password: &'static str, extra: &[(&'static str, &'static str)]| {
            let mut vars = demo.to_vec();
            vars.push(("BOOTSTRAP_ADMIN_PASSWORD", password));
            vars.extend_from_slice(extra);
            config(&vars).map(|config| config.demo_account())
        };
        let published = with(PUBLISHED_DEMO_PASSWORD, &[])?;
        assert_eq!(
            published,
            Some(DemoAccount {
                email: "beheerder@example.org".to_string(),
                password: Some(PUBLISHED_DEMO_PASSWORD.to_string()),
            })
        );
        let chosen = with("Een-eigen-wachtwoord-2026", &[])?;
        assert_eq!(chosen.and_then(|account| account.password), None);
        let production = with(
            PUBLISHED_DEMO_PASSWORD,
            &[
                ("APP_ENV", "production"),
                (
                    "ENCRYPTION_KEY",
                    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                ),
            ],
        );
        assert_eq!(production?, None);
        let real = config(&[
            ("APP_ENV", "development"),
            ("BOOTSTRAP_ADMIN_EMAIL", "beheerder@example.org"),
            ("BOOTSTRAP_ADMIN_PASSWORD", PUBLISHED_DEMO_PASSWORD),
        ]);
        assert_eq!(real?.demo_account(), None);
        Ok(())
    }

    #[test]
    fn make_run_uses_the_published_demo_password() {
        let run = include_str!("../../scripts/run.sh");
        assert!(run.contains(&format!(
            "BOOTSTRAP_ADMIN_PASSWORD:-{PUBLISHED_DEMO_PASSWORD}"
        )));
    }

    #[test]
    fn the_example_environment_names_every_setting() {
        let readme = include_str!("../../README.md");
        let example = include_str!("../../deploy/mailboxen.env.example");
        let section = readme
            .split("\n## Configuration\n")
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .unwrap_or("");
        // Build and test settings, not the server's.
        let not_the_servers = [
            "CARGO_TARGET_DIR",
            "TEST_POSTGRES_URL",
            "TEST_MYSQL_URL",
            "REQUIRE_ALL_DATABASES",
            "DIST_PROFILE",
            "DIST_DIR",
            "DEPLOY_TEST_PORT",
        ];
        let names: Vec<&str> = section
            .lines()
            .filter_map(|line| line.strip_prefix("| `"))
            .filter_map(|rest| rest.split('`').next())
            .filter(|name| !not_the_servers.contains(name))
            .collect();
        assert!(names.len() > 30, "the README's table was not found");
        for name in names {
            assert!(
                example.contains(&format!("\n{name}=")) || example.contains(&format!("#{name}=")),
                "{name} is missing from deploy/mailboxen.env.example"
            );
        }
    }

    #[test]
    fn the_deploy_guide_names_every_setting_of_the_example_environment() {
        let deploy = include_str!("../../DEPLOY.md");
        let example = include_str!("../../deploy/mailboxen.env.example");
        let names: Vec<&str> = example
            .lines()
            .map(|line| line.trim_start_matches('#'))
            .filter_map(|line| line.split_once('=').map(|(name, _)| name))
            .filter(|name| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            })
            .collect();
        assert!(names.len() > 30, "the example's settings were not found");
        for name in names {
            assert!(
                deploy.contains(&format!("`{name}`")),
                "{name} is missing from DEPLOY.md"
            );
        }
    }

    #[test]
    fn bad_values_name_their_variable() {
        let cases = [
            ("DATABASE_URL", "oracle://x"),
            ("PUBLIC_BASE_URL", "crm.example.org"),
            ("MICROSOFT_LOGIN_URL", "ftp://x"),
            ("LEPTOS_SITE_ADDR", "port 3000"),
            ("MICROSOFT_HTTP_TIMEOUT_SECS", "0"),
            ("MICROSOFT_HTTP_TIMEOUT_SECS", "twenty"),
            ("TIME_ZONE", "Amsterdam"),
        ];
        for (variable, value) in cases {
            match config(&[(variable, value)]) {
                Err(error) => assert_eq!(error.variable, variable),
                Ok(_) => panic!("{variable}={value} was accepted"),
            }
        }
    }
}
