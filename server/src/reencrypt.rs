//! `server reencrypt-secrets`: the last step of a key rotation.

use crate::config::Config;

/// Re-encrypts every stored secret with `ENCRYPTION_KEY`; prints what it did.
pub async fn run(config: &Config) -> Result<String, String> {
    let db = crate::db::connect_and_migrate(&config.database_url)
        .await
        .map_err(|error| format!("database error: {error}"))?;
    let cipher = config.encryption.cipher();
    let done = backend::reencrypt::reencrypt_secrets(&db, &cipher)
        .await
        .map_err(|error| {
            format!(
                "re-encryption failed, nothing changed: {error} \
                 (is the old key set as ENCRYPTION_KEY_PREVIOUS?)"
            )
        })?;
    Ok(format!(
        "re-encrypted {} password(s), {} client secret(s), {} certificate key(s) and the \
         tokens of {} mailbox(es) with ENCRYPTION_KEY; ENCRYPTION_KEY_PREVIOUS can now be removed (sign-ins started \
         before the rotation must be started again)",
        done.passwords, done.client_secrets, done.private_keys, done.tokens
    ))
}
