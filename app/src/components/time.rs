//! Times on the pages, all through [`rules::time::display`]: in the installation's zone and
//! the admin's language, relative within the hour, the exact moment in a tooltip.

use leptos::either::Either;
use leptos::prelude::*;

use rules::i18n::Lang;
use rules::time::{Clock, Shown, DEFAULT_ZONE};

/// The request's clock (the installation's zone and the moment the page is rendered), put
/// in context with the request's state. Only the server renders with it: an island gets
/// its times already [`Shown`], in its props.
pub fn clock() -> Clock {
    use_context::<Clock>().unwrap_or_else(|| Clock {
        zone: DEFAULT_ZONE,
        now: chrono::Utc::now(),
    })
}

/// A stored RFC 3339 time as the admin reads it, in the page's language.
pub fn shown(at: &str) -> Shown {
    clock().show_text(at, use_context::<Lang>().unwrap_or_default())
}

/// `<time datetime=… title=…>…</time>`; text that is no time (a [`Shown`] without `iso`)
/// as plain text. (`Either`, not `AnyView`: the islands use this too, and type erasure
/// costs the bundle.)
#[component]
pub fn Time(shown: Shown) -> impl IntoView {
    let Shown { iso, text, exact } = shown;
    if iso.is_empty() {
        return Either::Left(text);
    }
    Either::Right(view! { <time datetime=iso title=exact>{text}</time> })
}
