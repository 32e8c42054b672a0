//! The result of "Test app-registratie": one row per check, ✓ or ✗ (in words too, never
//! colour alone), with the advice for a failure.

use leptos::prelude::*;

use super::diagnostics::AdviceText;
use crate::components::{shown, Time};
use rules::advice::aadsts_lookup_url;
use rules::i18n::{ConnectMsg, DiagMsg, FormMsg, Lang, PasswordlessMsg, SetupMsg};
use rules::passwordless::{least_permissions, ConnectionMethod};
use rules::preflight::{Check, CheckResult, PreflightReport, Verdict};

fn check_label(check: Check, lang: Lang) -> &'static str {
    match check {
        Check::Tenant => DiagMsg::CheckTenant.text(lang),
        Check::Credentials => DiagMsg::CheckCredentials.text(lang),
        Check::Mailbox => DiagMsg::CheckMailbox.text(lang),
        Check::RedirectUri => DiagMsg::CheckRedirectUri.text(lang),
        Check::Scope => PasswordlessMsg::CheckScope.text(lang),
        Check::Imap => DiagMsg::CheckImap.text(lang),
        Check::Smtp => DiagMsg::CheckSmtp.text(lang),
        Check::App => SetupMsg::CheckApp.text(lang),
        Check::Consent => SetupMsg::CheckConsent.text(lang),
    }
}

fn check_name(check: Check) -> &'static str {
    match check {
        Check::Tenant => "tenant",
        Check::Credentials => "credentials",
        Check::Mailbox => "mailbox",
        Check::RedirectUri => "redirect_uri",
        Check::Scope => "scope",
        Check::Imap => "imap",
        Check::Smtp => "smtp",
        Check::App => "app",
        Check::Consent => "consent",
    }
}

/// The report; `stopped` when it just kept the browser from going to Microsoft.
#[component]
pub(super) fn PreflightPanel(report: PreflightReport, stopped: bool, lang: Lang) -> impl IntoView {
    let passed = report.passed();
    let (class, summary) = if passed {
        ("preflight preflight--ok", DiagMsg::PreflightPassed)
    } else {
        ("preflight preflight--bad", DiagMsg::PreflightFailed)
    };
    view! {
        <div class=class data-testid="preflight" data-passed=passed.to_string()>
            <h3>{DiagMsg::PreflightTitle.text(lang)} " "
                <span class="muted"><Time shown=shown(&report.at)/></span>
            </h3>
            <p data-testid="preflight-summary"><strong>{summary.text(lang)}</strong></p>
            {(stopped && !passed).then(|| view! {
                <p data-testid="preflight-stopped">{DiagMsg::PreflightStopped.text(lang)}</p>
            })}
            <ol class="checks">
                {report.results.into_iter().map(|result| view! { <CheckRow result lang/> }).collect_view()}
            </ol>
        </div>
    }
}

/// A test under way: which check runs now, the ones done, and a reload every second until
/// the report is complete (no JavaScript needed).
#[component]
pub(super) fn PreflightRunning(
    report: PreflightReport,
    reload_to: String,
    lang: Lang,
) -> impl IntoView {
    let check = report.running_check();
    let number = (report.results.len() + 1).to_string();
    view! {
        <div class="preflight" data-testid="preflight-running"
            data-check=check.map(check_name)>
            <h3>{DiagMsg::PreflightTitle.text(lang)}</h3>
            <p role="status">
                <strong>{DiagMsg::PreflightRunning.text(lang)}</strong>
                {check.map(|check| view! {
                    " " {DiagMsg::CheckOf.text(lang).replace("{n}", &number)} " "
                    <span data-testid="preflight-running-check">{check_label(check, lang)}</span>
                })}
            </p>
            <ol class="checks">
                {report.results.into_iter().map(|result| view! { <CheckRow result lang/> }).collect_view()}
            </ol>
            <meta http-equiv="refresh" content=format!("1; url={reload_to}")/>
        </div>
    }
}

#[component]
pub(crate) fn CheckRow(result: CheckResult, lang: Lang) -> impl IntoView {
    let scope = result.check == Check::Scope;
    let (mark, verdict, class) = match result.verdict {
        Verdict::Passed if scope => (
            "✓",
            PasswordlessMsg::ScopeLimited.text(lang),
            "check check--ok",
        ),
        Verdict::Passed => ("✓", DiagMsg::Passed.text(lang), "check check--ok"),
        Verdict::Failed if scope => (
            "✗",
            PasswordlessMsg::ScopeOutside.text(lang),
            "check check--bad",
        ),
        Verdict::Failed => ("✗", DiagMsg::Failed.text(lang), "check check--bad"),
        Verdict::Skipped => ("–", DiagMsg::Skipped.text(lang), "check check--skipped"),
        Verdict::Warning => (
            "!",
            PasswordlessMsg::ScopeTenantWide.text(lang),
            "check check--warning",
        ),
    };
    let failed = matches!(result.verdict, Verdict::Failed | Verdict::Warning);
    let script_title = match result.verdict {
        Verdict::Warning => PasswordlessMsg::ScopeScriptTitle.text(lang),
        _ => PasswordlessMsg::AddToScopeTitle.text(lang),
    };
    let ids = [
        (ConnectMsg::DiagTrace, result.trace_id.clone()),
        (ConnectMsg::DiagCorrelation, result.correlation_id.clone()),
        (ConnectMsg::DiagTimestamp, result.timestamp.clone()),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|value| (label, value)))
    .collect::<Vec<_>>();
    view! {
        <li class=class data-testid=format!("check-{}", check_name(result.check))
            data-verdict=format!("{:?}", result.verdict).to_lowercase()>
            <span class="check__mark" aria-hidden="true">{mark}</span>
            <strong>{check_label(result.check, lang)}</strong>
            ": " <span class="check__verdict">{verdict}</span>
            {result.detail.clone().map(|detail| view! {
                " — " <code data-testid="check-detail">{detail}</code>
            })}
            {(result.verdict == Verdict::Skipped).then(|| view! {
                <p class="muted">{DiagMsg::SkippedBecause.text(lang)}</p>
            })}
            {failed.then(|| view! {
                <AdviceText advice=result.advice description=result.description.clone()
                    lang testid="check-advice"/>
            })}
            {result.script.clone().map(|script| view! {
                <p><strong>{script_title}</strong></p>
                <pre class="script" data-testid="scope-script"><code>{script}</code></pre>
            })}
            {scope.then(|| view! { <LeastPermissions lang/> })}
            {(result.check == Check::RedirectUri).then(|| view! {
                <p class="field__help">{DiagMsg::RedirectUriReminder.text(lang)}</p>
            })}
            {(failed && !ids.is_empty()).then(|| view! {
                <dl class="diagnostics">
                    {ids.into_iter().map(|(label, value)| view! {
                        <dt>{label.text(lang)}</dt><dd>{value}</dd>
                    }).collect_view()}
                </dl>
            })}
            {result.aadsts.filter(|_| failed).map(|code| view! {
                <p><a href=aadsts_lookup_url(code) rel="noreferrer noopener" target="_blank">
                    {ConnectMsg::MicrosoftExplains.text(lang)} " (AADSTS" {code} ")"
                </a></p>
            })}
        </li>
    }
}

/// The manual's five application permissions and which each method needs (issue 18), with
/// "Zet email als gelezen op server" on (its common setting).
#[component]
fn LeastPermissions(lang: Lang) -> impl IntoView {
    let methods = [
        (ConnectionMethod::AppOnly, FormMsg::MethodAppOnly),
        (ConnectionMethod::Delegated, FormMsg::MethodDelegated),
    ];
    view! {
        <details class="least-permissions" data-testid="least-permissions">
            <summary>{PasswordlessMsg::LeastPermissionsTitle.text(lang)}</summary>
            {methods.into_iter().map(|(method, name)| view! {
                <p><strong>{name.text(lang)}</strong></p>
                <ul>
                    {least_permissions(method, true).into_iter().map(|need| {
                        let verdict = if need.needed {
                            PasswordlessMsg::Needed
                        } else {
                            PasswordlessMsg::NotNeeded
                        };
                        view! {
                            <li><code>{need.permission}</code> " — " {verdict.text(lang)} ": "
                                {lang.pick(need.why)}</li>
                        }
                    }).collect_view()}
                </ul>
            }).collect_view()}
        </details>
    }
}
