//! The latest outcome, prominent: what happened, the advice and the manual's step, and the
//! codes and IDs support asks for, with "Kopieer technische details". The page shows the
//! summary; the attempt's IDs in the copied details are what support looks up.

use leptos::prelude::*;

use crate::components::browser::copy_to_clipboard;
use crate::components::shown;
use rules::advice::{aadsts_lookup_url, Advice};
use rules::connection::{AttemptProblem, NOT_RETURNED_YET};
use rules::diagnostics::{detail_rows, outcome_text, support_text};
use rules::i18n::{ConnectMsg, DiagMsg, Lang};

/// The advice, the manual's step, or Microsoft's own words when there is no advice.
#[component]
pub(super) fn AdviceText(
    advice: Option<Advice>,
    description: Option<String>,
    lang: Lang,
    testid: &'static str,
) -> impl IntoView {
    match advice {
        Some(advice) => view! {
            <p class="advice" data-testid=testid data-advice=format!("{advice:?}")>
                {advice.text(lang)}
                {advice.step().map(|step| view! {
                    " " <span class="advice__step" data-testid="advice-step">"(" {step.text(lang)} ")"</span>
                })}
            </p>
        }
        .into_any(),
        None => description
            .map(|description| view! {
                <p class="advice" data-testid=testid>
                    {DiagMsg::MicrosoftSays.text(lang)} " " {description}
                </p>
            })
            .into_any(),
    }
}

/// The report of the latest failed attempt. `context` adds the mailbox's own facts
/// (address, IDs, redirect URI) to the text for support.
#[component]
pub(super) fn ProblemReport(
    problem: AttemptProblem,
    context: Vec<(&'static str, String)>,
    lang: Lang,
) -> impl IntoView {
    let title = if problem.not_returned() {
        DiagMsg::NotReturnedTitle.text(lang).to_string()
    } else {
        format!(
            "{}: {}",
            DiagMsg::LatestOutcome.text(lang),
            outcome_text(&problem.outcome, lang)
        )
    };
    // The exact time, not "3 minuten geleden": it is copied and read later.
    let when = shown(&problem.at).exact;
    let support = support_text(&problem, &when, &context, lang);
    let operation = format!("#{} ({when})", problem.attempt_id);
    let rows = detail_rows(&problem, Some(operation));
    view! {
        <div class="alert alert--error problem" role="alert" data-testid="last-problem"
            data-outcome=problem.outcome.clone() data-kind=problem.kind.clone()>
            <p class="problem__title" data-testid="problem-title"><strong>{title}</strong></p>
            {(problem.outcome == NOT_RETURNED_YET).then(|| view! {
                <p class="muted">{DiagMsg::NotReturnedYet.text(lang)}</p>
            })}
            <AdviceText advice=problem.advice description=problem.error_description.clone()
                lang testid="problem-advice"/>
            <dl class="diagnostics">
                {rows.into_iter().map(|row| view! {
                    <dt>{row.label.text(lang)}</dt>
                    <dd data-testid=row.testid>{row.value}</dd>
                }).collect_view()}
            </dl>
            {problem.aadsts.map(|code| view! {
                <p><a href=aadsts_lookup_url(code) rel="noreferrer noopener" target="_blank"
                    data-testid="aadsts-link">
                    {ConnectMsg::MicrosoftExplains.text(lang)} " (AADSTS" {code} ")"
                </a></p>
            })}
            <CopyDetails text=support label=DiagMsg::CopyDetails.text(lang).to_string()
                copied_text=DiagMsg::Copied.text(lang).to_string()
                summary=DiagMsg::DetailsSummary.text(lang).to_string()/>
        </div>
    }
}

/// "Kopieer technische details", and the same text readable without JavaScript. An island
/// (the button needs the browser's clipboard), worded on the server.
#[island]
fn CopyDetails(text: String, label: String, copied_text: String, summary: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = {
        let text = text.clone();
        move |_| {
            copy_to_clipboard(&text);
            copied.set(true);
        }
    };
    view! {
        <div class="copy-details">
            <button type="button" class="button" data-testid="copy-details" on:click=copy>
                {label}
            </button>
            <span role="status" class="muted">
                {move || copied.get().then(|| copied_text.clone())}
            </span>
            <details>
                <summary>{summary}</summary>
                <pre data-testid="support-text">{text}</pre>
            </details>
        </div>
    }
}
