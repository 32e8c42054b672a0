//! A failed fetch or send: what happened, the advice (with the manual's step), Microsoft's
//! own words, and the codes and IDs support asks for.

use leptos::prelude::*;

use rules::i18n::{DiagMsg, Lang, MailMsg};
use rules::mail::MailProblem;

/// Where a problem came from; some of this app's own codes read differently per action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Action {
    Fetch,
    Send,
}

/// This app's own explanation of its own codes.
fn own_text(code: &str, action: Action) -> Option<MailMsg> {
    Some(match (code, action) {
        ("attachment_too_large", _) => MailMsg::AttachmentTooLarge,
        ("413" | "RequestEntityTooLarge" | "ErrorMessageSizeExceeded", _) => {
            MailMsg::MessageTooLarge
        }
        ("not_configured", _) => MailMsg::NotConfigured,
        ("secret_unreadable" | "secret_unusable", _) => MailMsg::SecretUnreadable,
        ("busy" | "lease_lost" | "refresh_busy", _) => MailMsg::SyncBusy,
        ("not_syncable" | "not_connected" | "reconnect_needed", _) => MailMsg::NotSyncable,
        ("not_microsoft", _) => MailMsg::NotMicrosoftIncoming,
        ("invalid_address" | "no_recipients", _) => MailMsg::InvalidAddress,
        ("timeout", Action::Send) => MailMsg::SendNoAnswer,
        ("database" | "storage" | "request_failed", _) => MailMsg::LoadFailed,
        _ => return None,
    })
}

#[component]
pub(super) fn ProblemReport(
    problem: MailProblem,
    title: MailMsg,
    action: Action,
    lang: Lang,
    testid: &'static str,
) -> impl IntoView {
    let own = own_text(&problem.code, action);
    let advice = problem.advice;
    let description = problem.description.clone();
    let rows: Vec<(MailMsg, String)> = [
        (MailMsg::DiagCode, Some(problem.code.clone())),
        (MailMsg::DiagStatus, problem.status.map(|s| s.to_string())),
        (MailMsg::DiagDescription, problem.description.clone()),
        (
            MailMsg::DiagRetryAfter,
            problem.retry_after_seconds.map(|s| format!("{s} s")),
        ),
        (MailMsg::DiagRequestId, problem.request_id.clone()),
        (MailMsg::DiagDate, problem.date.clone()),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|value| (label, value)))
    .collect();
    view! {
        <div class="alert alert--error problem" role="alert" data-testid=testid
            data-code=problem.code.clone()>
            <p class="problem__title"><strong>{title.text(lang)}</strong></p>
            {own.map(|msg| view! { <p data-testid="mail-problem-own">{msg.text(lang)}</p> })}
            {match advice {
                Some(advice) => Some(view! {
                    <p class="advice" data-testid="mail-problem-advice" data-advice=format!("{advice:?}")>
                        {advice.text(lang)}
                        {advice.step().map(|step| view! {
                            " " <span class="advice__step">"(" {step.text(lang)} ")"</span>
                        })}
                    </p>
                }.into_any()),
                None if own.is_none() => description.map(|description| view! {
                    <p class="advice" data-testid="mail-problem-advice">
                        {DiagMsg::MicrosoftSays.text(lang)} " " {description}
                    </p>
                }.into_any()),
                None => None,
            }}
            <dl class="diagnostics">
                {rows.into_iter().map(|(label, value)| view! {
                    <dt>{label.text(lang)}</dt><dd>{value}</dd>
                }).collect_view()}
            </dl>
        </div>
    }
}
