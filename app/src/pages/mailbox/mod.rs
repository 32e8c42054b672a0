//! `/instellingen/mailboxen/nieuw` and `/instellingen/mailboxen/{id}`: the mailbox form,
//! viewing and editing in one page.
//!
//! The page is server-rendered; the form is an island. It posts to `save_mailbox` through
//! an `ActionForm`: without JavaScript the browser posts it and is redirected back (to the
//! saved mailbox, or to this page with the submitted values and issues); with the island
//! running, every field is checked while typing with the same validation module the server
//! uses, and a refused save keeps what was typed, secrets included. The other sections'
//! buttons are plain forms the server answers with a 303 back to this page.

mod app_registration;
mod audit;
mod basic_auth;
mod connection;
mod delete;
mod diagnostics;
mod editor;
mod fields;
mod history;
mod mail_servers;
pub(crate) mod preflight;
mod redirect_url;
mod sections;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::mailbox_form::get_mailbox_form;
use crate::components::PageShell;
use crate::pages::mail::MailSection;
use crate::pages::NotFoundPage;
use rules::i18n::{FormMsg, Lang, Msg};
use rules::mailbox_form::{ATTEMPT_PARAM, REGISTRATION_PARAM};

#[component]
pub fn MailboxPage() -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let params = use_params_map();
    let query = use_query_map();
    let segment = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(
        move || {
            query.with(|q| {
                let registration = q.get(REGISTRATION_PARAM).and_then(|r| r.parse().ok());
                (segment(), q.get(ATTEMPT_PARAM), registration)
            })
        },
        |(segment, attempt, registration)| get_mailbox_form(segment, attempt, registration),
    );
    // Created here, not inside the Suspend below: a resource made while the page is
    // already resolving can leave the server's async render waiting.
    let audit = Resource::new(segment, audit::load);
    let history = Resource::new(segment, history::load);
    let mail = Resource::new(segment, crate::pages::mail::load_status);
    let registrations = Resource::new(segment, app_registration::load);

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
                                    // Every saved mailbox: an IMAP mailbox's "Test verbinding"
                                    // runs and a switched mailbox's past stay visible.
                                    view! {
                                        {id.map(|id| view! {
                                            <app_registration::AppRegistrationNote id registrations lang/>
                                        })}
                                        {id.is_none().then(|| {
                                            let chosen = query.with_untracked(|q| {
                                                q.get(REGISTRATION_PARAM).and_then(|r| r.parse().ok())
                                            });
                                            view! { <app_registration::ChooseRegistration registrations chosen lang/> }
                                        })}
                                        <editor::MailboxPageBody data/>
                                        {id.map(|_| view! { <MailSection status=mail/> }.into_any())}
                                        {id.map(|id| view! {
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
