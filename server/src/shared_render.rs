//! Loads of the Mailboxen list that arrive while the same page is being rendered share that
//! render instead of starting their own.
//!
//! Rendering the list costs a millisecond or two of CPU; sending its bytes costs about what
//! a static file does. When many loads of one page arrive together (many tabs, a dashboard
//! refreshing, a load test), the first renders it and the others, arriving meanwhile, wait
//! for its bytes. Nothing is kept afterwards: the next load after a render finishes renders
//! anew, so what a load shows was read from the database after the load arrived or at most
//! one render earlier, never older.
//!
//! A page is shared only between loads of the same URL by the same account with the same
//! role and language. A request that may change something (anything but a `GET`/`HEAD`
//! outside `/api/`) stops renders begun before it from being joined, so the admin's own
//! change shows on the next load. Each response keeps its own CSP nonce: the shared body is
//! split at the nonce it was rendered with and joined with the follower's.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use backend::auth::Actor;
use http::{header, HeaderMap, Method, StatusCode};
use rules::access::Role;
use rules::i18n::Lang;
use tokio::sync::watch;

use crate::auth::headers::CspNonce;

/// The one page shared: the list, the landing page, loaded after every save and delete.
pub const SHARED_PATH: &str = "/instellingen/mailboxen";

/// Whose page, in which language, at which URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub path_and_query: String,
    pub user_id: i32,
    pub email: String,
    pub role: Role,
    pub lang: Lang,
}

/// A rendered page: its headers and its body split at the nonce it was rendered with.
#[derive(Clone, Debug)]
pub struct Rendered {
    headers: HeaderMap,
    pieces: Vec<Bytes>,
}

impl Rendered {
    /// From a page's headers and body; `nonce` is the one its inline scripts carry.
    pub fn new(mut headers: HeaderMap, body: &Bytes, nonce: &str) -> Rendered {
        // The body is sent whole; its length is hyper's to set.
        headers.remove(header::CONTENT_LENGTH);
        headers.remove(header::TRANSFER_ENCODING);
        Rendered {
            headers,
            pieces: split_at(body, nonce.as_bytes()),
        }
    }

    /// The body with `nonce` wherever the rendered one was.
    pub fn body_with(&self, nonce: &str) -> Bytes {
        let mut pieces = self.pieces.iter();
        let Some(first) = pieces.next() else {
            return Bytes::new();
        };
        let mut body = first.to_vec();
        for piece in pieces {
            body.extend_from_slice(nonce.as_bytes());
            body.extend_from_slice(piece);
        }
        Bytes::from(body)
    }

    fn into_response(self, nonce: &str) -> Response {
        let mut response = Body::from(self.body_with(nonce)).into_response();
        *response.headers_mut() = self.headers;
        response
    }
}

/// `body` cut at every occurrence of `nonce` (which is not kept): n occurrences, n + 1 pieces.
fn split_at(body: &Bytes, nonce: &[u8]) -> Vec<Bytes> {
    let mut pieces = Vec::new();
    let mut start = 0;
    if !nonce.is_empty() {
        for at in memchr::memmem::find_iter(body, nonce) {
            pieces.push(body.slice(start..at));
            start = at + nonce.len();
        }
    }
    pieces.push(body.slice(start..));
    pieces
}

/// What a render ended with, for those waiting on it: the page, or `None` when it is not
/// one to share (an error page, a redirect); they then render their own.
type Outcome = Option<Arc<Rendered>>;

/// The renders in progress. Cloning shares them.
#[derive(Clone, Debug, Default)]
pub struct SharedRenders {
    inner: Arc<Mutex<InProgress>>,
}

#[derive(Debug, Default)]
struct InProgress {
    /// Numbers the renders, so a finished one removes only itself.
    next_id: u64,
    renders: HashMap<PageKey, (u64, watch::Receiver<Option<Outcome>>)>,
}

/// What a load does: render the page, or wait for the render in progress.
pub enum Turn {
    Render(Leader),
    Wait(watch::Receiver<Option<Outcome>>),
}

/// The load rendering a page for itself and those that join. Dropped unfinished (the
/// client went away), its followers are told to render their own.
pub struct Leader {
    renders: SharedRenders,
    key: PageKey,
    id: u64,
    sender: watch::Sender<Option<Outcome>>,
}

impl Leader {
    /// Loads from now on render anew; those waiting get what `outcome` makes (made only if
    /// anyone waits: a lone load pays nothing for sharing).
    pub fn finish(self, outcome: impl FnOnce() -> Outcome) {
        self.leave();
        if self.sender.receiver_count() > 0 {
            self.sender.send_replace(Some(outcome()));
        }
    }

    /// Takes this render out of those that can be joined.
    fn leave(&self) {
        let mut progress = self.renders.progress();
        if progress
            .renders
            .get(&self.key)
            .is_some_and(|(id, _)| *id == self.id)
        {
            progress.renders.remove(&self.key);
        }
    }
}

impl Drop for Leader {
    fn drop(&mut self) {
        self.leave();
    }
}

impl SharedRenders {
    fn progress(&self) -> MutexGuard<'_, InProgress> {
        // A panic elsewhere while holding the lock leaves nothing half-done worth refusing.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Joins the render of `key` in progress, or becomes the one rendering it.
    pub fn turn(&self, key: &PageKey) -> Turn {
        let mut progress = self.progress();
        if let Some((_, receiver)) = progress.renders.get(key) {
            return Turn::Wait(receiver.clone());
        }
        progress.next_id += 1;
        let id = progress.next_id;
        let (sender, receiver) = watch::channel(None);
        progress.renders.insert(key.clone(), (id, receiver));
        Turn::Render(Leader {
            renders: self.clone(),
            key: key.clone(),
            id,
            sender,
        })
    }

    /// Something may have changed: renders begun before are not joined any more (they still
    /// answer those already waiting, who arrived before the change was made).
    pub fn changed(&self) {
        self.progress().renders.clear();
    }
}

/// Waits for the render `receiver` belongs to: its page, or `None` when its leader went
/// away or had nothing to share.
pub async fn outcome(mut receiver: watch::Receiver<Option<Outcome>>) -> Outcome {
    let done = receiver.wait_for(Option::is_some).await.ok()?;
    done.clone().flatten()
}

/// Requests that may change something: anything but reading a page (a `GET` or `HEAD`
/// outside `/api/`; the OAuth callback is a `GET` under `/api/` that stores tokens).
pub fn may_change(method: &Method, path: &str) -> bool {
    !(method == Method::GET || method == Method::HEAD) || path.starts_with("/api/")
}

/// The key when `request` is a signed-in `GET` of the list.
fn key_of(request: &Request) -> Option<PageKey> {
    if request.method() != Method::GET || request.uri().path() != SHARED_PATH {
        return None;
    }
    let actor = request.extensions().get::<Actor>()?;
    let lang = request
        .headers()
        .get(header::COOKIE)
        .and_then(|value| value.to_str().ok())
        .map(Lang::from_cookie_header)
        .unwrap_or_default();
    Some(PageKey {
        path_and_query: request
            .uri()
            .path_and_query()
            .map_or(SHARED_PATH, |pq| pq.as_str())
            .to_string(),
        user_id: actor.user_id,
        email: actor.email.clone(),
        role: actor.role,
        lang,
    })
}

/// The middleware, inside the access edge (which puts the [`Actor`] in the extensions) and
/// the security headers (which put the [`CspNonce`] there).
pub async fn share_renders(
    State(renders): State<SharedRenders>,
    request: Request,
    next: Next,
) -> Response {
    let nonce = request.extensions().get::<CspNonce>().map(|n| n.0.clone());
    let (Some(key), Some(nonce)) = (key_of(&request), nonce) else {
        let changes = may_change(request.method(), request.uri().path());
        let response = next.run(request).await;
        if changes {
            renders.changed();
        }
        return response;
    };
    let leader = match renders.turn(&key) {
        Turn::Render(leader) => leader,
        Turn::Wait(receiver) => {
            return match outcome(receiver).await {
                Some(page) => Rendered::clone(&page).into_response(&nonce),
                None => next.run(request).await,
            };
        }
    };
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        leader.finish(|| None);
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(error) => {
            leader.finish(|| None);
            tracing::error!(%error, "rendering the mailbox list failed part-way");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    leader.finish(|| {
        Some(Arc::new(Rendered::new(
            parts.headers.clone(),
            &body,
            &nonce,
        )))
    });
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(user_id: i32, query: &str) -> PageKey {
        PageKey {
            path_and_query: format!("{SHARED_PATH}{query}"),
            user_id,
            email: format!("user{user_id}@example.nl"),
            role: Role::Beheerder,
            lang: Lang::Nl,
        }
    }

    fn page(body: &'static str, nonce: &str) -> Arc<Rendered> {
        Arc::new(Rendered::new(
            HeaderMap::new(),
            &Bytes::from_static(body.as_bytes()),
            nonce,
        ))
    }

    fn text(page: &Rendered, nonce: &str) -> String {
        String::from_utf8_lossy(&page.body_with(nonce)).into_owned()
    }

    fn leads(turn: Turn) -> Leader {
        match turn {
            Turn::Render(leader) => leader,
            Turn::Wait(_) => panic!("expected to render"),
        }
    }

    fn waits(turn: Turn) -> watch::Receiver<Option<Outcome>> {
        match turn {
            Turn::Wait(receiver) => receiver,
            Turn::Render(_) => panic!("expected to wait"),
        }
    }

    #[test]
    fn every_nonce_is_replaced_by_the_new_one() {
        let page = page(
            r#"<script nonce="AAA">a</script><p>x</p><script nonce="AAA">b</script>AAA"#,
            "AAA",
        );
        assert_eq!(
            text(&page, "BBBB"),
            r#"<script nonce="BBBB">a</script><p>x</p><script nonce="BBBB">b</script>BBBB"#
        );
        assert_eq!(
            text(&super::tests::page("no scripts", "AAA"), "B"),
            "no scripts"
        );
        assert_eq!(text(&super::tests::page("", "AAA"), "B"), "");
    }

    #[tokio::test]
    async fn loads_arriving_during_a_render_get_its_page_and_later_ones_render_anew() {
        let renders = SharedRenders::default();
        let leader = leads(renders.turn(&key(1, "")));
        let first = waits(renders.turn(&key(1, "")));
        let second = waits(renders.turn(&key(1, "")));
        leader.finish(|| Some(page("list", "n")));
        for follower in [first, second] {
            let shared = outcome(follower).await;
            assert_eq!(shared.map(|page| text(&page, "m")).as_deref(), Some("list"));
        }
        // Nothing is kept: the next load renders.
        leads(renders.turn(&key(1, "")));
    }

    #[test]
    fn a_lone_load_makes_nothing_to_share() {
        let renders = SharedRenders::default();
        let mut made = false;
        leads(renders.turn(&key(1, ""))).finish(|| {
            made = true;
            None
        });
        assert!(!made);
    }

    #[tokio::test]
    async fn renders_are_shared_per_account_role_language_and_url() {
        let renders = SharedRenders::default();
        let _leader = leads(renders.turn(&key(1, "")));
        let mut reader = key(1, "");
        reader.role = Role::Lezer;
        let mut english = key(1, "");
        english.lang = Lang::En;
        for other in [key(2, ""), key(1, "?actief=ja"), reader, english] {
            leads(renders.turn(&other));
        }
    }

    #[tokio::test]
    async fn after_a_change_a_render_begun_before_is_not_joined() {
        let renders = SharedRenders::default();
        let before = leads(renders.turn(&key(1, "")));
        let waiting = waits(renders.turn(&key(1, "")));
        renders.changed();
        let after = leads(renders.turn(&key(1, "")));
        before.finish(|| Some(page("old", "n")));
        // The one that arrived before the change still gets the page it waited for.
        assert!(outcome(waiting).await.is_some());
        // The old render's end does not remove the new one.
        waits(renders.turn(&key(1, "")));
        drop(after);
    }

    #[tokio::test]
    async fn followers_render_their_own_when_the_leader_has_nothing_to_share_or_goes() {
        let renders = SharedRenders::default();
        let leader = leads(renders.turn(&key(1, "")));
        let follower = waits(renders.turn(&key(1, "")));
        leader.finish(|| None);
        assert!(outcome(follower).await.is_none());

        let leader = leads(renders.turn(&key(1, "")));
        let follower = waits(renders.turn(&key(1, "")));
        drop(leader);
        assert!(outcome(follower).await.is_none());
        leads(renders.turn(&key(1, "")));
    }

    #[test]
    fn only_reading_a_page_changes_nothing() {
        assert!(!may_change(&Method::GET, SHARED_PATH));
        assert!(!may_change(&Method::HEAD, "/instellingen/mailboxen/3"));
        assert!(may_change(&Method::POST, "/instellingen/mailboxen/3"));
        assert!(may_change(&Method::POST, "/api/save_mailbox"));
        assert!(may_change(&Method::GET, "/api/oauth/ms-azure/callback"));
        assert!(may_change(&Method::POST, "/taal"));
    }
}
