//! "Verbinding met Microsoft" on the mailbox page: the status, the last failed attempt with
//! Microsoft's codes and advice, and the buttons that send the browser to Microsoft. Each
//! button is its own plain form: the server answers with a 303 to Microsoft, or back to
//! this page, which then shows the stored preflight or why nothing started. Server-rendered
//! only: nothing here needs the browser's WASM.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::diagnostics::ProblemReport;
use super::preflight::{PreflightPanel, PreflightRunning};
use crate::api::connect::{
    GrantAdminConsent, StartMicrosoftLogin, SwitchConnectionMethod, TestAppRegistration,
};
use crate::components::{shown, Time};
use rules::connection::{sign_in_may_be_blocked, ConnectPrompt, ConnectionView, StartProblem};
use rules::diagnostics::problem_of_report;
use rules::i18n::{ConnectMsg, DiagMsg, FormMsg, Lang, Msg, PasswordlessMsg};
use rules::mailbox_form::MailboxTarget;
use rules::passwordless::{AppPermission, ConnectionMethod, MethodReason};

/// The section, for a saved Microsoft Api mailbox. `context` names the mailbox's address
/// and IDs for the text support gets.
#[component]
pub(super) fn ConnectionSection(
    id: i32,
    view: ConnectionView,
    context: Vec<(&'static str, String)>,
    lang: Lang,
) -> impl IntoView {
    let sign_in = ServerAction::<StartMicrosoftLogin>::new();
    let consent = ServerAction::<GrantAdminConsent>::new();
    let test = ServerAction::<TestAppRegistration>::new();
    let switch = ServerAction::<SwitchConnectionMethod>::new();
    let app_only = view.method == ConnectionMethod::AppOnly;
    let start_problem = use_query_map()
        .with_untracked(|q| StartProblem::from_param(q.get_str(StartProblem::PARAM)));
    // The latest preflight. When the latest attempt is a failed preflight, it kept the
    // admin from going to Microsoft and its report leads the section.
    let latest_is_preflight = view
        .last_problem
        .as_ref()
        .is_some_and(|p| p.kind == "preflight");
    // A failed preflight has its own panel; other failures get the report.
    let problem = view.last_problem.clone().filter(|p| p.kind != "preflight");
    let preflight = view.preflight.clone().map(|report| {
        if report.running {
            let reload_to = MailboxTarget::Existing(id).path();
            return view! { <PreflightRunning report reload_to lang/> }.into_any();
        }
        let failure = problem_of_report(&report).filter(|_| latest_is_preflight);
        let passed = report.passed();
        view! {
            {failure.map(|problem| view! {
                <ProblemReport problem context=context.clone() lang/>
            })}
            <PreflightPanel report stopped=latest_is_preflight lang/>
            {(!passed && !app_only).then(|| view! { <ContinueAnyway action=sign_in id lang/> })}
        }
        .into_any()
    });
    view! {
        <section class="form-section connection" aria-labelledby="connection-title"
            data-testid="section-connection">
            <h2 id="connection-title">{ConnectMsg::Section.text(lang)}</h2>
            <Status view=view.clone() lang/>
            {problem.map(|problem| view! { <ProblemReport problem context=context.clone() lang/> })}
            {preflight}
            {start_problem.map(|problem| {
                let msg = match problem {
                    StartProblem::NotConfigured => ConnectMsg::NotConfigured,
                    StartProblem::Failed => ConnectMsg::StartFailed,
                };
                view! {
                    <p class="alert alert--error" role="alert" data-testid="connect-start-failed">{msg.text(lang)}</p>
                }
            })}
            {sign_in_may_be_blocked(&view).then(|| view! {
                <p class="alert alert--info" data-testid="blocked-sign-in-advice">
                    {PasswordlessMsg::BlockedSignInAdvice.text(lang)}
                </p>
            })}
            {(!app_only && !view.connected).then(|| view! {
                <SwitchMethod action=switch id method=ConnectionMethod::AppOnly
                    label=PasswordlessMsg::SwitchToAppOnly
                    help=HelpText::Passwordless(PasswordlessMsg::SwitchToAppOnlyHelp)
                    testid="switch-app-only" lang/>
            })}
            <div class="form-actions connection__actions">
                {(!app_only).then(|| view! {
                    <StartButton action=sign_in id prompt=ConnectPrompt::SelectAccount
                        label=if view.connected { ConnectMsg::SelectAccountAgain } else { ConnectMsg::Connect }
                        testid=if view.connected { "connect-select-account" } else { "connect" } lang/>
                })}
                {(!app_only && view.connected).then(|| view! {
                    <StartButton action=sign_in id prompt=ConnectPrompt::Login
                        label=ConnectMsg::ForceReconnect testid="connect-force" lang/>
                })}
                {app_only.then(|| view! {
                    <SwitchMethod action=switch id method=ConnectionMethod::Delegated
                        label=PasswordlessMsg::SwitchToDelegated
                        help=HelpText::Form(FormMsg::HelpMethodDelegated)
                        testid="switch-delegated" lang/>
                })}
                <ActionForm action=test>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button" data-testid="test-registration"
                        aria-describedby="help-test-registration">
                        {DiagMsg::TestRegistration.text(lang)}
                    </button>
                </ActionForm>
                <ActionForm action=consent>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button" data-testid="admin-consent"
                        aria-describedby="help-admin-consent">
                        {ConnectMsg::AdminConsent.text(lang)}
                    </button>
                </ActionForm>
            </div>
            {app_only.then(|| view! {
                <p class="field__help" data-testid="help-app-only">{PasswordlessMsg::NoSignInNeeded.text(lang)}</p>
            })}
            <p class="field__help" data-testid="help-scopes">{ConnectMsg::HelpScopes.text(lang)}</p>
            <p id="help-test-registration" class="field__help">{DiagMsg::TestRegistrationHelp.text(lang)}</p>
            <p id="help-admin-consent" class="field__help">{ConnectMsg::HelpAdminConsent.text(lang)}</p>
        </section>
    }
}

/// "Toch doorgaan": the sign-in without the preflight.
#[component]
fn ContinueAnyway(action: ServerAction<StartMicrosoftLogin>, id: i32, lang: Lang) -> impl IntoView {
    view! {
        <ActionForm action>
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="prompt" value=ConnectPrompt::SelectAccount.as_str()/>
            <input type="hidden" name="force" value="true"/>
            <button type="submit" class="button button--danger-outline" data-testid="continue-anyway"
                aria-describedby="help-continue-anyway">
                {DiagMsg::ContinueAnyway.text(lang)}
            </button>
            <p id="help-continue-anyway" class="field__help">{DiagMsg::ContinueAnywayHelp.text(lang)}</p>
        </ActionForm>
    }
}

/// One form posting `id` and `method` to `switch_connection_method`: the one-step switch.
#[component]
fn SwitchMethod(
    action: ServerAction<SwitchConnectionMethod>,
    id: i32,
    method: ConnectionMethod,
    label: PasswordlessMsg,
    help: HelpText,
    testid: &'static str,
    lang: Lang,
) -> impl IntoView {
    let help_id = format!("help-{testid}");
    view! {
        <ActionForm action>
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="method" value=method.as_str()/>
            <button type="submit" class="button" data-testid=testid aria-describedby=help_id.clone()>
                {label.text(lang)}
            </button>
            <p id=help_id class="field__help">{help.text(lang)}</p>
        </ActionForm>
    }
}

/// A help text from either catalogue.
#[derive(Clone, Copy)]
enum HelpText {
    Form(FormMsg),
    Passwordless(PasswordlessMsg),
}

impl HelpText {
    fn text(self, lang: Lang) -> &'static str {
        match self {
            HelpText::Form(msg) => msg.text(lang),
            HelpText::Passwordless(msg) => msg.text(lang),
        }
    }
}

/// "Verbonden als …", "Verbonden (zonder wachtwoord)" with the permission in use, or "Nog
/// niet verbonden" / "Opnieuw verbinden nodig".
#[component]
fn Status(view: ConnectionView, lang: Lang) -> impl IntoView {
    let app_only = view.method == ConnectionMethod::AppOnly;
    let permission =
        view.permission
            .clone()
            .filter(|_| app_only)
            .map(|permission| match permission {
                AppPermission::TenantWide(roles) => {
                    format!("{roles} — {}", PasswordlessMsg::ScopeTenantWide.text(lang))
                }
                AppPermission::Scoped => PasswordlessMsg::ScopedPermission.text(lang).to_string(),
            });
    let (label, class) = match (view.connected, view.reconnect_needed) {
        (true, _) if app_only => (Msg::StatusConnectedAppOnly, "status status--ok"),
        (true, _) => (Msg::StatusConnected, "status status--ok"),
        (false, true) => (Msg::StatusReconnectNeeded, "status status--bad"),
        (false, false) => (Msg::StatusNotConnected, "status status--neutral"),
    };
    let method = match view.method {
        ConnectionMethod::AppOnly => FormMsg::MethodAppOnly,
        ConnectionMethod::Delegated => FormMsg::MethodDelegated,
    };
    let (reason, reason_code) = match view.method_reason {
        MethodReason::Chosen => (PasswordlessMsg::ReasonChosen, "chosen"),
        MethodReason::AutoAppOnly => (PasswordlessMsg::ReasonAutoAppOnly, "auto_app_only"),
        MethodReason::AutoDelegated => (PasswordlessMsg::ReasonAutoDelegated, "auto_delegated"),
    };
    let account = view.signed_in_upn.clone().filter(|_| view.connected);
    let since = view.connected_at.clone().filter(|_| view.connected);
    view! {
        <p data-testid="connection-status">
            <span class=class data-testid="connection-state">{label.text(lang)}</span>
            {account.map(|upn| view! {
                " " {ConnectMsg::ConnectedAs.text(lang)} " "
                <strong data-testid="connected-account">{upn}</strong>
            })}
            {since.map(|at| view! {
                " " {ConnectMsg::ConnectedSince.text(lang)} " "
                <Time shown=shown(&at)/>
            })}
        </p>
        <p data-testid="connection-method" data-reason=reason_code>
            {FormMsg::ConnectionMethod.text(lang)} ": "
            <strong data-testid="connection-method-name">{method.text(lang)}</strong>
            " — " <span data-testid="connection-method-reason">{reason.text(lang)}</span>
        </p>
        {permission.map(|permission| view! {
            <p data-testid="permission-in-use">
                {PasswordlessMsg::PermissionInUse.text(lang)} ": " <strong>{permission}</strong>
            </p>
        })}
        {(!view.connected && !view.reconnect_needed).then(|| view! {
            <p class="muted">{ConnectMsg::NotConnected.text(lang)}</p>
        })}
    }
}

/// One form posting `id` and `prompt` to `start_microsoft_login`.
#[component]
fn StartButton(
    action: ServerAction<StartMicrosoftLogin>,
    id: i32,
    prompt: ConnectPrompt,
    label: ConnectMsg,
    testid: &'static str,
    lang: Lang,
) -> impl IntoView {
    view! {
        <ActionForm action>
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="prompt" value=prompt.as_str()/>
            <button type="submit" class="button button--primary" data-testid=testid>
                {label.text(lang)}
            </button>
        </ActionForm>
    }
}
