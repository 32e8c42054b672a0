//! Passwords: argon2id hashes in PHC format (salt and parameters inside), never the
//! password itself.
//!
//! argon2 works in 19 MiB of memory. The argon2 crate allocates and frees it on every call,
//! and glibc, on freeing a block that large, raises its mmap threshold to match for the rest
//! of the process: from then on every allocation below 19 MiB, on every thread, comes from
//! arenas that keep what they once held. Under a flood of sign-ins that was 414 MiB (bench
//! row 8; 84 MiB with the threshold pinned). So each thread hashes in memory of its own,
//! allocated once and never freed ([`with_memory`]).

use std::cell::RefCell;
use std::sync::OnceLock;

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
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
    let failed = |error: &dyn std::fmt::Display| PasswordError::Hashing(error.to_string());
    let salt = SaltString::generate(&mut aes_gcm::aead::OsRng);
    let mut raw_salt = [0_u8; 64];
    let raw_salt = salt
        .as_salt()
        .decode_b64(&mut raw_salt)
        .map_err(|e| failed(&e))?;
    let params = Params::default();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = [0_u8; Params::DEFAULT_OUTPUT_LEN];
    with_memory(params.block_count(), |memory| {
        argon2.hash_password_into_with_memory(
            password.expose_secret().as_bytes(),
            raw_salt,
            &mut out,
            memory,
        )
    })
    .map_err(|e| failed(&e))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(hash.to_string())
}

/// True when `password` matches the stored `phc` hash; false for a malformed hash or one
/// of another algorithm.
pub fn verify_password(password: &SecretString, phc: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(expected), Some(salt)) = (
        Algorithm::try_from(hash.algorithm),
        Params::try_from(&hash),
        hash.hash,
        hash.salt,
    ) else {
        return false;
    };
    let version = match hash.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(version)) => version,
        Some(Err(_)) => return false,
    };
    let mut raw_salt = [0_u8; 64];
    let Ok(raw_salt) = salt.decode_b64(&mut raw_salt) else {
        return false;
    };
    let mut out = vec![0_u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let computed = with_memory(params.block_count(), |memory| {
        argon2.hash_password_into_with_memory(
            password.expose_secret().as_bytes(),
            raw_salt,
            &mut out,
            memory,
        )
    });
    // `Output`'s comparison takes the same time wherever the bytes differ.
    computed.is_ok() && Output::new(&out).is_ok_and(|out| out == expected)
}

thread_local! {
    /// This thread's argon2 memory, grown to the largest need seen and kept.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Runs `hash` with `blocks` blocks of this thread's kept memory.
fn with_memory<T>(blocks: usize, hash: impl FnOnce(&mut [Block]) -> T) -> T {
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        hash(&mut memory[..blocks])
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

    /// Hashes stored before hashing moved to kept memory verify, and the hashes made now are
    /// what the argon2 crate itself makes and accepts.
    #[test]
    fn hashes_match_the_argon2_crates_own() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let password = SecretString::from("een-oud-wachtwoord-van-voor");
        let salt = SaltString::generate(&mut aes_gcm::aead::OsRng);
        let Ok(theirs) =
            Argon2::default().hash_password(password.expose_secret().as_bytes(), &salt)
        else {
            panic!("the crate's own hashing failed");
        };
        assert!(verify_password(&password, &theirs.to_string()));
        assert!(!verify_password(
            &SecretString::from("iets-anders-1234"),
            &theirs.to_string()
        ));
        let Ok(ours) = hash_password(&password) else {
            panic!("hashing failed");
        };
        let Ok(ours) = PasswordHash::new(&ours) else {
            panic!("not a PHC string: {ours}");
        };
        assert!(Argon2::default()
            .verify_password(password.expose_secret().as_bytes(), &ours)
            .is_ok());
    }

    #[test]
    fn short_passwords_are_refused() {
        let result = hash_password(&SecretString::from("kort"));
        assert!(matches!(result, Err(PasswordError::TooShort)));
    }
}
