//! The read-only Redirect url with a copy button and the note that it must be registered
//! as platform type Web (docs/microsoft.md §2: as "Single-page application" it fails with
//! AADSTS9002325).

use leptos::prelude::*;

use crate::components::browser::copy_to_clipboard;
use rules::i18n::{FormMsg, Lang};

/// `{PUBLIC_BASE_URL}/api/oauth/ms-azure/callback`, selectable and copyable.
#[component]
pub(super) fn RedirectUrl(uri: String, lang: Lang) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = {
        let uri = uri.clone();
        move |_| {
            copy_to_clipboard(&uri);
            copied.set(true);
        }
    };
    view! {
        <div class="field">
            <label for="field-redirect_url">{FormMsg::RedirectUrl.text(lang)}</label>
            <div class="copy-row">
                <input id="field-redirect_url" type="text" readonly value=uri
                    data-testid="field-redirect_url" aria-describedby="help-redirect_url"/>
                <button type="button" class="button" data-testid="copy-redirect-url" on:click=copy>
                    {move || if copied.get() { FormMsg::Copied.text(lang) } else { FormMsg::Copy.text(lang) }}
                </button>
            </div>
            <p id="help-redirect_url" class="field__help">{FormMsg::HelpRedirectUrl.text(lang)}</p>
        </div>
    }
}
