//! The last failed attempt: what happened, the advice, and Microsoft's codes and IDs that
//! support asks for (STYLE.md practice 7: show the summary, link it by an operation id).

use leptos::prelude::*;

use crate::connection::{aadsts_lookup_url, advice, AttemptProblem};
use crate::i18n::{ConnectMsg, Lang};

fn outcome_text(outcome: &str) -> ConnectMsg {
    match outcome {
        "denied" => ConnectMsg::OutcomeDenied,
        "unreachable" => ConnectMsg::OutcomeUnreachable,
        "malformed" => ConnectMsg::OutcomeMalformed,
        "wrong_account" => ConnectMsg::OutcomeWrongAccount,
        "invalid_id_token" => ConnectMsg::OutcomeInvalidIdToken,
        "expired" => ConnectMsg::OutcomeAbandoned,
        _ => ConnectMsg::OutcomeTokenFailed,
    }
}

/// The report of one failed attempt.
#[component]
pub(super) fn ProblemReport(problem: AttemptProblem, lang: Lang) -> impl IntoView {
    let advice = advice(problem.aadsts, problem.error.as_deref(), &problem.outcome);
    let title = match problem.kind.as_str() {
        "refresh" => format!(
            "{}: {}",
            ConnectMsg::LastProblem.text(lang),
            ConnectMsg::KindRefresh.text(lang)
        ),
        _ => ConnectMsg::LastProblem.text(lang).to_string(),
    };
    let rows: Vec<(ConnectMsg, String, &'static str)> = [
        (ConnectMsg::DiagError, problem.error.clone(), "diag-error"),
        (
            ConnectMsg::DiagCode,
            problem.aadsts.map(|code| format!("AADSTS{code}")),
            "diag-code",
        ),
        (
            ConnectMsg::DiagSignedInAs,
            problem.signed_in_upn.clone(),
            "diag-signed-in",
        ),
        (
            ConnectMsg::DiagDescription,
            problem.error_description.clone(),
            "diag-description",
        ),
        (
            ConnectMsg::DiagTrace,
            problem.trace_id.clone(),
            "diag-trace-id",
        ),
        (
            ConnectMsg::DiagCorrelation,
            problem.correlation_id.clone(),
            "diag-correlation-id",
        ),
        (
            ConnectMsg::DiagTimestamp,
            problem.timestamp.clone(),
            "diag-timestamp",
        ),
        (
            ConnectMsg::DiagOperation,
            Some(format!("#{} ({})", problem.attempt_id, problem.at)),
            "diag-attempt",
        ),
    ]
    .into_iter()
    .filter_map(|(label, value, testid)| value.map(|value| (label, value, testid)))
    .collect();
    view! {
        <div class="alert alert--error" role="alert" data-testid="last-problem"
            data-outcome=problem.outcome.clone()>
            <p><strong>{title}</strong>": "{outcome_text(&problem.outcome).text(lang)}</p>
            {advice.map(|advice| view! { <p data-testid="problem-advice">{advice.text(lang)}</p> })}
            <dl class="diagnostics">
                {rows.into_iter().map(|(label, value, testid)| view! {
                    <dt>{label.text(lang)}</dt>
                    <dd data-testid=testid>{value}</dd>
                }).collect_view()}
            </dl>
            {problem.aadsts.map(|code| view! {
                <p><a href=aadsts_lookup_url(code) rel="noreferrer noopener" target="_blank">
                    {ConnectMsg::MicrosoftExplains.text(lang)}
                </a></p>
            })}
        </div>
    }
}
