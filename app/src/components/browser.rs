//! What the islands ask of the browser beyond reactive rendering: the clipboard, the address bar,
//! what a form's controls hold and which rows of a server-rendered table show. On the server (and in native tests) these do nothing: islands run
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

/// Keeps the rows of a table the server rendered outside an island in step with `shown`
/// (one entry per row, in table order): the shown rows, in order, become the children of
/// the element `body_id`, or the row `no_match_id` when none is shown. The server put the
/// rows its own filter showed (the island's first `shown`) in that body and the others, with
/// the no-match row when it was not needed, in the `<template>` `kept_id`.
#[cfg(feature = "hydrate")]
pub fn follow_rows(
    body_id: &str,
    kept_id: &str,
    no_match_id: &str,
    shown: leptos::prelude::Memo<Vec<bool>>,
) {
    use leptos::prelude::{Effect, GetUntracked, With};

    let Some(rows) = ServerRows::find(body_id, kept_id, no_match_id, &shown.get_untracked()) else {
        return;
    };
    Effect::new(move |_| shown.with(|shown| rows.show(shown)));
}

#[cfg(not(feature = "hydrate"))]
pub fn follow_rows(
    _body_id: &str,
    _kept_id: &str,
    _no_match_id: &str,
    _shown: leptos::prelude::Memo<Vec<bool>>,
) {
}

/// A server-rendered table's body, its rows in table order and its no-match row.
#[cfg(feature = "hydrate")]
struct ServerRows {
    body: web_sys::Element,
    rows: Vec<web_sys::Element>,
    no_match: Option<web_sys::Element>,
}

#[cfg(feature = "hydrate")]
impl ServerRows {
    /// None when the page does not hold the rows `shown_now` says it does (then the island
    /// leaves the table as the server rendered it).
    fn find(
        body_id: &str,
        kept_id: &str,
        no_match_id: &str,
        shown_now: &[bool],
    ) -> Option<ServerRows> {
        use web_sys::wasm_bindgen::JsCast;

        let document = web_sys::window()?.document()?;
        let body = document.get_element_by_id(body_id)?;
        let kept = document
            .get_element_by_id(kept_id)?
            .dyn_into::<web_sys::HtmlTemplateElement>()
            .ok()?
            .content();
        let mut no_match = None;
        let mut split = |children: web_sys::HtmlCollection| {
            let mut rows = Vec::new();
            for child in (0..children.length()).filter_map(|index| children.item(index)) {
                if child.id() == no_match_id {
                    no_match = Some(child);
                } else {
                    rows.push(child);
                }
            }
            rows.into_iter()
        };
        let (mut in_body, mut in_kept) = (split(body.children()), split(kept.children()));
        let rows = shown_now
            .iter()
            .map(|shown| {
                if *shown {
                    in_body.next()
                } else {
                    in_kept.next()
                }
            })
            .collect::<Option<Vec<_>>>()?;
        Some(ServerRows {
            body,
            rows,
            no_match,
        })
    }

    fn show(&self, shown: &[bool]) {
        self.body.set_text_content(None);
        let mut any = false;
        for (row, _) in self.rows.iter().zip(shown).filter(|(_, shown)| **shown) {
            any = true;
            let _ = self.body.append_child(row);
        }
        if let (false, Some(no_match)) = (any, &self.no_match) {
            let _ = self.body.append_child(no_match);
        }
    }
}
