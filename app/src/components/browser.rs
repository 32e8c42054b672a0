//! What the islands ask of the browser beyond the DOM: the clipboard and the address bar. On the server (and in native tests) these do nothing: islands run
//! their handlers in the browser only.

/// Puts `text` on the clipboard. The promise is not awaited: a refused copy leaves the
/// text selectable anyway.
#[cfg(feature = "hydrate")]
pub fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// Shows `url` (same origin) in the address bar without loading it, replacing the current
/// entry: a filter typed into the page stays when the page is reloaded or shared.
#[cfg(feature = "hydrate")]
pub fn replace_url(url: &str) {
    if let Some(history) = web_sys::window().and_then(|window| window.history().ok()) {
        // Only fails for a cross-origin URL, which the islands never build.
        let _ =
            history.replace_state_with_url(&web_sys::wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

#[cfg(not(feature = "hydrate"))]
pub fn copy_to_clipboard(_text: &str) {}

#[cfg(not(feature = "hydrate"))]
pub fn replace_url(_url: &str) {}
