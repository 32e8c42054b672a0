//! The Dutch 404 page, with a real 404 status on the server.

use leptos::prelude::*;

use crate::components::PageShell;
use rules::i18n::{Lang, Msg};

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let lang = use_context::<Lang>().unwrap_or_default();
    view! {
        <PageShell title=Msg::NotFoundTitle crumb=Msg::NotFoundTitle>
            <p data-testid="not-found">{Msg::NotFoundText.text(lang)}</p>
            <p><a href="/instellingen/mailboxen">{Msg::BackToMailboxes.text(lang)}</a></p>
        </PageShell>
    }
}
