//! RS256 JSON Web Tokens and the key set that publishes their public key
//! (`/{tenant}/discovery/v2.0/keys`).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RsaPublicKeyComponents, RSA_PKCS1_SHA256};
use serde_json::{json, Value};

use crate::ids::base64url;

// A fixed test key: the fake signs nothing of value, and a fixed key keeps start-up instant
// (generating RSA keys in an unoptimised build takes seconds).
const SIGNING_KEY_PEM: &str = include_str!("signing_key.pem");

/// Why the signing key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The embedded PEM is not valid base64.
    #[error("signing key is not valid PEM: {0}")]
    Pem(#[from] base64::DecodeError),
    /// The key is not an RSA PKCS#8 key ring accepts.
    #[error("signing key rejected: {0}")]
    Rejected(String),
}

/// The RSA key the fake signs id_tokens and access tokens with.
#[derive(Debug)]
pub struct SigningKey {
    key_pair: RsaKeyPair,
    kid: String,
}

impl SigningKey {
    /// Loads the embedded test key.
    pub fn load() -> Result<Self, KeyError> {
        let base64: String = SIGNING_KEY_PEM
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        let der = STANDARD.decode(base64)?;
        let key_pair =
            RsaKeyPair::from_pkcs8(&der).map_err(|e| KeyError::Rejected(e.to_string()))?;
        let modulus = RsaPublicKeyComponents::<Vec<u8>>::from(key_pair.public()).n;
        let digest = ring::digest::digest(&ring::digest::SHA256, &modulus);
        let kid = base64url(&digest.as_ref()[..20]);
        Ok(Self { key_pair, kid })
    }

    /// The key ID (`kid`) in token headers and the key set.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Signs `claims` as a compact RS256 JWT.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({"typ": "JWT", "alg": "RS256", "kid": self.kid});
        let signing_input = format!(
            "{}.{}",
            base64url(header.to_string().as_bytes()),
            base64url(claims.to_string().as_bytes())
        );
        let mut signature = vec![0; self.key_pair.public().modulus_len()];
        // Signing with a loaded key fails only when the system RNG does; a token with an
        // empty signature then fails every verifier, which is the honest outcome.
        if self
            .key_pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signing_input.as_bytes(),
                &mut signature,
            )
            .is_err()
        {
            signature.clear();
        }
        format!("{signing_input}.{}", base64url(&signature))
    }

    /// The JSON Web Key Set, as Microsoft publishes it (without the `x5c` certificate chain).
    pub fn jwks(&self, issuer: &str) -> Value {
        let public = RsaPublicKeyComponents::<Vec<u8>>::from(self.key_pair.public());
        json!({
            "keys": [{
                "kty": "RSA",
                "use": "sig",
                "kid": self.kid,
                "x5t": self.kid,
                "n": base64url(&public.n),
                "e": base64url(&public.e),
                "issuer": issuer,
            }]
        })
    }
}

/// The claims of a compact JWT, without checking its signature.
pub fn decode_claims(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Checks an RS256 signature against a JWK (`n`, `e` base64url), returning the claims.
pub fn verify_with_jwk(token: &str, jwk: &Value) -> Option<Value> {
    let n = URL_SAFE_NO_PAD.decode(jwk.get("n")?.as_str()?).ok()?;
    let e = URL_SAFE_NO_PAD.decode(jwk.get("e")?.as_str()?).ok()?;
    let (signing_input, signature) = token.rsplit_once('.')?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    RsaPublicKeyComponents { n, e }
        .verify(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            signing_input.as_bytes(),
            &signature,
        )
        .ok()?;
    decode_claims(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_tokens_verify_against_the_key_set() {
        let key = SigningKey::load();
        assert!(key.is_ok(), "{key:?}");
        let Ok(key) = key else { return };
        let token = key.sign(&json!({"aud": "me", "exp": 1}));
        let jwks = key.jwks("http://issuer");
        let jwk = &jwks["keys"][0];
        assert_eq!(jwk["kid"], key.kid());
        let claims = verify_with_jwk(&token, jwk);
        assert_eq!(claims, Some(json!({"aud": "me", "exp": 1})));
        let header = decode_claims(&format!("x.{}", token.split('.').next().unwrap_or("")));
        assert_eq!(header.map(|h| h["alg"].clone()), Some(json!("RS256")));
    }

    #[test]
    fn tampered_tokens_fail() {
        let Ok(key) = SigningKey::load() else {
            panic!("key must load")
        };
        let token = key.sign(&json!({"aud": "me"}));
        let forged_claims = base64url(br#"{"aud":"evil"}"#);
        let mut parts: Vec<&str> = token.split('.').collect();
        parts[1] = &forged_claims;
        let forged = parts.join(".");
        assert!(verify_with_jwk(&forged, &key.jwks("x")["keys"][0]).is_none());
    }
}
