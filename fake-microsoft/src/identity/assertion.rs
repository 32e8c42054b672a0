//! Checking a client assertion (RFC 7523, docs/microsoft.md §11) against the certificates
//! registered on the app, in the order Microsoft reports the failures: a readable JWT, a
//! registered and unexpired certificate, its signature, the claims.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use ring::signature::{
    UnparsedPublicKey, VerificationAlgorithm, RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA256,
};
use serde_json::Value;

use super::aadsts_assertion as aadsts;
use super::error::AadError;
use crate::directory::{upper_hex, Application, ParsedCertificate};

/// `client_assertion_type` of a JWT client assertion.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Clock skew allowed on `nbf` and `exp` (Microsoft tolerates about five minutes).
pub const CLOCK_SKEW: Duration = Duration::minutes(5);

/// What the request's assertion must say.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    /// The token endpoint URLs that count as `aud` (tenant by GUID or as in the URL).
    pub audiences: &'a [String],
    /// The fake's clock.
    pub now: DateTime<Utc>,
}

struct Jwt {
    header: Value,
    claims: Value,
    signed: String,
    signature: Vec<u8>,
}

/// Accepts `assertion` for `app`, or says why not.
pub fn verify(app: &Application, assertion: &str, expected: &Expected<'_>) -> Result<(), AadError> {
    let jwt = parse(assertion).ok_or_else(aadsts::malformed_assertion)?;
    let (certificate, thumbprint) = find_certificate(app, &jwt.header)?;
    if expected.now < certificate.start || expected.now > certificate.end {
        return Err(aadsts::certificate_expired(
            &thumbprint,
            certificate.start,
            certificate.end,
        ));
    }
    let algorithm: &dyn VerificationAlgorithm = match jwt.header["alg"].as_str() {
        Some("RS256") => &RSA_PKCS1_2048_8192_SHA256,
        Some("PS256") => &RSA_PSS_2048_8192_SHA256,
        _ => return Err(aadsts::signature_invalid(&thumbprint)),
    };
    UnparsedPublicKey::new(algorithm, &certificate.rsa_public_key)
        .verify(jwt.signed.as_bytes(), &jwt.signature)
        .map_err(|_| aadsts::signature_invalid(&thumbprint))?;
    check_claims(app, &jwt.claims, expected)
}

fn parse(assertion: &str) -> Option<Jwt> {
    let mut parts = assertion.trim().split('.');
    let (header, claims, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let json = |part: &str| -> Option<Value> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
    };
    Some(Jwt {
        header: json(header)?,
        claims: json(claims)?,
        signed: format!("{header}.{claims}"),
        signature: URL_SAFE_NO_PAD.decode(signature).ok()?,
    })
}

/// The registered certificate named by `x5t#S256` (else `x5t`), and the SHA-1 thumbprint
/// Microsoft quotes in its errors.
fn find_certificate(
    app: &Application,
    header: &Value,
) -> Result<(ParsedCertificate, String), AadError> {
    let decoded = |name: &str| {
        header[name]
            .as_str()
            .and_then(|v| URL_SAFE_NO_PAD.decode(v).ok())
    };
    let (sha256, sha1) = (decoded("x5t#S256"), decoded("x5t"));
    if sha256.is_none() && sha1.is_none() {
        return Err(aadsts::malformed_assertion());
    }
    let found = app
        .certificates
        .iter()
        .filter_map(|c| c.parse())
        .find(|c| match &sha256 {
            Some(sha256) => c.sha256 == *sha256,
            None => sha1.as_ref() == Some(&c.sha1),
        });
    match found {
        Some(certificate) => {
            let thumbprint = upper_hex(&certificate.sha1);
            Ok((certificate, thumbprint))
        }
        None => {
            let named = sha1.or(sha256).unwrap_or_default();
            Err(aadsts::certificate_not_registered(
                &upper_hex(&named),
                app.client_id,
            ))
        }
    }
}

fn check_claims(
    app: &Application,
    claims: &Value,
    expected: &Expected<'_>,
) -> Result<(), AadError> {
    let client_id = app.client_id.to_string();
    let is_client = |name: &str| {
        claims[name]
            .as_str()
            .is_some_and(|v| v.eq_ignore_ascii_case(&client_id))
    };
    if !is_client("iss") || !is_client("sub") {
        return Err(aadsts::application_mismatch());
    }
    let audience_ok = claims["aud"].as_str().is_some_and(|aud| {
        expected
            .audiences
            .iter()
            .any(|a| a.eq_ignore_ascii_case(aud))
    });
    if !audience_ok {
        return Err(aadsts::audience_mismatch());
    }
    let time = |name: &str| {
        claims[name]
            .as_i64()
            .and_then(|s| DateTime::<Utc>::from_timestamp(s, 0))
    };
    let expires = time("exp").ok_or_else(aadsts::malformed_assertion)?;
    let valid_from = time("nbf").or_else(|| time("iat")).unwrap_or(expires);
    if expected.now + CLOCK_SKEW < valid_from || expected.now - CLOCK_SKEW > expires {
        return Err(aadsts::outside_time_range(
            expected.now,
            valid_from,
            expires,
        ));
    }
    Ok(())
}
