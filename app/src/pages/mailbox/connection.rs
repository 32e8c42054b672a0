//! "Verbinding met Microsoft" on the mailbox page: the status, the last failed attempt with
//! Microsoft's codes and advice, and the buttons that send the browser to Microsoft. Each
//! button is its own form: without JavaScript the post is answered with a 303 to
//! Microsoft; once hydrated the server function returns the URL and the page goes there.

use leptos::prelude::*;

use super::diagnostics::ProblemReport;
use super::preflight::PreflightPanel;
use crate::api::connect::{GrantAdminConsent, StartMicrosoftLogin, TestAppRegistration};
use crate::connection::{ConnectPrompt, ConnectionView, StartOutcome, TestOutcome};
use crate::diagnostics::problem_of_report;
use crate::i18n::{ConnectMsg, DiagMsg, Lang, Msg};
use crate::preflight::PreflightReport;

/// The section, for a saved Microsoft Api mailbox. `context` names the mailbox's address
/// and IDs for the text support gets; `attempts_changed` is bumped whenever a new attempt
/// was stored, so the history reloads.
#[component]
pub(super) fn ConnectionSection(
    id: i32,
    view: ConnectionView,
    context: Vec<(&'static str, String)>,
    attempts_changed: RwSignal<u32>,
    lang: Lang,
) -> impl IntoView {
    let sign_in = ServerAction::<StartMicrosoftLogin>::new();
    let consent = ServerAction::<GrantAdminConsent>::new();
    let test = ServerAction::<TestAppRegistration>::new();
    let failed = RwSignal::new(None::<ConnectMsg>);
    // The latest preflight: as loaded, then as the buttons above run it again. `stopped`
    // when it kept the admin from going to Microsoft (a failed one loaded with the page
    // was the latest attempt, so it did too).
    let latest_is_preflight = view
        .last_problem
        .as_ref()
        .is_some_and(|p| p.kind == "preflight");
    let preflight = RwSignal::new(
        view.preflight
            .clone()
            .map(|report| (report, latest_is_preflight, latest_is_preflight)),
    );
    let show_preflight = move |report: PreflightReport, stopped: bool| {
        preflight.set(Some((report, stopped, true)));
        failed.set(None);
        attempts_changed.update(|n| *n += 1);
    };
    Effect::new(move |_| {
        let outcome = sign_in.value().get().or_else(|| consent.value().get());
        match outcome {
            Some(Ok(StartOutcome::Redirect { url })) => go_to(&url),
            Some(Ok(StartOutcome::PreflightFailed { report })) => show_preflight(report, true),
            Some(Ok(StartOutcome::NotConfigured)) => failed.set(Some(ConnectMsg::NotConfigured)),
            Some(Ok(StartOutcome::NotFound)) | Some(Err(_)) => {
                failed.set(Some(ConnectMsg::StartFailed))
            }
            None => {}
        }
    });
    Effect::new(move |_| match test.value().get() {
        Some(Ok(TestOutcome::Tested { report })) => show_preflight(report, false),
        Some(Ok(TestOutcome::NotConfigured)) => failed.set(Some(ConnectMsg::NotConfigured)),
        Some(Ok(TestOutcome::NotFound)) | Some(Err(_)) => failed.set(Some(ConnectMsg::StartFailed)),
        None => {}
    });
    let pending = move || sign_in.pending().get() || consent.pending().get();
    // A failed preflight has its own panel; other failures get the report.
    let problem = view.last_problem.clone().filter(|p| p.kind != "preflight");
    let problem_context = context.clone();
    view! {
        <section class="form-section connection" aria-labelledby="connection-title"
            data-testid="section-connection">
            <h2 id="connection-title">{ConnectMsg::Section.text(lang)}</h2>
            <Status view=view.clone() lang/>
            {problem.map(|problem| view! { <ProblemReport problem context=problem_context lang/> })}
            {move || preflight.get().map(|(report, stopped, latest)| {
                let failure = problem_of_report(&report).filter(|_| latest);
                let passed = report.passed();
                view! {
                    {failure.map(|problem| view! {
                        <ProblemReport problem context=context.clone() lang/>
                    })}
                    <PreflightPanel report stopped lang/>
                    {(!passed).then(|| view! {
                        <ContinueAnyway action=sign_in id lang/>
                    })}
                }
            })}
            {move || failed.get().map(|msg| view! {
                <p class="alert alert--error" role="alert" data-testid="connect-start-failed">{msg.text(lang)}</p>
            })}
            {move || pending().then(|| view! {
                <p class="muted" role="status">{ConnectMsg::Starting.text(lang)}</p>
            })}
            {move || test.pending().get().then(|| view! {
                <p class="muted" role="status" data-testid="preflight-running">{DiagMsg::Testing.text(lang)}</p>
            })}
            <div class="form-actions connection__actions">
                <StartButton action=sign_in id prompt=ConnectPrompt::SelectAccount
                    label=if view.connected { ConnectMsg::SelectAccountAgain } else { ConnectMsg::Connect }
                    testid=if view.connected { "connect-select-account" } else { "connect" } lang/>
                {view.connected.then(|| view! {
                    <StartButton action=sign_in id prompt=ConnectPrompt::Login
                        label=ConnectMsg::ForceReconnect testid="connect-force" lang/>
                })}
                <ActionForm action=test>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button" data-testid="test-registration"
                        aria-describedby="help-test-registration" disabled=move || test.pending().get()>
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

/// "Verbonden als …" or "Nog niet verbonden" / "Opnieuw verbinden nodig".
#[component]
fn Status(view: ConnectionView, lang: Lang) -> impl IntoView {
    let (label, class) = match (view.connected, view.reconnect_needed) {
        (true, _) => (Msg::StatusConnected, "status status--ok"),
        (false, true) => (Msg::StatusReconnectNeeded, "status status--bad"),
        (false, false) => (Msg::StatusNotConnected, "status status--neutral"),
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
                <time datetime=at.clone()>{at.get(..16).unwrap_or_default().replace('T', " ")}</time>
            })}
        </p>
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

/// Leaves the app for Microsoft (a full navigation, not the router's).
pub(super) fn go_to(url: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        // Only fails for an unparsable URL, which the server never sends.
        let _ = window.location().set_href(url);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
}
