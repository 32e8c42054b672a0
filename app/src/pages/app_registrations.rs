//! `/instellingen/app-registraties` (issue 19): each app registration once, with its
//! secrets and certificates (never their values), when each expires, and the mailboxes
//! that use it. Rendered on the server only; "Verloopdatum opslaan" is a plain form post,
//! so the page needs no JavaScript and adds nothing to the browser bundle.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::app_registrations::list_app_registrations;
use crate::components::{PageShell, Time};
use rules::app_registrations::{
    CredentialView, Expiry, ExpiryAnswer, RegistrationView, EXPIRY_PARAM,
};
use rules::i18n::{expiry_text, AppRegMsg, Lang, Msg};
use rules::mailbox_form::MailboxTarget;

#[component]
pub fn AppRegistrationsPage() -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let query = use_query_map();
    let data = Resource::new(|| (), |_| list_app_registrations());
    let title = Msg::AppRegistrationsTitle;
    view! {
        <Suspense fallback=move || view! { <p class="muted">{Msg::Loading.text(lang)}</p> }>
            {move || Suspend::new(async move {
                let answer = query
                    .with(|q| q.get(EXPIRY_PARAM))
                    .and_then(|value| ExpiryAnswer::from_query(&value));
                let content = match data.await {
                    Ok(data) => view! {
                        <Registrations list=data.registrations can_change=data.can_change answer lang/>
                    }
                    .into_any(),
                    Err(_) => view! {
                        <p class="alert alert--error" role="alert">{Msg::LoadFailed.text(lang)}</p>
                    }
                    .into_any(),
                };
                view! { <PageShell title crumb=title>{content}</PageShell> }
            })}
        </Suspense>
    }
}

#[component]
fn Registrations(
    list: Vec<RegistrationView>,
    can_change: bool,
    answer: Option<ExpiryAnswer>,
    lang: Lang,
) -> impl IntoView {
    let t = move |msg: AppRegMsg| msg.text(lang);
    let answer = answer.map(|answer| match answer {
        ExpiryAnswer::Saved => view! {
            <p class="alert alert--ok" role="status" data-testid="expiry-saved">{t(AppRegMsg::ExpirySaved)}</p>
        }
        .into_any(),
        ExpiryAnswer::Refused(error) => view! {
            <p class="alert alert--error" role="alert" data-testid="expiry-refused">
                {t(AppRegMsg::date_error(error))}
            </p>
        }
        .into_any(),
        ExpiryAnswer::NotFound => view! {
            <p class="alert alert--error" role="alert" data-testid="expiry-refused">{t(AppRegMsg::NotFound)}</p>
        }
        .into_any(),
    });
    let body = if list.is_empty() {
        view! { <p class="empty" data-testid="app-registrations-empty">{t(AppRegMsg::Empty)}</p> }
            .into_any()
    } else {
        list.into_iter()
            .map(|registration| view! { <Registration registration can_change lang/> })
            .collect_view()
            .into_any()
    };
    view! {
        <p class="lead">{t(AppRegMsg::Intro)}</p>
        {answer}
        {body}
    }
}

#[component]
fn Registration(registration: RegistrationView, can_change: bool, lang: Lang) -> impl IntoView {
    let t = move |msg: AppRegMsg| msg.text(lang);
    let expiry = registration.expiry();
    let warning = expiry.needs_attention().then(|| {
        let class = if matches!(expiry, Expiry::Soon { .. }) {
            "alert alert--warn"
        } else {
            "alert alert--error"
        };
        let advice = if expiry == Expiry::Expired {
            AppRegMsg::ExpiredAdvice
        } else {
            AppRegMsg::SoonAdvice
        };
        view! {
            <p class=class role="alert" data-testid="registration-expiry">
                <strong>{expiry_text(expiry, lang)}</strong> ". " {t(advice)}
            </p>
        }
    });
    let mailboxes = if registration.mailboxes.is_empty() {
        view! { <p class="muted">{t(AppRegMsg::NoMailboxes)}</p> }.into_any()
    } else {
        view! {
            <ul data-testid="registration-mailboxes">
                {registration.mailboxes.into_iter().map(|m| view! {
                    <li><a href=MailboxTarget::Existing(m.id).path()>{m.name}</a></li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let credentials = registration
        .credentials
        .into_iter()
        .map(|credential| view! { <CredentialRow credential can_change lang/> })
        .collect_view();
    view! {
        <section class="form-section" data-testid="app-registration"
            id=format!("registratie-{}", registration.id)>
            <h2>{registration.display_name}</h2>
            <p>
                {t(AppRegMsg::TenantId)} ": " <code data-testid="registration-tenant">{registration.tenant_id}</code>
                " · " {t(AppRegMsg::ClientId)} ": " <code data-testid="registration-client">{registration.client_id}</code>
            </p>
            {warning}
            {registration.secrets_differ.then(|| view! {
                <p class="alert alert--warn" data-testid="secrets-differ">{t(AppRegMsg::SecretsDiffer)}</p>
            })}
            <h3>{t(AppRegMsg::Credentials)}</h3>
            <div class="table-wrap">
                <table class="table" data-testid="credentials">
                    <thead>
                        <tr>
                            <th scope="col">{t(AppRegMsg::Credentials)}</th>
                            <th scope="col">{t(AppRegMsg::Expires)}</th>
                            <th scope="col">{t(AppRegMsg::Verified)}</th>
                            <th scope="col">{t(AppRegMsg::UsedBy)}</th>
                        </tr>
                    </thead>
                    <tbody>{credentials}</tbody>
                </table>
            </div>
            <h3>{t(AppRegMsg::Mailboxes)}</h3>
            {mailboxes}
        </section>
    }
}

#[component]
fn CredentialRow(credential: CredentialView, can_change: bool, lang: Lang) -> impl IntoView {
    let t = move |msg: AppRegMsg| msg.text(lang);
    let id = credential.id;
    let kind = if credential.certificate {
        AppRegMsg::Certificate
    } else {
        AppRegMsg::Secret
    };
    let status_class = match credential.expiry {
        Expiry::Valid => "status status--ok",
        Expiry::Unknown | Expiry::Soon { .. } => "status status--neutral",
        Expiry::Urgent { .. } | Expiry::Expired => "status status--bad",
    };
    let unknown = credential.expiry == Expiry::Unknown;
    // A certificate's end is in the certificate; a secret's is what Azure shows.
    let date_form = (!credential.certificate).then(|| {
        view! {
            {unknown.then(|| view! { <p class="field__help">{t(AppRegMsg::UnknownAdvice)}</p> })}
            {can_change.then(|| view! { <ExpiryForm id lang/> })}
        }
    });
    view! {
        <tr id=format!("credential-{id}") data-testid="credential">
            <td data-label=t(AppRegMsg::Credentials)>
                {t(kind)} " " <code data-testid="credential-label">{credential.label}</code>
            </td>
            <td data-label=t(AppRegMsg::Expires)>
                {credential.expires.map(|shown| view! { <Time shown/> " " })}
                <span class=status_class data-testid="credential-expiry">{expiry_text(credential.expiry, lang)}</span>
                {date_form}
            </td>
            <td data-label=t(AppRegMsg::Verified)>
                {match credential.verified {
                    Some(shown) => view! { <Time shown/> }.into_any(),
                    None => view! { <span class="muted">{t(AppRegMsg::NotVerified)}</span> }.into_any(),
                }}
            </td>
            <td data-label=t(AppRegMsg::UsedBy)>{credential.mailboxes.to_string()}</td>
        </tr>
    }
}

/// "Verloopt op" with "Verloopdatum opslaan": a plain form post, answered with a 303 back
/// to this page.
#[component]
fn ExpiryForm(id: i32, lang: Lang) -> impl IntoView {
    let field = format!("expires-on-{id}");
    view! {
        <form method="post" action="/api/set_credential_expiry" class="field"
            data-testid="expiry-form">
            <input type="hidden" name="id" value=id.to_string()/>
            <label for=field.clone()>{AppRegMsg::ExpiryDate.text(lang)}</label>
            <input id=field name="expires_on" type="date" required data-testid="expiry-date"/>
            <button type="submit" class="button button--small">{AppRegMsg::SetExpiry.text(lang)}</button>
        </form>
    }
}
