//! `/instellingen/mailboxen/nieuw` and `/instellingen/mailboxen/{id}`: the mailbox form,
//! viewing and editing in one page.
//!
//! The form posts to `save_mailbox` through an `ActionForm`: without JavaScript the
//! browser posts it and is redirected back (to the saved mailbox, or to this page with the
//! submitted values and issues); once hydrated, every field is checked while typing with
//! the same validation module the server uses.

mod audit;
mod connection;
mod delete;
mod diagnostics;
mod editor;
mod fields;
mod history;
mod preflight;
mod redirect_url;
mod sections;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::mailbox_form::get_mailbox_form;
use crate::components::PageShell;
use crate::i18n::{FormMsg, Lang, Msg};
use crate::mailbox_form::ATTEMPT_PARAM;
use crate::pages::mail::MailSection;
use crate::pages::NotFoundPage;

#[component]
pub fn MailboxPage() -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let params = use_params_map();
    let query = use_query_map();
    // Bumped after a save in the browser, so the page shows what is stored now (and the
    // new version).
    let reload = RwSignal::new(0_u32);
    let segment = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(
        move || {
            (
                segment(),
                query.with(|q| q.get(ATTEMPT_PARAM)),
                reload.get(),
            )
        },
        |(segment, attempt, _)| get_mailbox_form(segment, attempt),
    );
    // Created here, not inside the Suspend below: a resource made while the page is
    // already resolving can leave the server's async render waiting.
    let audit = Resource::new(
        move || (segment(), reload.get()),
        |(segment, _)| audit::load(segment),
    );
    // Bumped when a test or a start stored a new attempt without reloading the page.
    let attempts_changed = RwSignal::new(0_u32);
    let history = Resource::new(
        move || (segment(), reload.get(), attempts_changed.get()),
        |(segment, _, _)| history::load(segment),
    );
    // Bumped after "Nu ophalen", so the Mail section shows the new count.
    let mail_changed = RwSignal::new(0_u32);
    let mail = Resource::new(
        move || (segment(), reload.get(), mail_changed.get()),
        |(segment, _, _)| crate::pages::mail::load_status(segment),
    );

    view! {
        <Suspense fallback=move || view! { <p class="muted">{Msg::Loading.text(lang)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(data)) => {
                        let title = if data.id.is_some() { FormMsg::EditTitle } else { FormMsg::NewTitle };
                        view! {
                            <PageShell title=Msg::Form(title) crumb=Msg::Form(title)>
                                {
                                    let id = data.id;
                                    let connected_kind = data.connection.is_some();
                                    view! {
                                        <editor::MailboxEditor data reload attempts_changed/>
                                        {id.map(|_| view! {
                                            <MailSection status=mail changed=mail_changed/>
                                        }.into_any())}
                                        {id.filter(|_| connected_kind).map(|id| view! {
                                            <history::History id entries=history/>
                                        })}
                                        {id.map(|_| view! { <audit::AuditLog entries=audit/> })}
                                    }
                                }
                            </PageShell>
                        }.into_any()
                    }
                    Ok(None) => view! { <NotFoundPage/> }.into_any(),
                    Err(_) => view! {
                        <PageShell title=Msg::Form(FormMsg::EditTitle) crumb=Msg::Form(FormMsg::EditTitle)>
                            <p class="alert alert--error" role="alert">{Msg::LoadFailed.text(lang)}</p>
                        </PageShell>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
