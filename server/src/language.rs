//! `POST /taal`: remembers the admin's language in a cookie and goes back to the page.

use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use http::header::SET_COOKIE;
use rules::i18n::Lang;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LanguageChoice {
    taal: String,
    #[serde(default)]
    terug: String,
}

/// Sets the `taal` cookie (a year) and redirects to `terug` when that is an internal path.
pub async fn choose_language(Form(choice): Form<LanguageChoice>) -> Response {
    let lang = Lang::from_code(&choice.taal).unwrap_or_default();
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        Lang::COOKIE,
        lang.code()
    );
    let back = internal_path(&choice.terug).unwrap_or("/instellingen/mailboxen");
    ([(SET_COOKIE, cookie)], Redirect::to(back)).into_response()
}

/// Only paths on this site: a single leading slash, no scheme, no backslashes (which some
/// browsers read as slashes), so the redirect can never leave the application.
pub fn internal_path(path: &str) -> Option<&str> {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control);
    ok.then_some(path)
}

#[cfg(test)]
mod tests {
    use super::internal_path;

    #[test]
    fn only_internal_paths_are_followed() {
        for good in [
            "/instellingen/mailboxen",
            "/instellingen/mailboxen/3?opgeslagen=1",
            "/",
        ] {
            assert_eq!(internal_path(good), Some(good));
        }
        for bad in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "x/y",
            "/a\nb",
        ] {
            assert_eq!(internal_path(bad), None, "{bad:?}");
        }
    }
}
