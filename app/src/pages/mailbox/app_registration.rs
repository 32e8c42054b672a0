//! Which app registration a Microsoft Api mailbox uses, with a link to it, and — from 30
//! days before — that its secret or certificate ends, and what to do. Server-rendered: it
//! reads the registrations page's data and adds nothing to the form's island.

use leptos::prelude::*;

use crate::api::app_registrations::list_app_registrations;
use rules::app_registrations::answer::{RegistrationAnswer, ANSWER_PARAM};
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
                let data = registrations.await.ok()?;
                let can_change = data.can_change;
                let found = data
                    .registrations
                    .into_iter()
                    .find(|r| r.mailboxes.iter().any(|m| m.id == id))?;
                Some(view! { <Note registration=found mailbox=id can_change lang/> })
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

/// A secret in use whose end is not known yet (entered on the form, which keeps Econobis'
/// fields): its date asked for right here, returning to this page.
#[component]
fn ExpiryDate(credential: i32, mailbox: i32, lang: Lang) -> impl IntoView {
    let field = format!("mailbox-secret-expires-{credential}");
    view! {
        <form method="post" action="/api/set_credential_expiry" class="field" data-testid="mailbox-expiry-form">
            <input type="hidden" name="id" value=credential.to_string()/>
            <input type="hidden" name="terug" value=MailboxTarget::Existing(mailbox).path()/>
            <label for=field.clone()>{AppRegMsg::ExpiryDate.text(lang)}</label>
            <input id=field name="expires_on" type="date" required data-testid="mailbox-expiry-date"/>
            <button type="submit" class="button button--small">{AppRegMsg::SetExpiry.text(lang)}</button>
        </form>
    }
}

/// The outcome of that form, from the query.
fn expiry_answer(lang: Lang) -> Option<impl IntoView> {
    let answer = leptos_router::hooks::use_query_map()
        .with_untracked(|q| RegistrationAnswer::from_query(&q.get(ANSWER_PARAM)?, None))?;
    let text = match answer {
        RegistrationAnswer::ExpirySaved => AppRegMsg::ExpirySaved,
        RegistrationAnswer::ExpiryRefused(error) => AppRegMsg::date_error(error),
        _ => return None,
    };
    let (class, role) = if answer.succeeded() {
        ("alert alert--ok", "status")
    } else {
        ("alert alert--error", "alert")
    };
    Some(
        view! { <p class=class role=role data-testid="mailbox-expiry-answer">{text.text(lang)}</p> },
    )
}

#[component]
fn Note(
    registration: RegistrationView,
    mailbox: i32,
    can_change: bool,
    lang: Lang,
) -> impl IntoView {
    let expiry = registration.expiry();
    let undated: Vec<i32> = registration
        .credentials
        .iter()
        .filter(|c| can_change && !c.certificate && c.mailboxes > 0 && c.expiry == Expiry::Unknown)
        .map(|c| c.id)
        .collect();
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
        <p class=class data-testid="mailbox-app-registration" id="app-registratie"
            role=expiry.needs_attention().then_some("alert")>
            {Msg::NavAppRegistrations.text(lang)} ": "
            <a href=link>{registration.display_name}</a>
            " — " {AppRegMsg::Expires.text(lang)} ": " <strong>{expiry_text(expiry, lang)}</strong>
            {advice.map(|advice| view! { ". " {advice.text(lang)} })}
        </p>
        {expiry_answer(lang)}
        {undated.into_iter().map(|credential| view! { <ExpiryDate credential mailbox lang/> }).collect_view()}
    }
}
