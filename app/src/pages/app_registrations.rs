//! `/instellingen/app-registraties` (issue 19): each app registration once, with its
//! secrets and certificates (never their values), when each expires, and the mailboxes
//! that use it; for a beheerder the forms to enter a secret's end date, add a new secret or
//! make a certificate, check one with Microsoft, take it into use for every mailbox at once
//! and remove what no mailbox uses. Rendered on the server only; every action is a plain
//! form post answered with a 303 back here, so the page needs no JavaScript and adds
//! nothing to the browser bundle.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::app_registrations::list_app_registrations;
use crate::components::{PageShell, Time};
use rules::advice::{advise, Facts};
use rules::app_registrations::answer::{RegistrationAnswer, SecretProblem, ANSWER_PARAM};
use rules::app_registrations::{CredentialView, Expiry, RegistrationView};
use rules::i18n::{expiry_text, AppRegMsg, Lang, Msg};
use rules::mailbox_form::{MailboxTarget, REGISTRATION_PARAM};

#[component]
pub fn AppRegistrationsPage() -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let query = use_query_map();
    let data = Resource::new(|| (), |_| list_app_registrations());
    let title = Msg::AppRegistrationsTitle;
    view! {
        <Suspense fallback=move || view! { <p class="muted">{Msg::Loading.text(lang)}</p> }>
            {move || Suspend::new(async move {
                let answer = query.with(|q| {
                    let name = q.get(ANSWER_PARAM)?;
                    RegistrationAnswer::from_query(&name, q.get("aadsts").as_deref())
                });
                // A refused name, shown again in its field.
                let typed = query.with(|q| {
                    let id = q.get("registratie")?.parse::<i32>().ok()?;
                    Some((id, q.get("naam")?))
                });
                let content = match data.await {
                    Ok(data) => view! {
                        <Registrations list=data.registrations can_change=data.can_change answer typed lang/>
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

/// The words for an action's outcome.
pub(crate) fn answer_text(answer: RegistrationAnswer, lang: Lang) -> String {
    use RegistrationAnswer as A;
    let msg = match answer {
        A::ExpirySaved => AppRegMsg::ExpirySaved,
        A::ExpiryRefused(error) => AppRegMsg::date_error(error),
        A::SecretVerified => AppRegMsg::SecretVerified,
        A::SecretRefused(SecretProblem::Missing) => AppRegMsg::SecretMissing,
        A::SecretRefused(SecretProblem::SecretId) => AppRegMsg::SecretIsId,
        A::CertificateMade => AppRegMsg::CertificateMade,
        A::Verified => AppRegMsg::VerifiedNow,
        A::VerifyFailed { aadsts } => {
            let advice = advise(Facts {
                aadsts,
                ..Facts::default()
            });
            let code = aadsts
                .map(|code| format!(" (AADSTS{code})"))
                .unwrap_or_default();
            let advice = advice
                .map(|a| format!(" {}", a.text(lang)))
                .unwrap_or_default();
            return format!("{}{code}{advice}", AppRegMsg::VerifyFailed.text(lang));
        }
        A::TakenIntoUse => AppRegMsg::TakenIntoUse,
        A::NotVerified => AppRegMsg::MustCheckFirst,
        A::Removed => AppRegMsg::Removed,
        A::StillInUse => AppRegMsg::StillInUse,
        A::RegistrationDeleted => AppRegMsg::RegistrationDeleted,
        A::Renamed => AppRegMsg::Renamed,
        A::NameInvalid => AppRegMsg::NameInvalid,
        A::Conflict => AppRegMsg::Conflict,
        A::NotFound => AppRegMsg::NotFound,
    };
    msg.text(lang).to_string()
}

#[component]
fn Registrations(
    list: Vec<RegistrationView>,
    can_change: bool,
    answer: Option<RegistrationAnswer>,
    typed: Option<(i32, String)>,
    lang: Lang,
) -> impl IntoView {
    let t = move |msg: AppRegMsg| msg.text(lang);
    let answer = answer.map(|answer| {
        if answer.succeeded() {
            view! {
                <p class="alert alert--ok" role="status" data-testid="answer-ok">{answer_text(answer, lang)}</p>
            }
            .into_any()
        } else {
            view! {
                <p class="alert alert--error" role="alert" data-testid="answer-refused">{answer_text(answer, lang)}</p>
            }
            .into_any()
        }
    });
    let body = if list.is_empty() {
        view! { <p class="empty" data-testid="app-registrations-empty">{t(AppRegMsg::Empty)}</p> }
            .into_any()
    } else {
        list.into_iter()
            .map(|registration| {
                let typed = typed
                    .as_ref()
                    .filter(|(id, _)| *id == registration.id)
                    .map(|(_, name)| name.clone());
                view! { <Registration registration can_change typed lang/> }
            })
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
fn Registration(
    registration: RegistrationView,
    can_change: bool,
    typed: Option<String>,
    lang: Lang,
) -> impl IntoView {
    let t = move |msg: AppRegMsg| msg.text(lang);
    let id = registration.id;
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
    let all_mailboxes = u32::try_from(registration.mailboxes.len()).unwrap_or(u32::MAX);
    let unused = registration.mailboxes.is_empty();
    let mailboxes = if unused {
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
    let app_name = registration.display_name.clone();
    let credentials = registration
        .credentials
        .into_iter()
        .map(|credential| {
            let app_name = app_name.clone();
            view! { <CredentialRow credential all_mailboxes can_change app_name lang/> }
        })
        .collect_view();
    view! {
        <section class="form-section" data-testid="app-registration" id=format!("registratie-{id}")>
            <h2>{registration.display_name.clone()}</h2>
            {can_change.then(|| {
                let name = typed.unwrap_or_else(|| registration.display_name.clone());
                view! { <RenameForm id version=registration.version name lang/> }
            })}
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
                            {can_change.then(|| view! { <th scope="col">{t(AppRegMsg::Actions)}</th> })}
                        </tr>
                    </thead>
                    <tbody>{credentials}</tbody>
                </table>
            </div>
            {can_change.then(|| view! { <NewCredential id lang/> })}
            <h3>{t(AppRegMsg::Mailboxes)}</h3>
            {mailboxes}
            {can_change.then(|| view! {
                <p><a class="button" data-testid="add-mailbox-of-registration"
                    href=format!("{}?{}={id}", MailboxTarget::New.path(), REGISTRATION_PARAM)>
                    {t(AppRegMsg::AddMailbox)}
                </a></p>
            })}
            {(can_change && unused).then(|| view! {
                <PostButton action="delete_app_registration" id label=AppRegMsg::DeleteRegistration
                    class="button button--danger-outline" lang/>
            })}
        </section>
    }
}

#[component]
fn CredentialRow(
    credential: CredentialView,
    all_mailboxes: u32,
    can_change: bool,
    app_name: String,
    lang: Lang,
) -> impl IntoView {
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
    let download = credential.certificate_base64.map(|encoded| {
        // The certificate is public: offered as a file straight from the page.
        let href = format!("data:application/x-pem-file;base64,{encoded}");
        let file = format!("{}.pem", file_name(&app_name));
        view! { <a href=href download=file data-testid="certificate-download">{t(AppRegMsg::Download)}</a> }
    });
    let verified = credential.verified.is_some();
    let actions = can_change.then(|| view! {
        <td data-label=t(AppRegMsg::Actions)>
            {download}
            <PostButton action="check_app_credential" id label=AppRegMsg::Check class="button button--small" lang/>
            {(verified && credential.mailboxes < all_mailboxes).then(|| view! {
                <PostButton action="use_app_credential" id label=AppRegMsg::TakeIntoUse
                    class="button button--small button--primary" lang/>
            })}
            {(credential.mailboxes == 0).then(|| view! {
                <PostButton action="remove_app_credential" id label=AppRegMsg::Remove
                    class="button button--small button--danger-outline" lang/>
            })}
        </td>
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
            <td data-label=t(AppRegMsg::UsedBy) data-testid="credential-mailboxes">{credential.mailboxes.to_string()}</td>
            {actions}
        </tr>
    }
}

/// A one-button form posting `id` to server function `action`.
#[component]
fn PostButton(
    action: &'static str,
    id: i32,
    label: AppRegMsg,
    class: &'static str,
    lang: Lang,
) -> impl IntoView {
    view! {
        <form method="post" action=format!("/api/{action}") class="inline-form">
            <input type="hidden" name="id" value=id.to_string()/>
            <button type="submit" class=class data-testid=action>{label.text(lang)}</button>
        </form>
    }
}

/// "Verloopt op" with "Verloopdatum opslaan".
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

/// A new secret (its value and its required end date) or a generated certificate.
#[component]
fn NewCredential(id: i32, lang: Lang) -> impl IntoView {
    let t = move |msg: AppRegMsg| msg.text(lang);
    let value = format!("new-secret-{id}");
    let date = format!("new-secret-expires-{id}");
    view! {
        <fieldset class="form-fieldset" data-testid="new-credential">
            <legend>{t(AppRegMsg::NewCredential)}</legend>
            <p class="field__help">{t(AppRegMsg::NewCredentialHelp)}</p>
            <form method="post" action="/api/add_app_secret" data-testid="add-secret-form">
                <input type="hidden" name="registration_id" value=id.to_string()/>
                <div class="field">
                    <label for=value.clone()>{t(AppRegMsg::SecretValue)}</label>
                    <input id=value name="value" type="password" autocomplete="off" spellcheck="false"
                        required data-testid="new-secret-value"/>
                </div>
                <div class="field">
                    <label for=date.clone()>{t(AppRegMsg::ExpiryDate)}</label>
                    <input id=date.clone() name="expires_on" type="date" required
                        aria-describedby=format!("{date}-help") data-testid="new-secret-expires"/>
                    <p id=format!("{date}-help") class="field__help">{t(AppRegMsg::ExpiryRequiredHelp)}</p>
                </div>
                <button type="submit" class="button" data-testid="add-secret">{t(AppRegMsg::AddSecret)}</button>
            </form>
            <form method="post" action="/api/make_app_certificate" data-testid="make-certificate-form">
                <input type="hidden" name="registration_id" value=id.to_string()/>
                <p class="field__help">{t(AppRegMsg::CertificateHelp)}</p>
                <button type="submit" class="button" data-testid="make-certificate">{t(AppRegMsg::MakeCertificate)}</button>
            </form>
        </fieldset>
    }
}

/// The app's name as a file name: letters, digits and dashes.
pub(crate) fn file_name(app_name: &str) -> String {
    let name: String = app_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let name = name.trim_matches('-');
    if name.is_empty() {
        "certificaat".to_string()
    } else {
        name.to_string()
    }
}

/// "Naam" with "Naam opslaan", at the version the page was loaded with.
#[component]
fn RenameForm(id: i32, version: i32, name: String, lang: Lang) -> impl IntoView {
    let field = format!("registration-name-{id}");
    view! {
        <form method="post" action="/api/rename_app_registration" class="field"
            data-testid="rename-form">
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="version" value=version.to_string()/>
            <label for=field.clone()>{AppRegMsg::Name.text(lang)}</label>
            <input id=field name="display_name" type="text" maxlength="255" required value=name
                data-testid="registration-name"/>
            <button type="submit" class="button button--small">{AppRegMsg::SaveName.text(lang)}</button>
        </form>
    }
}
