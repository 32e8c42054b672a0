//! The session cookie: `HttpOnly` (no script reads it), `SameSite=Lax` (not sent on
//! cross-site POSTs), `Path=/`, and `Secure` when the site is served over https.

use backend::auth::sessions::SessionToken;
use http::HeaderMap;

/// The cookie's name.
pub const SESSION_COOKIE: &str = "sessie";

/// The `Set-Cookie` value that stores `token`. No `Max-Age`: the browser forgets it when
/// it closes; the server ends it earlier by idle and absolute expiry.
pub fn session_cookie(token: &SessionToken, secure: bool) -> String {
    with_attributes(format!("{SESSION_COOKIE}={}", token.cookie_value()), secure)
}

/// The `Set-Cookie` value that removes the cookie (signing out).
pub fn cleared_cookie(secure: bool) -> String {
    with_attributes(format!("{SESSION_COOKIE}=; Max-Age=0"), secure)
}

fn with_attributes(cookie: String, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{cookie}; HttpOnly; SameSite=Lax; Path=/{secure}")
}

/// The session token in the request's `Cookie` headers, if any looks like one.
pub fn session_token(headers: &HeaderMap) -> Option<SessionToken> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(name, _)| *name == SESSION_COOKIE)
        .find_map(|(_, value)| SessionToken::from_cookie(value.trim()))
}

/// True when the request carries any cookie at all.
pub fn has_cookies(headers: &HeaderMap) -> bool {
    headers.contains_key(http::header::COOKIE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn cookie_attributes() {
        let token = SessionToken::generate();
        let plain = session_cookie(&token, false);
        assert!(plain.starts_with(&format!("sessie={}; ", token.cookie_value())));
        assert!(plain.contains("; HttpOnly") && plain.contains("; SameSite=Lax"));
        assert!(plain.contains("; Path=/") && !plain.contains("Secure"));
        assert!(session_cookie(&token, true).ends_with("; Secure"));
        let cleared = cleared_cookie(true);
        assert!(cleared.starts_with("sessie=; Max-Age=0; HttpOnly"));
        assert!(cleared.ends_with("; Secure"));
    }

    #[test]
    fn finds_the_token_among_other_cookies() -> Result<(), http::header::InvalidHeaderValue> {
        let token = SessionToken::generate();
        let mut headers = HeaderMap::new();
        headers.append(http::header::COOKIE, HeaderValue::from_static("a=1"));
        let value = format!("b=2; sessie={}; c=3", token.cookie_value());
        headers.append(http::header::COOKIE, HeaderValue::from_str(&value)?);
        assert_eq!(session_token(&headers).map(|t| t.id()), Some(token.id()));
        assert!(session_token(&HeaderMap::new()).is_none());
        Ok(())
    }
}
