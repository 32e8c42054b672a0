//! Posting forms to server functions the two ways a browser does: as a plain HTML form
//! (no JavaScript: accepts HTML, expects a redirect) and as the hydrated app's server-function
//! client (accepts JSON).

use axum::body::Body;
use axum::Router;
use http::{header, Request, StatusCode};

/// Who posts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Poster {
    /// A browser without JavaScript submitting the `<form>`.
    PlainForm,
    /// The hydrated app's server-function client.
    Script,
}

/// A response, with its redirect target.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

/// Form fields in order, as `application/x-www-form-urlencoded` sends them.
#[derive(Clone, Debug, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// Sets (or adds) `name`.
    pub fn set(mut self, name: &str, value: &str) -> Self {
        self.0.retain(|(n, _)| n != name);
        self.0.push((name.to_string(), value.to_string()));
        self
    }

    /// Leaves `name` out, as a browser does for an unchecked checkbox.
    pub fn without(mut self, name: &str) -> Self {
        self.0.retain(|(n, _)| n != name);
        self
    }

    pub fn encode(&self) -> String {
        let pairs = self.0.iter();
        let encoded = pairs.map(|(name, value)| format!("{}={}", encode(name), encode(value)));
        encoded.collect::<Vec<_>>().join("&")
    }
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(byte))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// POSTs `fields` to `/api/{function}` from the page `referer` of this site.
pub async fn post(
    router: &Router,
    function: &str,
    fields: &Fields,
    poster: Poster,
    referer: &str,
) -> Answer {
    let accept = match poster {
        Poster::PlainForm => "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        Poster::Script => "application/json",
    };
    let request = Request::post(format!("/api/{function}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, accept)
        .header(header::REFERER, format!("http://127.0.0.1:3000{referer}"))
        // Browsers send their page's origin with every POST.
        .header(header::ORIGIN, super::SITE_ORIGIN)
        .body(Body::from(fields.encode()))
        .expect("request");
    let answer = super::send_full(router, request).await;
    let location = answer
        .headers
        .get(header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let (status, body) = (answer.status, answer.body);
    Answer {
        status,
        location,
        body,
    }
}
