//! The client assertion (docs/microsoft.md §11): a JWT signed RS256 with the certificate's
//! private key, naming the certificate by its thumbprints, for one token endpoint, short-lived.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use ring::rand::SystemRandom;
use ring::signature::RSA_PKCS1_SHA256;
use secrecy::SecretString;
use serde_json::json;
use uuid::Uuid;

use super::{CertificateCredential, CredentialError};

/// `client_assertion_type` for a signed JWT (RFC 7523 §2.2).
pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long an assertion is valid: Microsoft takes up to 10 minutes (`exp` - `nbf`).
pub const ASSERTION_LIFETIME: Duration = Duration::minutes(10);

impl CertificateCredential {
    /// A client assertion for `audience` (the tenant's token endpoint URL) as `client_id`,
    /// valid from `now` for [`ASSERTION_LIFETIME`], with a fresh `jti`.
    pub fn client_assertion(
        &self,
        audience: &str,
        client_id: &str,
        now: DateTime<Utc>,
    ) -> Result<SecretString, CredentialError> {
        let header = json!({
            "alg": "RS256",
            "typ": "JWT",
            "x5t": URL_SAFE_NO_PAD.encode(self.sha1()),
            "x5t#S256": URL_SAFE_NO_PAD.encode(self.sha256()),
        });
        let issued = now.timestamp();
        let claims = json!({
            "aud": audience,
            "iss": client_id,
            "sub": client_id,
            "jti": Uuid::new_v4().to_string(),
            "nbf": issued,
            "iat": issued,
            "exp": issued + ASSERTION_LIFETIME.num_seconds(),
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| CredentialError::Signing)?;
        Ok(SecretString::from(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        )))
    }
}
