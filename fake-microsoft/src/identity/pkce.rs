//! Proof Key for Code Exchange (RFC 7636): the challenge from the authorize request and its
//! check against the token request's verifier.

use crate::ids::base64url;

/// `code_challenge_method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PkceMethod {
    /// `S256`: challenge = BASE64URL(SHA256(verifier)).
    S256,
    /// `plain`: challenge = verifier (the RFC's default when no method is sent).
    Plain,
}

/// The challenge an authorization code is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkceChallenge {
    /// `code_challenge`.
    pub challenge: String,
    /// `code_challenge_method`.
    pub method: PkceMethod,
}

impl PkceMethod {
    /// Parses `code_challenge_method`; absent means `plain` (RFC 7636 §4.3).
    pub fn parse(method: Option<&str>) -> Option<Self> {
        match method {
            None | Some("plain") => Some(Self::Plain),
            Some("S256") => Some(Self::S256),
            Some(_) => None,
        }
    }
}

impl PkceChallenge {
    /// Whether `verifier` answers the challenge. A verifier outside RFC 7636's syntax
    /// (43–128 characters of `[A-Za-z0-9-._~]`) never does.
    pub fn is_answered_by(&self, verifier: &str) -> bool {
        if !is_valid_verifier(verifier) {
            return false;
        }
        match self.method {
            PkceMethod::Plain => self.challenge == verifier,
            PkceMethod::S256 => self.challenge == s256_challenge(verifier),
        }
    }
}

/// The S256 challenge of a verifier.
pub fn s256_challenge(verifier: &str) -> String {
    base64url(ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes()).as_ref())
}

fn is_valid_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const RFC_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn rfc_7636_test_vector() {
        assert_eq!(s256_challenge(RFC_VERIFIER), RFC_CHALLENGE);
        let challenge = PkceChallenge {
            challenge: RFC_CHALLENGE.into(),
            method: PkceMethod::S256,
        };
        assert!(challenge.is_answered_by(RFC_VERIFIER));
        assert!(!challenge.is_answered_by(&RFC_VERIFIER.replace('d', "e")));
    }

    #[test]
    fn plain_compares_verbatim() {
        let challenge = PkceChallenge {
            challenge: RFC_VERIFIER.into(),
            method: PkceMethod::Plain,
        };
        assert!(challenge.is_answered_by(RFC_VERIFIER));
        assert!(!challenge.is_answered_by(RFC_CHALLENGE));
    }

    #[test]
    fn short_verifiers_never_match() {
        let challenge = PkceChallenge {
            challenge: "short".into(),
            method: PkceMethod::Plain,
        };
        assert!(!challenge.is_answered_by("short"));
    }

    #[test]
    fn method_parsing() {
        assert_eq!(PkceMethod::parse(None), Some(PkceMethod::Plain));
        assert_eq!(PkceMethod::parse(Some("S256")), Some(PkceMethod::S256));
        assert_eq!(PkceMethod::parse(Some("s256")), None);
    }
}
