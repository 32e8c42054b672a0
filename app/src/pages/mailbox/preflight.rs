//! The result of "Test app-registratie": one row per check, ✓ or ✗ (in words too, never
//! colour alone), with the advice for a failure.

use leptos::prelude::*;

use super::diagnostics::AdviceText;
use crate::components::{shown, Time};
use rules::advice::aadsts_lookup_url;
use rules::i18n::{ConnectMsg, DiagMsg, Lang};
use rules::preflight::{Check, CheckResult, PreflightReport, Verdict};

fn check_label(check: Check) -> DiagMsg {
    match check {
        Check::Tenant => DiagMsg::CheckTenant,
        Check::Credentials => DiagMsg::CheckCredentials,
        Check::Mailbox => DiagMsg::CheckMailbox,
        Check::RedirectUri => DiagMsg::CheckRedirectUri,
        Check::Imap => DiagMsg::CheckImap,
        Check::Smtp => DiagMsg::CheckSmtp,
    }
}

fn check_name(check: Check) -> &'static str {
    match check {
        Check::Tenant => "tenant",
        Check::Credentials => "credentials",
        Check::Mailbox => "mailbox",
        Check::RedirectUri => "redirect_uri",
        Check::Imap => "imap",
        Check::Smtp => "smtp",
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
                    <span data-testid="preflight-running-check">{check_label(check).text(lang)}</span>
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
fn CheckRow(result: CheckResult, lang: Lang) -> impl IntoView {
    let (mark, verdict, class) = match result.verdict {
        Verdict::Passed => ("✓", DiagMsg::Passed, "check check--ok"),
        Verdict::Failed => ("✗", DiagMsg::Failed, "check check--bad"),
        Verdict::Skipped => ("–", DiagMsg::Skipped, "check check--skipped"),
    };
    let failed = result.verdict == Verdict::Failed;
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
            <strong>{check_label(result.check).text(lang)}</strong>
            ": " <span class="check__verdict">{verdict.text(lang)}</span>
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
