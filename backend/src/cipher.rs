//! Encryption at rest of the secrets the app stores (client secret value, IMAP/SMTP
//! password, Microsoft tokens, PKCE verifiers): AES-256-GCM, stored as `[12-byte nonce][ciphertext + tag]`.
//!
//! Keys come from config (`ENCRYPTION_KEY`, and `ENCRYPTION_KEY_PREVIOUS` during a key
//! rotation). Decryption tries the current key, then the previous one; encryption always
//! uses the current key. The column a value belongs to is bound as associated data, so a
//! ciphertext copied into another column does not decrypt.

use std::fmt;
use std::sync::Arc;

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use secrecy::SecretString;

const NONCE_LEN: usize = 12;

/// A 256-bit key. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct EncryptionKey([u8; 32]);

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EncryptionKey([redacted])")
    }
}

/// Why a configured key is unusable (the message never contains the key).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("is not valid base64 (generate one with `openssl rand -base64 32`)")]
    NotBase64,
    #[error("must be 32 bytes, base64 encoded, but is {0} bytes (generate one with `openssl rand -base64 32`)")]
    WrongLength(usize),
}

impl EncryptionKey {
    /// The fixed key for `APP_ENV=development|test`: public, so never for real secrets.
    pub const DEVELOPMENT: EncryptionKey = EncryptionKey(*b"mailboxen-development-key-000000");

    /// Parses the base64 text of `openssl rand -base64 32` (surrounding whitespace ignored).
    pub fn from_base64(text: &str) -> Result<Self, KeyError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| KeyError::NotBase64)?;
        let key: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| KeyError::WrongLength(bytes.len()))?;
        Ok(EncryptionKey(key))
    }

    /// Builds a key from raw bytes (tests, key generation).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        EncryptionKey(bytes)
    }
}

/// Which stored column a ciphertext belongs to; bound as associated data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretColumn {
    /// `mailboxes.password_encrypted`.
    MailboxPassword,
    /// `mailbox_microsoft_settings.client_secret_encrypted`.
    ClientSecret,
    /// `mailbox_tokens.access_token_encrypted`.
    AccessToken,
    /// `mailbox_tokens.refresh_token_encrypted`.
    RefreshToken,
    /// `connection_attempts.pkce_verifier_encrypted`.
    PkceVerifier,
    /// `app_credentials.secret_encrypted`.
    CredentialSecret,
    /// `app_credentials.private_key_encrypted`.
    CredentialPrivateKey,
}

impl SecretColumn {
    fn aad(self) -> &'static [u8] {
        match self {
            SecretColumn::MailboxPassword => b"mailboxes.password",
            SecretColumn::ClientSecret => b"mailbox_microsoft_settings.client_secret",
            SecretColumn::AccessToken => b"mailbox_tokens.access_token",
            SecretColumn::RefreshToken => b"mailbox_tokens.refresh_token",
            SecretColumn::PkceVerifier => b"connection_attempts.pkce_verifier",
            SecretColumn::CredentialSecret => b"app_credentials.secret",
            SecretColumn::CredentialPrivateKey => b"app_credentials.private_key",
        }
    }
}

/// Encryption or decryption failed; carries no secret material.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CipherError {
    #[error("encryption failed")]
    Encrypt,
    #[error("stored value is too short to be a ciphertext")]
    TooShort,
    #[error("no configured key decrypts the stored value (wrong key or tampered data)")]
    Undecryptable,
    #[error("decrypted value is not UTF-8")]
    NotUtf8,
}

/// A decrypted secret, and whether it was still under the previous key (then it should be
/// re-encrypted).
#[derive(Debug)]
pub struct Decrypted {
    pub secret: SecretString,
    pub used_previous_key: bool,
}

/// The AEAD with the current and, during a rotation, the previous key. Cheap to clone.
#[derive(Clone)]
pub struct Cipher {
    current: Arc<Aes256Gcm>,
    previous: Option<Arc<Aes256Gcm>>,
}

impl fmt::Debug for Cipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cipher")
            .field("previous_key", &self.previous.is_some())
            .finish_non_exhaustive()
    }
}

impl Cipher {
    /// A cipher that encrypts with `current` and also decrypts with `previous`.
    pub fn new(current: &EncryptionKey, previous: Option<&EncryptionKey>) -> Self {
        let aead =
            |key: &EncryptionKey| Arc::new(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key.0)));
        Cipher {
            current: aead(current),
            previous: previous.map(aead),
        }
    }

    /// Encrypts with the current key and a fresh random nonce.
    pub fn encrypt(&self, plaintext: &str, column: SecretColumn) -> Result<Vec<u8>, CipherError> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let payload = Payload {
            msg: plaintext.as_bytes(),
            aad: column.aad(),
        };
        let ciphertext = self
            .current
            .encrypt(&nonce, payload)
            .map_err(|_| CipherError::Encrypt)?;
        let mut stored = Vec::with_capacity(NONCE_LEN + ciphertext.len());
        stored.extend_from_slice(&nonce);
        stored.extend_from_slice(&ciphertext);
        Ok(stored)
    }

    /// Decrypts a stored `[nonce][ciphertext]` with the current key, else the previous one.
    pub fn decrypt(&self, stored: &[u8], column: SecretColumn) -> Result<Decrypted, CipherError> {
        if stored.len() <= NONCE_LEN {
            return Err(CipherError::TooShort);
        }
        let (nonce, ciphertext) = stored.split_at(NONCE_LEN);
        let nonce = Nonce::from_slice(nonce);
        let open = |aead: &Aes256Gcm| {
            aead.decrypt(
                nonce,
                Payload {
                    msg: ciphertext,
                    aad: column.aad(),
                },
            )
            .ok()
        };
        let (plaintext, used_previous_key) = match open(&self.current) {
            Some(plaintext) => (plaintext, false),
            None => {
                let previous = self.previous.as_deref().and_then(open);
                (previous.ok_or(CipherError::Undecryptable)?, true)
            }
        };
        let text = String::from_utf8(plaintext).map_err(|_| CipherError::NotUtf8)?;
        Ok(Decrypted {
            secret: SecretString::from(text),
            used_previous_key,
        })
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    const SECRET: &str = "abc8Q~defghijklmnopqrstuvwxyz0123456789.";

    fn key(byte: u8) -> EncryptionKey {
        EncryptionKey::from_bytes([byte; 32])
    }

    #[test]
    fn round_trip_with_a_fresh_nonce_each_time() {
        let cipher = Cipher::new(&key(1), None);
        let a = cipher.encrypt(SECRET, SecretColumn::ClientSecret).unwrap();
        let b = cipher.encrypt(SECRET, SecretColumn::ClientSecret).unwrap();
        assert_ne!(a, b, "nonces differ");
        assert!(!a.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()));
        let decrypted = cipher.decrypt(&a, SecretColumn::ClientSecret).unwrap();
        assert_eq!(decrypted.secret.expose_secret(), SECRET);
        assert!(!decrypted.used_previous_key);
    }

    #[test]
    fn wrong_key_fails() {
        let stored = Cipher::new(&key(1), None)
            .encrypt(SECRET, SecretColumn::ClientSecret)
            .unwrap();
        let other = Cipher::new(&key(2), None);
        assert_eq!(
            other
                .decrypt(&stored, SecretColumn::ClientSecret)
                .unwrap_err(),
            CipherError::Undecryptable
        );
    }

    #[test]
    fn tampering_and_another_column_fail() {
        let cipher = Cipher::new(&key(1), None);
        let stored = cipher.encrypt(SECRET, SecretColumn::ClientSecret).unwrap();
        for index in [0, NONCE_LEN, stored.len() - 1] {
            let mut tampered = stored.clone();
            tampered[index] ^= 0x01;
            assert!(cipher
                .decrypt(&tampered, SecretColumn::ClientSecret)
                .is_err());
        }
        assert!(cipher
            .decrypt(&stored, SecretColumn::MailboxPassword)
            .is_err());
        assert_eq!(
            cipher
                .decrypt(&stored[..NONCE_LEN], SecretColumn::ClientSecret)
                .unwrap_err(),
            CipherError::TooShort
        );
    }

    #[test]
    fn previous_key_still_decrypts_and_says_so() {
        let old = Cipher::new(&key(1), None)
            .encrypt(SECRET, SecretColumn::MailboxPassword)
            .unwrap();
        let rotated = Cipher::new(&key(2), Some(&key(1)));
        let decrypted = rotated
            .decrypt(&old, SecretColumn::MailboxPassword)
            .unwrap();
        assert_eq!(decrypted.secret.expose_secret(), SECRET);
        assert!(decrypted.used_previous_key);
        let new = rotated
            .encrypt(SECRET, SecretColumn::MailboxPassword)
            .unwrap();
        assert!(Cipher::new(&key(2), None)
            .decrypt(&new, SecretColumn::MailboxPassword)
            .is_ok());
    }

    #[test]
    fn keys_parse_from_base64_and_never_show() {
        let text = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
        assert_eq!(
            EncryptionKey::from_base64(&format!(" {text}\n")).unwrap(),
            key(1)
        );
        assert_eq!(
            EncryptionKey::from_base64("AQEB").unwrap_err(),
            KeyError::WrongLength(3)
        );
        assert_eq!(
            EncryptionKey::from_base64("not base64!").unwrap_err(),
            KeyError::NotBase64
        );
        assert_eq!(format!("{:?}", key(1)), "EncryptionKey([redacted])");
        assert!(!format!("{:?}", Cipher::new(&key(1), None)).contains("1, 1"));
    }
}
