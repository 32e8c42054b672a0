//! The bundle's files under `/pkg` and how long browsers keep them. cargo-leptos names the
//! bundle's files after their content (`hash-files`: `mailboxen.<md5, base64url>.js`), so a
//! hashed file never changes and is cached for a year; anything else (a build without
//! hashing) is revalidated on each use. Pages are never cached (`no-store`, the access edge). A release build made with `--precompress` has a
//! `.br` and a `.gz` beside each file, served to browsers that accept them; the rest is
//! compressed as it is sent (`crate::service`).

use std::sync::OnceLock;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{from_fn, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

/// Where the bundle's files are served.
pub const BUNDLE_PATH: &str = "/pkg";

/// For a hashed file: never changes, keep it a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For anything that may change under the same name: ask again each time (a 304 when
/// unchanged).
pub const REVALIDATE: &str = "no-cache";

/// Serves the files of `{site_root}/{pkg_dir}`, precompressed variants included; nested at
/// [`BUNDLE_PATH`] by the router.
pub fn bundle(site_root: &str, pkg_dir: &str) -> Router {
    let files = ServeDir::new(std::path::Path::new(site_root).join(pkg_dir))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(from_fn(cache_control))
}

async fn cache_control(request: Request, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let found = response.status().is_success() || response.status().as_u16() == 304;
    if found {
        let policy = if hashed { IMMUTABLE } else { REVALIDATE };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// Whether the file's name carries cargo-leptos' content hash: a part of 22 characters of
/// base64url between dots (`mailboxen.q1w2….js`, `__wasm_split.….js`).
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1].iter().any(|part| {
            part.len() == 22
                && part
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_'))
                // The unhashed placeholder of a wasm-split build is all underscores.
                && part.bytes().any(|byte| byte != b'_')
        })
}

/// The hashes cargo-leptos wrote beside the server binary (`hash.txt`, as Leptos reads it
/// for the page's scripts), when this build hashed its bundle; None for a plain build (and
/// for test binaries), which then names the files without hashes.
pub fn hash_file() -> Option<&'static str> {
    static HASHES: OnceLock<Option<String>> = OnceLock::new();
    HASHES
        .get_or_init(|| {
            let exe = std::env::current_exe().ok()?;
            std::fs::read_to_string(exe.parent()?.join("hash.txt")).ok()
        })
        .as_deref()
}

/// The stylesheet's URL, for pages written without Leptos (the callback's).
pub fn stylesheet_href() -> &'static str {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| {
        let hash = hash_file().and_then(|hashes| {
            hashes
                .lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(file, _)| file.trim() == "css")
                .map(|(_, hash)| hash.trim().to_string())
        });
        match hash {
            Some(hash) => format!("{BUNDLE_PATH}/mailboxen.{hash}.css"),
            None => format!("{BUNDLE_PATH}/mailboxen.css"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed("/pkg/mailboxen.AbCdEfGhIjKlMnOpQrSt_-.js"));
        assert!(is_hashed("/pkg/mailboxen.AbCdEfGhIjKlMnOpQrSt_-.wasm.br"));
        assert!(!is_hashed("/pkg/mailboxen.js"));
        assert!(!is_hashed("/pkg/mailboxen_bg.wasm"));
        assert!(!is_hashed("/pkg/__wasm_split.______________________.js"));
        assert!(!is_hashed("/pkg/mailboxen.short.css"));
    }
}
