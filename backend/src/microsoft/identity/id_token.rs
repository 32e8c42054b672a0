//! The id_token's claims and the checks on them (docs/microsoft.md §4). Received straight from
//! the token endpoint over TLS, its signature may be skipped (OIDC Core §3.1.3.7), but
//! `aud`, `iss`/`tid`, `exp` and the account are checked: its `oid` against the mailbox's
//! Object ID, or, when the mailbox has none, its sign-in names against the mailbox's address.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::Deserialize;

/// The claims this app reads.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct IdTokenClaims {
    pub aud: String,
    pub iss: String,
    pub tid: String,
    /// Seconds since the epoch.
    pub exp: i64,
    /// The account's object ID (present with the `profile` scope).
    #[serde(default)]
    pub oid: Option<String>,
    #[serde(default)]
    pub preferred_username: Option<String>,
    /// The account's e-mail address (with the `email` scope, or as optional claim).
    #[serde(default)]
    pub email: Option<String>,
    /// The user principal name (an optional claim an app registration may add).
    #[serde(default)]
    pub upn: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// Who signed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedInAccount {
    pub object_id: String,
    pub upn: Option<String>,
}

/// What the id_token must say.
#[derive(Clone, Copy, Debug)]
pub struct ExpectedAccount<'a> {
    pub client_id: &'a str,
    /// The configured tenant's GUID (a domain resolved through discovery).
    pub tenant_guid: &'a str,
    /// `MICROSOFT_LOGIN_URL`: the issuer is `{login}/{tid}/v2.0`.
    pub login_url: &'a str,
    /// The mailbox's Object ID; empty when none was filled in (issue 18): the account is then
    /// checked against `address`.
    pub object_id: &'a str,
    /// The mailbox's e-mail address.
    pub address: &'a str,
}

/// Why an id_token is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdTokenProblem {
    #[error("no id_token in the token response")]
    Missing,
    #[error("the id_token is not a readable JWT")]
    Malformed,
    #[error("the id_token is for another application (aud {0})")]
    WrongAudience(String),
    #[error("the id_token is from another tenant (tid {0})")]
    WrongTenant(String),
    #[error("the id_token has another issuer ({0})")]
    WrongIssuer(String),
    #[error("the id_token has expired")]
    Expired,
    #[error("the id_token has no oid (was 'profile' requested?)")]
    MissingObjectId,
    #[error("another account signed in ({})", .0.object_id)]
    WrongAccount(SignedInAccount),
    /// No Object ID to compare with, and none of the account's names is the mailbox's
    /// address.
    #[error("an account without the mailbox's address signed in ({})", .0.object_id)]
    WrongAddress(SignedInAccount),
}

/// Reads the claims of a compact JWT (no signature check, see the module docs).
pub fn decode_claims(id_token: &str) -> Result<IdTokenClaims, IdTokenProblem> {
    let mut parts = id_token.split('.');
    let payload = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(payload), Some(_), None) => payload,
        _ => return Err(IdTokenProblem::Malformed),
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| IdTokenProblem::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| IdTokenProblem::Malformed)
}

/// Checks the claims against the mailbox, in order: application, tenant, issuer, expiry,
/// account.
pub fn check_claims(
    claims: &IdTokenClaims,
    expected: ExpectedAccount<'_>,
    now: DateTime<Utc>,
) -> Result<SignedInAccount, IdTokenProblem> {
    if !claims.aud.eq_ignore_ascii_case(expected.client_id) {
        return Err(IdTokenProblem::WrongAudience(claims.aud.clone()));
    }
    if !claims.tid.eq_ignore_ascii_case(expected.tenant_guid) {
        return Err(IdTokenProblem::WrongTenant(claims.tid.clone()));
    }
    let issuer = format!(
        "{}/{}/v2.0",
        expected.login_url.trim_end_matches('/'),
        claims.tid
    );
    if !claims.iss.eq_ignore_ascii_case(&issuer) {
        return Err(IdTokenProblem::WrongIssuer(claims.iss.clone()));
    }
    if claims.exp <= now.timestamp() {
        return Err(IdTokenProblem::Expired);
    }
    let object_id = claims.oid.clone().ok_or(IdTokenProblem::MissingObjectId)?;
    let names = [&claims.preferred_username, &claims.email, &claims.upn];
    let account = SignedInAccount {
        object_id,
        upn: names.iter().find_map(|name| (*name).clone()),
    };
    let expected_id = expected.object_id.trim();
    if expected_id.is_empty() {
        // No Object ID: the account must carry the mailbox's address as one of its names;
        // its `oid` then becomes the mailbox's Object ID.
        let address = expected.address.trim();
        let matches = |name: &Option<String>| {
            name.as_deref().is_some_and(|name| {
                !address.is_empty() && name.trim().eq_ignore_ascii_case(address)
            })
        };
        if !names.into_iter().any(matches) {
            return Err(IdTokenProblem::WrongAddress(account));
        }
        return Ok(account);
    }
    if !account.object_id.eq_ignore_ascii_case(expected_id) {
        return Err(IdTokenProblem::WrongAccount(account));
    }
    Ok(account)
}

/// The tenant GUID in an issuer `{login}/{guid}/v2.0` (discovery of a domain tenant).
pub fn tenant_of_issuer(issuer: &str) -> Option<String> {
    let mut segments = issuer.trim_end_matches('/').rsplit('/');
    let (Some("v2.0"), Some(tenant)) = (segments.next(), segments.next()) else {
        return None;
    };
    rules::validation::Guid::parse(tenant)
        .ok()
        .map(|guid| guid.to_string())
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use chrono::TimeZone;

    use super::*;

    const CLIENT: &str = "80aef83a-368f-4a54-a387-8c794cf71106";
    const TENANT: &str = "8c10395e-14fe-46db-a8b6-699ac4a65109";
    const INFO: &str = "1d00a927-92e1-4f8f-bcee-77a5d6ad3bf5";
    const LOGIN: &str = "https://login.microsoftonline.com";

    fn jwt(claims: &serde_json::Value) -> String {
        let encode = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
        format!(
            "{}.{}.sig",
            encode(br#"{"alg":"RS256"}"#),
            encode(claims.to_string().as_bytes())
        )
    }

    fn claims(oid: &str, tid: &str, exp: i64) -> IdTokenClaims {
        let token = jwt(&serde_json::json!({
            "aud": CLIENT, "iss": format!("{LOGIN}/{tid}/v2.0"), "tid": tid, "exp": exp,
            "oid": oid, "preferred_username": "info@energiedemo.onmicrosoft.com", "name": "Info",
        }));
        decode_claims(&token).unwrap()
    }

    fn expected() -> ExpectedAccount<'static> {
        ExpectedAccount {
            client_id: CLIENT,
            tenant_guid: TENANT,
            login_url: LOGIN,
            object_id: INFO,
            address: "info@energiedemo.onmicrosoft.com",
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 2, 10, 0, 0).unwrap()
    }

    #[test]
    fn the_mailbox_account_passes() {
        let exp = now().timestamp() + 3600;
        let account = check_claims(&claims(INFO, TENANT, exp), expected(), now()).unwrap();
        assert_eq!(account.object_id, INFO);
        assert_eq!(
            account.upn.as_deref(),
            Some("info@energiedemo.onmicrosoft.com")
        );
    }

    #[test]
    fn another_account_tenant_or_app_is_refused() {
        let exp = now().timestamp() + 3600;
        let other = "4b2b0927-3782-4a8a-a3bf-c627a9e9cf77";
        assert!(matches!(
            check_claims(&claims(other, TENANT, exp), expected(), now()),
            Err(IdTokenProblem::WrongAccount(account)) if account.object_id == other
        ));
        let foreign = "2058a89d-5f1a-45a1-b6b9-ce39759cdca5";
        assert_eq!(
            check_claims(&claims(INFO, foreign, exp), expected(), now()),
            Err(IdTokenProblem::WrongTenant(foreign.into()))
        );
        let mut wrong_app = claims(INFO, TENANT, exp);
        wrong_app.aud = "someone-else".into();
        assert!(matches!(
            check_claims(&wrong_app, expected(), now()),
            Err(IdTokenProblem::WrongAudience(_))
        ));
        let mut wrong_issuer = claims(INFO, TENANT, exp);
        wrong_issuer.iss = format!("https://evil.example/{TENANT}/v2.0");
        assert!(matches!(
            check_claims(&wrong_issuer, expected(), now()),
            Err(IdTokenProblem::WrongIssuer(_))
        ));
    }

    #[test]
    fn without_object_id_the_address_decides() {
        let exp = now().timestamp() + 3600;
        let other = "4b2b0927-3782-4a8a-a3bf-c627a9e9cf77";
        let by_address = |address| ExpectedAccount {
            object_id: "",
            address,
            ..expected()
        };
        let account = check_claims(
            &claims(other, TENANT, exp),
            by_address(" INFO@EnergieDemo.onmicrosoft.com "),
            now(),
        )
        .unwrap();
        assert_eq!(account.object_id, other, "the oid Microsoft returned");
        assert!(matches!(
            check_claims(&claims(other, TENANT, exp), by_address("leden@energiedemo.onmicrosoft.com"), now()),
            Err(IdTokenProblem::WrongAddress(account)) if account.object_id == other
        ));
        // The address may be the account's `email` or `upn` rather than its sign-in name.
        let mut alias = claims(other, TENANT, exp);
        alias.preferred_username = Some("x@energiedemo.onmicrosoft.com".into());
        alias.email = Some("info@zonnecoop.nl".into());
        assert!(check_claims(&alias, by_address("Info@zonnecoop.nl"), now()).is_ok());
        alias.email = None;
        alias.upn = Some("info@zonnecoop.nl".into());
        assert!(check_claims(&alias, by_address("info@zonnecoop.nl"), now()).is_ok());
        // No names at all, or no address: never a match.
        alias.preferred_username = None;
        alias.upn = None;
        assert!(matches!(
            check_claims(&alias, by_address(""), now()),
            Err(IdTokenProblem::WrongAddress(_))
        ));
    }

    #[test]
    fn an_expired_token_is_refused() {
        let claims = claims(INFO, TENANT, now().timestamp());
        assert_eq!(
            check_claims(&claims, expected(), now()),
            Err(IdTokenProblem::Expired)
        );
    }

    #[test]
    fn garbage_is_malformed() {
        for token in ["", "a.b", "a.b.c.d", "a.!!!.c", "a.e30.c"] {
            assert_eq!(
                decode_claims(token),
                Err(IdTokenProblem::Malformed),
                "{token}"
            );
        }
    }

    #[test]
    fn issuers_name_their_tenant() {
        assert_eq!(
            tenant_of_issuer(&format!("{LOGIN}/{TENANT}/v2.0")).as_deref(),
            Some(TENANT)
        );
        assert_eq!(tenant_of_issuer("https://x/contoso.com/v2.0"), None);
    }
}
