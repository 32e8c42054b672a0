//! What the islands ask of the browser beyond reactive rendering: the clipboard, the address bar
//! and what a form's controls hold. On the server (and in native tests) these do nothing: islands run
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

/// What one form control holds in the page right now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ControlValue {
    Text(String),
    Checked(bool),
}

/// Every named control of `form` with what it holds now. Read when an island hydrates and
/// when it submits: a person, the browser or a password manager may have filled the fields
/// before the bundle ran, and the island's own state (built from the server's render) does
/// not know that yet.
#[cfg(feature = "hydrate")]
pub fn control_values(
    form: leptos::prelude::NodeRef<leptos::html::Form>,
) -> Vec<(String, ControlValue)> {
    use leptos::prelude::GetUntracked;
    use web_sys::wasm_bindgen::JsCast;

    let Some(form) = form.get_untracked() else {
        return Vec::new();
    };
    let controls = form.elements();
    (0..controls.length())
        .filter_map(|index| controls.item(index))
        .filter_map(|element| {
            if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
                let value = match input.type_().as_str() {
                    "checkbox" | "radio" => ControlValue::Checked(input.checked()),
                    // Buttons and hidden ids are not something a person fills in.
                    "hidden" | "submit" | "button" => return None,
                    _ => ControlValue::Text(input.value()),
                };
                Some((input.name(), value))
            } else {
                let select = element.dyn_ref::<web_sys::HtmlSelectElement>()?;
                Some((select.name(), ControlValue::Text(select.value())))
            }
        })
        .filter(|(name, _)| !name.is_empty())
        .collect()
}

#[cfg(not(feature = "hydrate"))]
pub fn control_values(
    _form: leptos::prelude::NodeRef<leptos::html::Form>,
) -> Vec<(String, ControlValue)> {
    Vec::new()
}
