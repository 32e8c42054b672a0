//! "Microsoft 365 koppelen" (issue 19): the guided setup that replaces the manual's first
//! chapter. `/instellingen/microsoft-365-koppelen` starts one (step 1) and lists those not
//! finished; `/instellingen/microsoft-365-koppelen/{id}` shows its six steps: the ones done
//! with their checks, the current one with what to do in the Azure portal (the exact
//! values, with copy buttons) and its form, the later ones by name. Rendered on the server
//! only, every form a plain post: it works without JavaScript, which only shows the copy
//! buttons (`/copy.js`).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::setup::{get_setup, get_setup_start};
use crate::components::{shown, PageShell, Time};
use crate::pages::app_registrations::{answer_text, file_name};
use crate::pages::mailbox::preflight::CheckRow;
use crate::pages::NotFoundPage;
use rules::app_registrations::answer::{RegistrationAnswer, ANSWER_PARAM};
use rules::app_registrations::{CredentialView, REGISTRATIONS_PATH};
use rules::i18n::{expiry_text, AppRegMsg, Lang, Msg, SetupMsg};
use rules::mailbox_form::MailboxTarget;
use rules::setup::answer::SetupAnswer;
use rules::setup::{setup_path, SetupView, Step, StepCheck, SUGGESTED_APP_NAME};

/// A refusal or a credential action's outcome, from the query.
#[derive(Clone, Copy)]
enum Notice {
    Setup(SetupAnswer),
    Credential(RegistrationAnswer),
}

fn notice_from_query() -> Option<Notice> {
    let query = use_query_map();
    query.with_untracked(|q| {
        let name = q.get(ANSWER_PARAM)?;
        SetupAnswer::from_query(&name)
            .map(Notice::Setup)
            .or_else(|| {
                RegistrationAnswer::from_query(&name, q.get("aadsts").as_deref())
                    .map(Notice::Credential)
            })
    })
}

/// What was typed in a refused form, shown again in its field.
fn typed(name: &str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(name))
}

#[component]
fn NoticeLine(notice: Option<Notice>, lang: Lang) -> impl IntoView {
    notice.map(|notice| match notice {
        Notice::Setup(answer) => view! {
            <p class="alert alert--error" role="alert" data-testid="setup-refused">
                {SetupMsg::answer(answer).text(lang)}
            </p>
        }
        .into_any(),
        Notice::Credential(answer) if answer.succeeded() => view! {
            <p class="alert alert--ok" role="status" data-testid="answer-ok">{answer_text(answer, lang)}</p>
        }
        .into_any(),
        Notice::Credential(answer) => view! {
            <p class="alert alert--error" role="alert" data-testid="answer-refused">{answer_text(answer, lang)}</p>
        }
        .into_any(),
    })
}

/// The copy buttons' script: `'self'` under the page's CSP, deferred until the page is read.
#[component]
fn CopyScript() -> impl IntoView {
    view! { <script src="/copy.js" defer></script> }
}

/// A value to type into the Azure portal: selectable text, and a copy button that
/// `/copy.js` shows (hidden without JavaScript).
#[component]
fn CopyValue(value: String, testid: &'static str, lang: Lang) -> impl IntoView {
    view! {
        <span class="copy">
            <code data-testid=testid>{value.clone()}</code> " "
            <button type="button" class="button button--small copy__button" hidden
                data-copy=value data-copied=SetupMsg::Copied.text(lang)>
                {SetupMsg::Copy.text(lang)}
            </button>
        </span>
    }
}

/// Step 1's form: a new setup, or (with `id`) the corrected tenant of one.
#[component]
fn TenantForm(id: Option<i32>, value: String, lang: Lang) -> impl IntoView {
    let t = move |m: SetupMsg| m.text(lang);
    view! {
        <p>{t(SetupMsg::TenantHow)}</p>
        <form method="post" action="/api/setup_tenant" data-testid="tenant-form">
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string()/> })}
            <div class="field">
                <label for="setup-tenant">{t(SetupMsg::TenantField)}</label>
                <input id="setup-tenant" name="tenant_id" type="text" required maxlength="255"
                    autocomplete="off" spellcheck="false" value=value
                    aria-describedby="setup-tenant-help" data-testid="setup-tenant"/>
                <p id="setup-tenant-help" class="field__help">{t(SetupMsg::TenantHelp)}</p>
            </div>
            <button type="submit" class="button button--primary" data-testid="submit-tenant">
                {t(SetupMsg::Check)}
            </button>
        </form>
    }
}

#[component]
pub fn SetupStartPage() -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let data = Resource::new(|| (), |_| get_setup_start());
    let title = Msg::SetupTitle;
    let notice = notice_from_query();
    let tenant = typed("tenant").unwrap_or_default();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{Msg::Loading.text(lang)}</p> }>
            {move || {
                let tenant = tenant.clone();
                Suspend::new(async move {
                    let t = move |m: SetupMsg| m.text(lang);
                    let content = match data.await {
                        Ok(start) => {
                            let unfinished = (!start.unfinished.is_empty()).then(|| view! {
                                <h2>{t(SetupMsg::Unfinished)}</h2>
                                <ul data-testid="unfinished-setups">
                                    {start.unfinished.into_iter().map(|s| view! {
                                        <li>
                                            <a href=setup_path(s.id) data-testid="resume-setup">
                                                {t(SetupMsg::Resume)} ": " {s.tenant_input}
                                            </a>
                                            " — " {SetupMsg::StepOf.text(lang).replace("{n}", &s.current.number().to_string())}
                                            " (" {SetupMsg::step_title(s.current, lang)} "), "
                                            <Time shown=s.updated/>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            });
                            view! {
                                <p class="lead">{t(SetupMsg::Intro)}</p>
                                <NoticeLine notice lang/>
                                {start.can_change.then(|| view! {
                                    <section class="form-section" id="stap" data-testid="step-tenant">
                                        <h2>{SetupMsg::StepOf.text(lang).replace("{n}", "1")} ": "
                                            {SetupMsg::step_title(Step::Tenant, lang)}</h2>
                                        <TenantForm id=None value=tenant lang/>
                                    </section>
                                })}
                                {unfinished}
                            }
                            .into_any()
                        }
                        Err(_) => view! {
                            <p class="alert alert--error" role="alert">{Msg::LoadFailed.text(lang)}</p>
                        }
                        .into_any(),
                    };
                    view! { <PageShell title crumb=title>{content}<CopyScript/></PageShell> }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i32>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_setup(id).await,
            None => Ok(None),
        }
    });
    let title = Msg::SetupTitle;
    let notice = notice_from_query();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{Msg::Loading.text(lang)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(setup)) => view! {
                        <PageShell title crumb=title>
                            <p class="lead">{SetupMsg::Intro.text(lang)}</p>
                            <NoticeLine notice lang/>
                            <Steps setup lang/>
                            <CopyScript/>
                        </PageShell>
                    }
                    .into_any(),
                    Ok(None) => view! { <NotFoundPage/> }.into_any(),
                    Err(_) => view! {
                        <PageShell title crumb=title>
                            <p class="alert alert--error" role="alert">{Msg::LoadFailed.text(lang)}</p>
                        </PageShell>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// The checks of one run, as the mailbox page shows the preflight's.
#[component]
fn Checks(check: Option<StepCheck>, lang: Lang) -> impl IntoView {
    check.map(|check| {
        let at = shown(&check.at);
        let holds = check.holds().to_string();
        view! {
            <div class="preflight" data-testid="setup-checks" data-holds=holds>
                <p class="muted">{SetupMsg::CheckedAt.text(lang)} " " <Time shown=at/></p>
                <ol class="checks">
                    {check.results.into_iter().map(|result| view! { <CheckRow result lang/> }).collect_view()}
                </ol>
            </div>
        }
    })
}

#[component]
fn Steps(setup: SetupView, lang: Lang) -> impl IntoView {
    let current = setup.current;
    let done = current == Step::Done;
    let steps = Step::ALL
        .into_iter()
        .map(|step| {
            let state = if step < current {
                "done"
            } else if step == current {
                "current"
            } else {
                "later"
            };
            let status = match state {
                "done" => SetupMsg::StepDone,
                "current" => SetupMsg::StepCurrent,
                _ => SetupMsg::StepLater,
            };
            let mark = if state == "done" { "✓ " } else { "" };
            let open = state == "current" && setup.can_change;
            let body = (state != "later").then(|| step_body(step, open, &setup, lang));
            view! {
                <li class=format!("setup-step setup-step--{state}") data-testid=format!("step-{}", step.name())
                    data-state=state id=(state == "current").then_some("stap")>
                    <h2>
                        <span aria-hidden="true">{mark}</span>
                        {SetupMsg::StepOf.text(lang).replace("{n}", &step.number().to_string())} ": "
                        {SetupMsg::step_title(step, lang)}
                        " " <span class="muted">"(" {status.text(lang)} ")"</span>
                    </h2>
                    {body}
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="setup-steps" data-testid="setup-steps" data-current=current.name()>{steps}</ol>
        {done.then(|| view! {
            <section class="form-section" id="stap" data-testid="setup-done">
                <p class="alert alert--ok" role="status"><strong>{SetupMsg::Done.text(lang)}</strong></p>
                <p>{SetupMsg::DoneHow.text(lang)}</p>
                <p>
                    <a class="button" href="/instellingen/mailboxen">{SetupMsg::ToMailboxes.text(lang)}</a> " "
                    <a href=REGISTRATIONS_PATH>{Msg::AppRegistrationsTitle.text(lang)}</a>
                </p>
            </section>
        })}
    }
}

/// What a step shows: when `open`, what to do and its form; always its latest check.
fn step_body(step: Step, open: bool, setup: &SetupView, lang: Lang) -> AnyView {
    let t = move |m: SetupMsg| m.text(lang);
    let id = setup.id;
    match step {
        Step::Tenant => {
            let found = setup
                .tenant_id
                .clone()
                .map(|guid| view! { <p>{t(SetupMsg::TenantField)} ": " <code data-testid="setup-tenant-id">{guid}</code></p> });
            let form = open.then(|| {
                let value = typed("tenant").unwrap_or_else(|| setup.tenant_input.clone());
                view! { <TenantForm id=Some(id) value lang/> }
            });
            view! { {found} <Checks check=setup.checks.tenant.clone() lang/> {form} }.into_any()
        }
        Step::App => {
            let found = setup
                .client_id
                .clone()
                .map(|client| view! { <p>{t(SetupMsg::ClientIdField)} ": " <code data-testid="setup-client-id">{client}</code></p> });
            let form = open.then(|| {
                let value = typed("client_id").unwrap_or_default();
                view! {
                    <p>{t(SetupMsg::AppPortal)}</p>
                    <ul class="setup-values">
                        <li>{t(SetupMsg::AppName)} ": "
                            <CopyValue value=SUGGESTED_APP_NAME.to_string() testid="value-app-name" lang/></li>
                        <li>{t(SetupMsg::AppAccounts)} <br/><span class="field__help">{t(SetupMsg::AppAccountsWhy)}</span></li>
                        <li>{t(SetupMsg::AppRedirect)} " "
                            <CopyValue value=setup.redirect_uri.clone() testid="value-redirect-uri" lang/>
                            <br/><span class="field__help">{t(SetupMsg::AppRedirectWhy)}</span></li>
                    </ul>
                    <p>{t(SetupMsg::AppRegister)}</p>
                    <form method="post" action="/api/setup_app" data-testid="app-form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        <div class="field">
                            <label for="setup-client-id">{t(SetupMsg::ClientIdField)}</label>
                            <input id="setup-client-id" name="client_id" type="text" required maxlength="64"
                                autocomplete="off" spellcheck="false" value=value data-testid="setup-client"/>
                        </div>
                        <button type="submit" class="button button--primary" data-testid="submit-app">{t(SetupMsg::Check)}</button>
                    </form>
                }
            });
            view! { {found} <Checks check=setup.checks.app.clone() lang/> {form} }.into_any()
        }
        Step::Credential => credential_step(open, setup, lang),
        Step::Consent => {
            let skipped = setup.checks.consent_skipped.then(
                || view! { <p data-testid="consent-skipped">{t(SetupMsg::ConsentSkipped)}</p> },
            );
            let form = open.then(|| view! {
                <p>{t(SetupMsg::ConsentHow)}</p>
                <p><strong>{t(SetupMsg::ConsentPermissions)}</strong></p>
                <p>{t(SetupMsg::ConsentGrant)}</p>
                <form method="post" action="/api/setup_consent" class="inline-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button button--primary" data-testid="submit-consent">{t(SetupMsg::Check)}</button>
                </form>
                <p class="field__help">{t(SetupMsg::ConsentRbacOnly)}</p>
                <form method="post" action="/api/setup_skip_consent" class="inline-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button" data-testid="skip-consent">{t(SetupMsg::ConsentSkip)}</button>
                </form>
            });
            let again = (!open && setup.can_change && !setup.checks.consent_skipped).then(|| view! {
                <form method="post" action="/api/setup_consent" class="inline-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button button--small">{t(SetupMsg::CheckAgain)}</button>
                </form>
            });
            view! { {skipped} <Checks check=setup.checks.consent.clone() lang/> {form} {again} }
                .into_any()
        }
        Step::Scope => {
            let listed = setup
                .addresses
                .iter()
                .map(|a| a.address.clone())
                .collect::<Vec<_>>()
                .join("\n");
            let value = typed("adressen").unwrap_or(listed);
            let script = setup.scope_script.clone().map(|script| view! {
                <details class="least-permissions" data-testid="setup-scope-script" open=open>
                    <summary>{t(SetupMsg::ScopeScriptTitle)}</summary>
                    <p>{t(SetupMsg::ScopeScriptHow)}</p>
                    <pre class="script"><code>{script.clone()}</code></pre>
                    <p><button type="button" class="button button--small copy__button" hidden
                        data-copy=script data-copied=t(SetupMsg::Copied)>{t(SetupMsg::Copy)}</button></p>
                    <p class="field__help">{t(SetupMsg::ScopeWait)}</p>
                </details>
            });
            let form = view! {
                <p>{t(SetupMsg::ScopeHow)}</p>
                <form method="post" action="/api/setup_scope" data-testid="scope-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <div class="field">
                        <label for="setup-addresses">{t(SetupMsg::AddressesField)}</label>
                        <textarea id="setup-addresses" name="addresses" rows="4" required
                            aria-describedby="setup-addresses-help" spellcheck="false"
                            data-testid="setup-addresses">{value}</textarea>
                        <p id="setup-addresses-help" class="field__help">{t(SetupMsg::AddressesHelp)}</p>
                    </div>
                    <button type="submit" class="button button--primary" data-testid="submit-scope">
                        {if open { t(SetupMsg::Check) } else { t(SetupMsg::CheckAgain) }}
                    </button>
                </form>
            };
            let form = setup.can_change.then_some(form);
            view! { <Checks check=setup.checks.scope.clone() lang/> {script} {form} }.into_any()
        }
        Step::Mailboxes => {
            let rows = setup
                .addresses
                .iter()
                .map(|a| {
                    let state = match (a.mailbox_id, a.reachable) {
                        (Some(mailbox), _) => view! {
                            <a href=MailboxTarget::Existing(mailbox).path() data-testid="setup-mailbox-link">
                                {t(SetupMsg::MailboxAdded)}
                            </a>
                        }
                        .into_any(),
                        (None, true) => view! { <span>"–"</span> }.into_any(),
                        (None, false) => view! { <span class="muted">{t(SetupMsg::MailboxNotReachable)}</span> }.into_any(),
                    };
                    view! { <li data-testid="setup-address"><code>{a.address.clone()}</code> " — " {state}</li> }
                })
                .collect_view();
            let form = open.then(|| view! {
                <p>{t(SetupMsg::MailboxesHow)}</p>
                <form method="post" action="/api/setup_mailboxes">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button button--primary" data-testid="add-mailboxes">{t(SetupMsg::AddMailboxes)}</button>
                </form>
            });
            view! { <ul data-testid="setup-addresses-list">{rows}</ul> {form} }.into_any()
        }
        Step::Done => ().into_any(),
    }
}

/// Step 3: make a certificate (offered for download and checked after its upload) or
/// enter a secret with its end date. The forms are the app registrations page's, returning
/// here.
fn credential_step(open: bool, setup: &SetupView, lang: Lang) -> AnyView {
    let Some(registration) = setup.registration.clone() else {
        return ().into_any();
    };
    let t = move |m: SetupMsg| m.text(lang);
    let a = move |m: AppRegMsg| m.text(lang);
    let back = setup_path(setup.id);
    let id = registration.id;
    let app_name = registration.display_name.clone();
    let rows = registration
        .credentials
        .iter()
        .cloned()
        .map(|credential| {
            let can_change = setup.can_change;
            view! { <CredentialLine credential app_name=app_name.clone() back=back.clone() can_change lang/> }
        })
        .collect_view();
    let has_certificate = registration.credentials.iter().any(|c| c.certificate);
    let forms = open.then(|| {
        let back = back.clone();
        view! {
            <p>{t(SetupMsg::CredentialHow)}</p>
            <h3>{a(AppRegMsg::Certificate)}</h3>
            <p>{t(SetupMsg::CertificateRecommended)}</p>
            {(!has_certificate).then(|| view! {
                <form method="post" action="/api/make_app_certificate" class="inline-form">
                    <input type="hidden" name="registration_id" value=id.to_string()/>
                    <input type="hidden" name="terug" value=back.clone()/>
                    <button type="submit" class="button button--primary" data-testid="make-certificate">{a(AppRegMsg::MakeCertificate)}</button>
                </form>
            })}
            {has_certificate.then(|| view! { <p>{t(SetupMsg::CertificateUpload)}</p> })}
            <details class="least-permissions" data-testid="secret-alternative">
                <summary>{t(SetupMsg::SecretAlternative)}</summary>
                <p>{t(SetupMsg::SecretHow)}</p>
                <form method="post" action="/api/add_app_secret" data-testid="add-secret-form">
                    <input type="hidden" name="registration_id" value=id.to_string()/>
                    <input type="hidden" name="terug" value=back/>
                    <div class="field">
                        <label for="setup-secret">{a(AppRegMsg::SecretValue)}</label>
                        <input id="setup-secret" name="value" type="password" autocomplete="off" spellcheck="false"
                            required data-testid="new-secret-value"/>
                    </div>
                    <div class="field">
                        <label for="setup-secret-expires">{a(AppRegMsg::ExpiryDate)}</label>
                        <input id="setup-secret-expires" name="expires_on" type="date" required
                            aria-describedby="setup-secret-expires-help" data-testid="new-secret-expires"/>
                        <p id="setup-secret-expires-help" class="field__help">{a(AppRegMsg::ExpiryRequiredHelp)}</p>
                    </div>
                    <button type="submit" class="button" data-testid="add-secret">{a(AppRegMsg::AddSecret)}</button>
                </form>
            </details>
        }
    });
    view! {
        <ul class="setup-values" data-testid="setup-credentials">{rows}</ul>
        {forms}
    }
    .into_any()
}

/// A credential of the setup's registration: what it is, until when, and whether Microsoft
/// accepted it; a certificate with its download and "Controleren".
#[component]
fn CredentialLine(
    credential: CredentialView,
    app_name: String,
    back: String,
    can_change: bool,
    lang: Lang,
) -> impl IntoView {
    let a = move |m: AppRegMsg| m.text(lang);
    let kind = if credential.certificate {
        AppRegMsg::Certificate
    } else {
        AppRegMsg::Secret
    };
    let accepted = credential.verified.clone();
    let download = credential.certificate_base64.clone().map(|encoded| {
        let href = format!("data:application/x-pem-file;base64,{encoded}");
        let file = format!("{}.pem", file_name(&app_name));
        view! { " " <a href=href download=file class="button button--small" data-testid="certificate-download">{a(AppRegMsg::Download)}</a> }
    });
    let check = (can_change && accepted.is_none()).then(|| view! {
        <form method="post" action="/api/check_app_credential" class="inline-form">
            <input type="hidden" name="id" value=credential.id.to_string()/>
            <input type="hidden" name="terug" value=back/>
            <button type="submit" class="button button--small button--primary" data-testid="check-credential">{a(AppRegMsg::Check)}</button>
        </form>
    });
    let is_accepted = accepted.is_some().to_string();
    view! {
        <li data-testid="setup-credential" data-accepted=is_accepted>
            {a(kind)} " " <code data-testid="credential-label">{credential.label.clone()}</code>
            " — " {a(AppRegMsg::Expires)} ": "
            {credential.expires.clone().map(|shown| view! { <Time shown/> " " })}
            "(" {expiry_text(credential.expiry, lang)} ")"
            {match accepted {
                Some(shown) => view! {
                    " — " <span class="check check--ok">"✓ " {SetupMsg::CredentialAccepted.text(lang)} " "</span>
                    <Time shown/>
                }
                .into_any(),
                None => view! { " — " <span class="muted">{a(AppRegMsg::NotVerified)}</span> }.into_any(),
            }}
            {download}
            {check}
        </li>
    }
}
