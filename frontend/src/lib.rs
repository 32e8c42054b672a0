//! The browser entry point: hydrates the server-rendered page with the same `App`.
// The mailbox page's view type (form, connection section, history, Wijzigingslog) is deeper
// than the default limit lets the compiler lay out when it is monomorphised here.
#![recursion_limit = "512"]

use leptos::prelude::document;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Reached only when hydration succeeded (a mismatch panics first): end-to-end tests wait
    // for this mark before testing behaviour only the live WASM provides.
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
