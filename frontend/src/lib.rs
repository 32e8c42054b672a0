//! The browser entry point. The pages are server-rendered; only their islands (the list's
//! and the history's filters, the mailbox form's live checks, the copy buttons) hydrate.
//! Leptos' island script calls `hydrate` and then each island's own hydrate function,
//! which the `app` crate exports.

use std::time::Duration;

use leptos::prelude::{document, set_timeout};

// Linked for its islands' exported hydrate functions, which nothing here names.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The island script hydrates the islands right after this returns, without yielding to
    // the event loop; a timeout runs after them. End-to-end tests wait for this mark before
    // testing behaviour only the live WASM provides; a panic in an island shows as a console
    // error, which every end-to-end test fails on.
    set_timeout(
        || {
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        },
        Duration::ZERO,
    );
}
