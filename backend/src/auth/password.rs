//! Passwords: argon2id hashes in PHC format (salt and parameters inside), never the
//! password itself.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use secrecy::{ExposeSecret, SecretString};

/// Shorter passwords are refused when set.
pub const MIN_PASSWORD_LENGTH: usize = 12;

/// Why a password cannot be set.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must be at least {MIN_PASSWORD_LENGTH} characters")]
    TooShort,
    #[error("hashing the password failed: {0}")]
    Hashing(String),
}

/// The argon2id hash of a new password, after checking its length.
pub fn hash_password(password: &SecretString) -> Result<String, PasswordError> {
    if password.expose_secret().chars().count() < MIN_PASSWORD_LENGTH {
        return Err(PasswordError::TooShort);
    }
    let salt = SaltString::generate(&mut aes_gcm::aead::OsRng);
    Argon2::default()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| PasswordError::Hashing(error.to_string()))
}

/// True when `password` matches the stored `phc` hash; false for a malformed hash.
pub fn verify_password(password: &SecretString, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.expose_secret().as_bytes(), &hash)
            .is_ok()
    })
}

/// Spends the time a real verification takes, for an unknown e-mail address, so the
/// answer's timing does not tell which accounts exist.
pub fn verify_against_nothing(password: &SecretString) {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    let dummy =
        DUMMY.get_or_init(|| hash_password(&SecretString::from("not-a-password-of-anyone")).ok());
    if let Some(dummy) = dummy {
        let _ = verify_password(password, dummy);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_never_contain_the_password() {
        let password = SecretString::from("correct horse battery");
        let Ok(hash) = hash_password(&password) else {
            panic!("hashing failed");
        };
        assert!(hash.starts_with("$argon2id$"));
        assert!(!hash.contains("correct horse"));
        assert!(verify_password(&password, &hash));
        assert!(!verify_password(
            &SecretString::from("wrong horse battery"),
            &hash
        ));
        assert!(!verify_password(&password, "not a hash"));
        assert!(!format!("{password:?}").contains("horse"));
    }

    #[test]
    fn short_passwords_are_refused() {
        let result = hash_password(&SecretString::from("kort"));
        assert!(matches!(result, Err(PasswordError::TooShort)));
    }
}
