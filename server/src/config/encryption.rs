//! `APP_ENV`, `ENCRYPTION_KEY` and `ENCRYPTION_KEY_PREVIOUS`.
//!
//! Generate a key with `openssl rand -base64 32`. To rotate: set the new key as
//! `ENCRYPTION_KEY`, move the old one to `ENCRYPTION_KEY_PREVIOUS`, restart, run
//! `server reencrypt-secrets`, then remove `ENCRYPTION_KEY_PREVIOUS`.

use backend::cipher::{Cipher, EncryptionKey};

use super::ConfigError;

/// `APP_ENV`: where the server runs. Only development and test may run without a key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AppEnv {
    #[default]
    Production,
    Development,
    Test,
}

impl AppEnv {
    /// Parses `APP_ENV`; unset means production.
    pub fn parse(value: Option<&str>) -> Result<Self, ConfigError> {
        match value.map(str::trim).unwrap_or("") {
            "" | "production" => Ok(AppEnv::Production),
            "development" => Ok(AppEnv::Development),
            "test" => Ok(AppEnv::Test),
            other => Err(ConfigError {
                variable: "APP_ENV",
                problem: format!("'{other}' is not one of production, development, test"),
            }),
        }
    }
}

/// The keys secrets are encrypted with. `Debug` shows no key material.
#[derive(Clone, Debug)]
pub struct EncryptionKeys {
    /// `ENCRYPTION_KEY`: encrypts and decrypts.
    pub current: EncryptionKey,
    /// `ENCRYPTION_KEY_PREVIOUS`: only decrypts, during a key rotation.
    pub previous: Option<EncryptionKey>,
    /// True when no key was set and the public development key is used instead.
    pub development_key: bool,
}

impl EncryptionKeys {
    /// Reads the keys; outside development and test a missing `ENCRYPTION_KEY` stops the
    /// server.
    pub fn from_lookup(
        app_env: AppEnv,
        lookup: &impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let read = |variable: &'static str| {
            let value = lookup(variable).filter(|value| !value.trim().is_empty());
            value
                .map(|value| {
                    EncryptionKey::from_base64(&value).map_err(|problem| ConfigError {
                        variable,
                        problem: problem.to_string(),
                    })
                })
                .transpose()
        };
        let previous = read("ENCRYPTION_KEY_PREVIOUS")?;
        match (read("ENCRYPTION_KEY")?, app_env) {
            (Some(current), _) => Ok(EncryptionKeys {
                current,
                previous,
                development_key: false,
            }),
            (None, AppEnv::Development | AppEnv::Test) => Ok(EncryptionKeys {
                current: EncryptionKey::DEVELOPMENT,
                previous,
                development_key: true,
            }),
            (None, AppEnv::Production) => Err(ConfigError {
                variable: "ENCRYPTION_KEY",
                problem: "is required (APP_ENV is production): set it to the output of \
                          `openssl rand -base64 32`, or set APP_ENV=development for a \
                          development key"
                    .to_string(),
            }),
        }
    }

    /// The cipher for [`backend::AppState`].
    pub fn cipher(&self) -> Cipher {
        Cipher::new(&self.current, self.previous.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

    fn keys(env: AppEnv, vars: &[(&str, &str)]) -> Result<EncryptionKeys, ConfigError> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        EncryptionKeys::from_lookup(env, &|name: &str| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn production_refuses_to_run_without_a_key() {
        let error = keys(AppEnv::Production, &[]).map(|_| ()).err();
        let error = error.map(|e| (e.variable, e.to_string()));
        assert!(
            matches!(error, Some(("ENCRYPTION_KEY", text)) if text.contains("openssl rand -base64 32"))
        );
    }

    #[test]
    fn development_and_test_fall_back_to_the_development_key() -> Result<(), ConfigError> {
        for env in [AppEnv::Development, AppEnv::Test] {
            let keys = keys(env, &[])?;
            assert!(keys.development_key);
            assert_eq!(keys.current, EncryptionKey::DEVELOPMENT);
        }
        Ok(())
    }

    #[test]
    fn keys_are_read_and_bad_ones_named() -> Result<(), ConfigError> {
        let both = keys(
            AppEnv::Production,
            &[("ENCRYPTION_KEY", KEY), ("ENCRYPTION_KEY_PREVIOUS", KEY)],
        )?;
        assert!(!both.development_key && both.previous.is_some());
        assert!(!format!("{both:?}").contains(KEY));
        for variable in ["ENCRYPTION_KEY", "ENCRYPTION_KEY_PREVIOUS"] {
            let error = keys(AppEnv::Development, &[(variable, "c2hvcnQ=")]).err();
            assert_eq!(error.map(|e| e.variable), Some(variable));
        }
        Ok(())
    }

    #[test]
    fn app_env_values() {
        assert_eq!(AppEnv::parse(None).ok(), Some(AppEnv::Production));
        assert_eq!(AppEnv::parse(Some("test")).ok(), Some(AppEnv::Test));
        assert_eq!(
            AppEnv::parse(Some("prod")).map_err(|e| e.variable).err(),
            Some("APP_ENV")
        );
    }
}
