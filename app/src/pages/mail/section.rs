//! The "Mail" section of the mailbox page: last fetched, message count and last error, the
//! messages fetching skipped, a link to the messages, "Nu ophalen" (`fetch`) and
//! "Stuur testmail". Each action is its own
//! plain form: the post is answered with a 303 back here, the outcome in the query.
//! Server-rendered only.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::fetch::FetchForm;
use super::problem::{Action, ProblemReport};
use crate::api::mail::{get_mail_status, SendTestMail};
use crate::components::{shown, Time};
use rules::i18n::{Lang, MailMsg};
use rules::mail::{
    fetch_outcome_from_query, messages_path, quarantine_reason, test_mail_outcome_from_query,
    FetchOutcome, MailStatus, QuarantineView, TestMailOutcome, RELOAD_PARAM,
};
use rules::time::Shown;

/// The status for the mailbox page's `segment`; None for a new mailbox.
pub async fn load_status(segment: String) -> Result<Option<MailStatus>, ServerFnError> {
    match super::mailbox_id(Some(segment)) {
        Some(id) => get_mail_status(id).await,
        None => Ok(None),
    }
}

/// The section, for a mailbox whose mail goes through Microsoft Api.
#[component]
pub fn MailSection(status: Resource<Result<Option<MailStatus>, ServerFnError>>) -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    // After a post, the outcome is in the query.
    let (fetch_outcome, test_outcome, reloads) = use_query_map().with_untracked(|q| {
        let get = |name: &str| q.get(name);
        (
            fetch_outcome_from_query(get),
            test_mail_outcome_from_query(get),
            get(RELOAD_PARAM)
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(0),
        )
    });
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (fetch_outcome, test_outcome) = (fetch_outcome.clone(), test_outcome.clone());
                Suspend::new(async move {
                    match status.await {
                        Ok(Some(status)) if status.incoming_microsoft || status.outgoing_microsoft => view! {
                            <SectionBody status fetch_outcome test_outcome reloads lang/>
                        }.into_any(),
                        _ => ().into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
fn SectionBody(
    status: MailStatus,
    fetch_outcome: Option<FetchOutcome>,
    test_outcome: Option<TestMailOutcome>,
    reloads: u32,
    lang: Lang,
) -> impl IntoView {
    let t = move |msg: MailMsg| msg.text(lang);
    let id = status.mailbox_id;
    view! {
        <section class="form-section mail" id="mail" aria-labelledby="mail-title" data-testid="section-mail">
            <h2 id="mail-title">{t(MailMsg::Section)}</h2>
            <Facts status=status.clone() lang/>
            <Skipped quarantine=status.quarantine.clone() lang/>
            {status.can_read_mail.then(|| view! {
                <p>
                    <a href=messages_path(id) data-testid="messages-link">{t(MailMsg::ViewMessages)}</a>
                </p>
            })}
            {(status.can_change && status.incoming_microsoft).then(|| view! {
                <FetchForm status=status.clone() fetch_outcome reloads lang/>
            })}
            {(status.can_change && status.outgoing_microsoft).then(|| view! {
                <TestMailForm id email=status.email.clone() test_outcome lang/>
            })}
        </section>
    }
    .into_any()
}

/// Laatst opgehaald, Berichten, Laatste fout.
#[component]
fn Facts(status: MailStatus, lang: Lang) -> impl IntoView {
    let t = move |msg: MailMsg| msg.text(lang);
    let fetched = status
        .last_fetched_at
        .as_deref()
        .map_or_else(|| Shown::plain(t(MailMsg::NeverFetched)), shown);
    let error = status
        .last_error
        .clone()
        .unwrap_or_else(|| t(MailMsg::NoError).to_string());
    let error_class = if status.failing {
        "status status--bad"
    } else {
        ""
    };
    view! {
        <dl class="diagnostics" data-testid="mail-facts">
            <dt>{t(MailMsg::ColLastFetched)}</dt>
            <dd data-testid="mail-last-fetched"><Time shown=fetched/></dd>
            <dt>{t(MailMsg::ColMessages)}</dt>
            <dd data-testid="mail-message-count">{status.message_count}</dd>
            <dt>{t(MailMsg::ColLastError)}</dt>
            <dd data-testid="mail-last-error" class=error_class>
                {error}
            </dd>
            <dt>{t(MailMsg::Quarantined)}</dt>
            <dd data-testid="mail-quarantine-count">{status.quarantine.count}</dd>
        </dl>
    }
}

/// The messages fetching skipped, the last seen first: subject, why, when, how often.
#[component]
fn Skipped(quarantine: QuarantineView, lang: Lang) -> impl IntoView {
    let t = move |msg: MailMsg| msg.text(lang);
    let QuarantineView { count, latest } = quarantine;
    if latest.is_empty() {
        return ().into_any();
    }
    let earlier = count.saturating_sub(u64::try_from(latest.len()).unwrap_or(u64::MAX));
    view! {
        <div class="quarantine" data-testid="mail-quarantine">
            <h3>{t(MailMsg::Quarantined)}</h3>
            <p class="field__help">{t(MailMsg::QuarantineHelp)}</p>
            <ul>
                {latest.into_iter().map(|row| {
                    let subject = row.subject.unwrap_or_else(|| t(MailMsg::NoSubject).to_string());
                    let seen = t(MailMsg::QuarantineSeen).replace("{count}", &row.seen_count.to_string());
                    view! {
                        <li data-testid="mail-quarantined" data-reason=row.reason.clone()>
                            <strong>{subject}</strong> ": " {t(quarantine_reason(&row.reason))}
                            " — " <Time shown=shown(&row.last_seen_at)/> " (" {seen} ")"
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(earlier > 0).then(|| view! {
                <p>{t(MailMsg::QuarantineMore).replace("{count}", &earlier.to_string())}</p>
            })}
        </div>
    }
    .into_any()
}

/// "Stuur testmail" with the recipient (the mailbox's own address unless changed).
#[component]
fn TestMailForm(
    id: i32,
    email: String,
    test_outcome: Option<TestMailOutcome>,
    lang: Lang,
) -> impl IntoView {
    let t = move |msg: MailMsg| msg.text(lang);
    let test = ServerAction::<SendTestMail>::new();
    view! {
        <ActionForm action=test>
            <input type="hidden" name="id" value=id.to_string()/>
            <div class="field">
                <label for="testmail-aan">{t(MailMsg::TestMailTo)}</label>
                <input id="testmail-aan" name="to" type="email" value=email autocomplete="email"
                    aria-describedby="help-testmail" data-testid="test-mail-to"/>
                <p id="help-testmail" class="field__help">{t(MailMsg::TestMailHelp)}</p>
            </div>
            <button type="submit" class="button" data-testid="send-test-mail">
                {t(MailMsg::SendTestMail)}
            </button>
        </ActionForm>
        {test_outcome.map(|outcome| match outcome {
            TestMailOutcome::Sent { to } => view! {
                <p class="alert alert--ok" role="status" data-testid="test-mail-success">
                    {t(MailMsg::TestMailSent).replace("{to}", &to)}
                </p>
            }.into_any(),
            TestMailOutcome::InvalidAddress { to } => view! {
                <p class="alert alert--error" role="alert" data-testid="test-mail-failed"
                    data-code="invalid_address">
                    {t(MailMsg::InvalidAddress)} " " <code>{to}</code>
                </p>
            }.into_any(),
            TestMailOutcome::Failed { problem } => view! {
                <ProblemReport problem title=MailMsg::TestMailFailed action=Action::Send lang
                    testid="test-mail-failed"/>
            }.into_any(),
            TestMailOutcome::NotFound => view! {
                <p class="alert alert--error" role="alert" data-testid="test-mail-failed">
                    {t(MailMsg::MailboxGone)}
                </p>
            }.into_any(),
        })}
    }
}
