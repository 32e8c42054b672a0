//! "Nu ophalen" on the mailbox page: the button asks the scheduler to fetch (a plain form,
//! answered with a 303 back here with `ophalen=bezig`); the page then shows whether the
//! fetch waits or runs and how many messages it stored so far, and reloads itself every
//! few seconds until it is done — no JavaScript needed — and then shows what it did.

use leptos::prelude::*;

use super::problem::{Action, ProblemReport};
use crate::api::mail::FetchMailNow;
use rules::i18n::{Counted, Lang, MailMsg};
use rules::mail::{
    progress_reload_url, FetchOutcome, FetchProgress, MailStatus, PROGRESS_REFRESH_SECS,
};

/// The button, and the fetch it asked for or its outcome.
#[component]
pub fn FetchForm(
    status: MailStatus,
    fetch_outcome: Option<FetchOutcome>,
    /// Reloads so far of a page following a fetch.
    reloads: u32,
    lang: Lang,
) -> impl IntoView {
    let t = move |msg: MailMsg| msg.text(lang);
    let fetch = ServerAction::<FetchMailNow>::new();
    let id = status.mailbox_id;
    let reload_to =
        (fetch_outcome == Some(FetchOutcome::Requested)).then(|| progress_reload_url(id, reloads));
    // Following the fetch this page asked for: its progress until done, then its outcome.
    // Otherwise a fetch someone else asked for (or the schedule's) is shown without
    // reloading, so nothing typed elsewhere on the page is lost.
    let (progress, outcome) = match fetch_outcome {
        Some(FetchOutcome::Requested) if status.progress.is_active() => (status.progress, None),
        Some(FetchOutcome::Requested) => (FetchProgress::Idle, status.last_outcome),
        other => (status.progress, other),
    };
    view! {
        <ActionForm action=fetch>
            <input type="hidden" name="id" value=id.to_string()/>
            <button type="submit" class="button button--primary" data-testid="fetch-now">
                {t(MailMsg::FetchNow)}
            </button>
        </ActionForm>
        <Progress progress reload_to lang/>
        {outcome.map(|outcome| view! { <Outcome outcome lang/> })}
    }
}

/// "Bezig met ophalen… 120 berichten opgehaald"; with `reload_to`, the page reloads itself
/// there while the fetch waits or runs.
#[component]
fn Progress(progress: FetchProgress, reload_to: Option<String>, lang: Lang) -> impl IntoView {
    let t = move |msg: MailMsg| msg.text(lang);
    let reload_to = reload_to.filter(|_| progress.is_active());
    let line = match progress {
        FetchProgress::Idle => None,
        FetchProgress::Waiting => Some(
            view! {
                <p class="alert alert--warn" role="status" data-testid="fetch-running"
                    data-state="waiting" data-stored="0">
                    {t(MailMsg::FetchWaiting)}
                </p>
            }
            .into_any(),
        ),
        FetchProgress::Running { started_at, stored } => Some(
            view! {
                <p class="alert alert--warn" role="status" data-testid="fetch-running"
                    data-state="running" data-stored=stored.to_string() data-started=started_at>
                    {Counted::FetchRunning.text(stored, lang)}
                </p>
            }
            .into_any(),
        ),
    };
    view! {
        {line}
        // A reload that needs no script: the browser follows it wherever the element is.
        {reload_to.map(|url| view! {
            <meta http-equiv="refresh" content=format!("{PROGRESS_REFRESH_SECS}; url={url}")/>
        })}
    }
}

/// What a fetch did, or why "Nu ophalen" could not ask for one.
#[component]
fn Outcome(outcome: FetchOutcome, lang: Lang) -> impl IntoView {
    let t = move |msg: MailMsg| msg.text(lang);
    match outcome {
        FetchOutcome::Requested => ().into_any(),
        FetchOutcome::Fetched { new_messages, .. } => view! {
            <p class="alert alert--ok" role="status" data-testid="fetch-success"
                data-new=new_messages.to_string()>
                {Counted::NewMessagesFetched.text(new_messages, lang)}
            </p>
        }
        .into_any(),
        FetchOutcome::Failed { problem } => view! {
            <ProblemReport problem title=MailMsg::FetchFailed action=Action::Fetch lang
                testid="fetch-failed"/>
        }
        .into_any(),
        FetchOutcome::NotMicrosoft => view! {
            <p class="alert alert--error" role="alert" data-testid="fetch-failed">
                {t(MailMsg::NotMicrosoftIncoming)}
            </p>
        }
        .into_any(),
        FetchOutcome::NotFound => view! {
            <p class="alert alert--error" role="alert" data-testid="fetch-failed">
                {t(MailMsg::MailboxGone)}
            </p>
        }
        .into_any(),
    }
}
