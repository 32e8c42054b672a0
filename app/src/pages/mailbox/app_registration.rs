//! Which app registration a Microsoft Api mailbox uses, with a link to it, and — from 30
//! days before — that its secret or certificate ends, and what to do. Server-rendered: it
//! reads the registrations page's data and adds nothing to the form's island.

use leptos::prelude::*;

use crate::api::app_registrations::list_app_registrations;
use rules::app_registrations::{Expiry, RegistrationView, RegistrationsData, REGISTRATIONS_PATH};
use rules::i18n::{expiry_text, AppRegMsg, Lang, Msg};

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
