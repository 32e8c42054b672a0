//! Refusing cross-site mutations: a POST, PUT, PATCH or DELETE must come from this site's
//! own pages, as told by `Origin` (and `Sec-Fetch-Site`, when the browser sends it).
//! GET never changes anything, so the OAuth callback (a GET from Microsoft's redirect)
//! passes; it is protected by its `state` instead.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode};

use rules::i18n::{AccessMsg, Lang};

/// `scheme://host[:port]` of `PUBLIC_BASE_URL`, lower case: what `Origin` must equal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteOrigin(pub String);

impl SiteOrigin {
    /// The origin of an absolute http(s) URL.
    pub fn of(url: &str) -> SiteOrigin {
        let lower = url.trim().to_ascii_lowercase();
        let after_scheme = lower.find("://").map_or(0, |i| i + 3);
        let end = lower[after_scheme..]
            .find(['/', '?', '#'])
            .map_or(lower.len(), |i| after_scheme + i);
        SiteOrigin(lower[..end].to_string())
    }
}

/// True when a request with `method`, `Origin` and `Sec-Fetch-Site` may proceed.
pub fn same_site_request(
    method: &Method,
    origin: Option<&str>,
    sec_fetch_site: Option<&str>,
    site: &SiteOrigin,
) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if sec_fetch_site.is_some_and(|value| !value.eq_ignore_ascii_case("same-origin")) {
        return false;
    }
    match origin.map(str::trim) {
        // `Referrer-Policy: no-referrer` makes browsers send `Origin: null` on form posts;
        // then only their `Sec-Fetch-Site: same-origin` vouches for the request.
        None | Some("null") => sec_fetch_site.is_some(),
        Some(origin) => origin.eq_ignore_ascii_case(&site.0),
    }
}

/// The middleware: a refused request gets 403 with a Dutch message.
pub async fn refuse_cross_site(
    State(site): State<SiteOrigin>,
    request: Request,
    next: Next,
) -> Response {
    let origin = header(&request, "origin");
    let allowed = same_site_request(
        request.method(),
        origin.as_deref(),
        header(&request, "sec-fetch-site").as_deref(),
        &site,
    );
    if allowed {
        return next.run(request).await;
    }
    tracing::warn!(
        method = %request.method(),
        path = request.uri().path(),
        origin = origin.as_deref().unwrap_or("-"),
        "cross-site request refused"
    );
    let message = AccessMsg::CrossOrigin.text(Lang::default());
    (StatusCode::FORBIDDEN, Body::from(message)).into_response()
}

fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_of_the_public_base_url() {
        let site = SiteOrigin::of("https://CRM.example.org/econobis");
        assert_eq!(site.0, "https://crm.example.org");
        assert_eq!(
            SiteOrigin::of("http://127.0.0.1:3000").0,
            "http://127.0.0.1:3000"
        );
    }

    #[test]
    fn only_same_origin_mutations_pass() {
        let site = SiteOrigin::of("https://crm.example.org");
        let own = Some("https://crm.example.org");
        let check =
            |method, origin, fetch_site| same_site_request(&method, origin, fetch_site, &site);
        assert!(check(
            Method::GET,
            Some("https://evil.example"),
            Some("cross-site")
        ));
        assert!(check(Method::POST, own, None));
        assert!(check(Method::POST, own, Some("same-origin")));
        assert!(check(Method::DELETE, None, Some("same-origin")));
        assert!(!check(Method::POST, Some("https://evil.example"), None));
        assert!(!check(Method::POST, Some("null"), None));
        assert!(check(Method::POST, Some("null"), Some("same-origin")));
        assert!(!check(Method::POST, Some("null"), Some("cross-site")));
        assert!(!check(Method::POST, Some("http://crm.example.org"), None));
        assert!(!check(Method::POST, own, Some("same-site")));
        assert!(!check(Method::PUT, None, Some("cross-site")));
        assert!(!check(Method::POST, None, None));
        assert!(!check(Method::PATCH, None, Some("none")));
    }
}
