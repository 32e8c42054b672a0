//! Which app registration a Microsoft Api mailbox uses, with a link to it, and — from 30
//! days before — that its secret or certificate ends, and what to do. Server-rendered: it
//! reads the registrations page's data and adds nothing to the form's island.

use leptos::prelude::*;

use crate::api::app_registrations::list_app_registrations;
use rules::app_registrations::{Expiry, RegistrationView, RegistrationsData, REGISTRATIONS_PATH};
use rules::i18n::{expiry_text, AppRegMsg, Lang, Msg};
use rules::mailbox_form::{MailboxTarget, REGISTRATION_PARAM};

pub(super) fn load(
    _segment: String,
) -> impl std::future::Future<Output = Result<RegistrationsData, ServerFnError>> {
    list_app_registrations()
}

#[component]
pub(super) fn AppRegistrationNote(
    id: i32,
    registrations: Resource<Result<RegistrationsData, ServerFnError>>,
    lang: Lang,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let found = registrations
                    .await
                    .ok()?
                    .registrations
                    .into_iter()
                    .find(|r| r.mailboxes.iter().any(|m| m.id == id))?;
                Some(view! { <Note registration=found lang/> })
            })}
        </Suspense>
    }
}

/// A new mailbox: the app registrations already entered, each a link that fills in its
/// Tenant ID and Client id (its secret or certificate is used as it is), beside typing a new
/// one in the form's Azure fields, and the guided setup for a first one.
#[component]
pub(super) fn ChooseRegistration(
    registrations: Resource<Result<RegistrationsData, ServerFnError>>,
    chosen: Option<i32>,
    lang: Lang,
) -> impl IntoView {
    let t = move |m: AppRegMsg| m.text(lang);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = registrations.await.ok()?.registrations;
                let links = (!list.is_empty()).then(|| view! {
                    <p>{t(AppRegMsg::ChooseExisting)}</p>
                    <ul data-testid="choose-registration">
                        {list.into_iter().map(|r| {
                            let current = chosen == Some(r.id);
                            view! {
                                <li>
                                    <a href=format!("{}?{}={}", MailboxTarget::New.path(), REGISTRATION_PARAM, r.id)
                                        aria-current=current.then_some("true")>{r.display_name}</a>
                                    " " <span class="muted">"(" {r.client_id} ")"</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <p class="field__help">{t(AppRegMsg::ChooseHelp)}</p>
                });
                Some(view! {
                    <section class="alert alert--info" data-testid="registration-choice">
                        {links}
                        <p>{t(AppRegMsg::OrGuidedSetup)} " "
                            <a href=rules::setup::SETUP_PATH data-testid="to-setup">{Msg::NavSetup.text(lang)}</a></p>
                    </section>
                })
            })}
        </Suspense>
    }
}

#[component]
fn Note(registration: RegistrationView, lang: Lang) -> impl IntoView {
    let expiry = registration.expiry();
    let link = format!("{REGISTRATIONS_PATH}#registratie-{}", registration.id);
    let class = match expiry {
        Expiry::Soon { .. } => "alert alert--warn",
        Expiry::Urgent { .. } | Expiry::Expired => "alert alert--error",
        Expiry::Valid | Expiry::Unknown => "alert alert--info",
    };
    let advice = match expiry {
        Expiry::Expired => Some(AppRegMsg::ExpiredAdvice),
        Expiry::Soon { .. } | Expiry::Urgent { .. } => Some(AppRegMsg::SoonAdvice),
        Expiry::Unknown => Some(AppRegMsg::UnknownAdvice),
        Expiry::Valid => None,
    };
    view! {
        <p class=class data-testid="mailbox-app-registration"
            role=expiry.needs_attention().then_some("alert")>
            {Msg::NavAppRegistrations.text(lang)} ": "
            <a href=link>{registration.display_name}</a>
            " — " {AppRegMsg::Expires.text(lang)} ": " <strong>{expiry_text(expiry, lang)}</strong>
            {advice.map(|advice| view! { ". " {advice.text(lang)} })}
        </p>
    }
}
