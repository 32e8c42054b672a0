//! Server functions of the mail views (issue 8): a mailbox's fetched messages, one message,
//! the "Mail" section of the mailbox page with "Nu ophalen" and "Stuur testmail", and the
//! list page's mail columns. Reads need `lezer`, actions `beheerder` (`rules::access`).
//! Without JavaScript the two actions answer a form post with a 303 back to the mailbox,
//! the outcome in the query.

use leptos::prelude::*;

use rules::mail::*;

#[cfg(feature = "ssr")]
use {
    super::request::{app_state, is_plain_form_post, require_role, see_other, unexpected},
    backend::flows::mail as flow,
    rules::access::{encode_query_value, Role},
    rules::i18n::{Lang, MailMsg},
    rules::mailbox_form::{MailboxTarget, LIST_PATH},
};

/// Logs the detail and gives the browser a generic Dutch message.
#[cfg(feature = "ssr")]
fn load_failed(what: &str, error: &dyn std::fmt::Display) -> ServerFnError {
    unexpected(what, error, MailMsg::LoadFailed.text(Lang::default()))
}

/// One page (1-based; 0 reads as 1) of mailbox `mailbox_id`'s messages, newest first.
/// None when there is no such mailbox.
#[server(endpoint = "list_mail_messages")]
pub async fn list_mail_messages(
    mailbox_id: i32,
    #[server(default)] page: u32,
) -> Result<Option<MessageList>, ServerFnError> {
    require_role(Role::Postlezer)?;
    let state = app_state()?;
    flow::list_messages(&state, mailbox_id, page)
        .await
        .map_err(|error| load_failed("listing mail messages", &error))
}

/// Message `message_id` of mailbox `mailbox_id`, with its attachments. None when either
/// does not exist or the message belongs to another mailbox.
#[server(endpoint = "get_mail_message")]
pub async fn get_mail_message(
    mailbox_id: i32,
    message_id: i32,
) -> Result<Option<MessageDetail>, ServerFnError> {
    require_role(Role::Postlezer)?;
    let state = app_state()?;
    flow::message(&state, mailbox_id, message_id)
        .await
        .map_err(|error| load_failed("loading a mail message", &error))
}

/// The "Mail" section of mailbox `id`: last fetched, message count, last error.
#[server(endpoint = "get_mail_status")]
pub async fn get_mail_status(id: i32) -> Result<Option<MailStatus>, ServerFnError> {
    let actor = require_role(Role::Lezer)?;
    let state = app_state()?;
    flow::status(&state, id, actor.role)
        .await
        .map_err(|error| load_failed("loading the mail status", &error))
}

/// The list page's columns "Laatst opgehaald", "Berichten" and "Laatste fout" of every
/// mailbox whose incoming mail comes over Graph. Read with the list's rows, once per
/// request (`backend::mailboxes::list`).
#[server(endpoint = "list_mail_summaries")]
pub async fn list_mail_summaries() -> Result<Vec<MailSummaryRow>, ServerFnError> {
    require_role(Role::Lezer)?;
    let state = app_state()?;
    super::request::with_list_once(&state, |data| data.mail.clone())
        .await
        .map_err(|error| load_failed("loading the mail summaries", &error))
}

/// "Nu ophalen": asks the scheduler to fetch mailbox `id`'s incoming mail now and answers at
/// once; the mailbox page follows the fetch (`get_mail_status`'s `progress`).
#[server(endpoint = "fetch_mail_now")]
pub async fn fetch_mail_now(id: i32) -> Result<FetchOutcome, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let outcome = flow::fetch_now(&state, id)
        .await
        .map_err(|error| load_failed("fetching mail", &error))?;
    if is_plain_form_post() {
        after_plain_fetch(id, &outcome);
    }
    Ok(outcome)
}

/// "Stuur testmail": sends a short message as mailbox `id` to `to` (empty: the mailbox's
/// own address).
#[server(endpoint = "send_test_mail")]
pub async fn send_test_mail(
    id: i32,
    #[server(default)] to: String,
) -> Result<TestMailOutcome, ServerFnError> {
    require_role(Role::Beheerder)?;
    let state = app_state()?;
    let lang = crate::request_lang();
    let outcome = flow::send_test(&state, id, &to, lang)
        .await
        .map_err(|error| load_failed("sending a test mail", &error))?;
    if is_plain_form_post() {
        after_plain_test_mail(id, &outcome);
    }
    Ok(outcome)
}

/// Without JavaScript: back to the mailbox, which follows the fetch (or shows why it could
/// not start).
#[cfg(feature = "ssr")]
fn after_plain_fetch(id: i32, outcome: &FetchOutcome) {
    let base = MailboxTarget::Existing(id).path();
    let query = match outcome {
        FetchOutcome::Requested => format!("{FETCH_PARAM}={FETCH_RUNNING}"),
        FetchOutcome::Fetched { new_messages, .. } => {
            format!("{FETCH_PARAM}=ok&{NEW_PARAM}={new_messages}")
        }
        FetchOutcome::Failed { problem } => format!("{FETCH_PARAM}=fout&{}", problem.to_query()),
        FetchOutcome::NotMicrosoft => format!("{FETCH_PARAM}=fout&{CODE_PARAM}=not_microsoft"),
        FetchOutcome::NotFound => return see_other(LIST_PATH),
    };
    see_other(&format!("{base}?{query}#mail"));
}

/// Without JavaScript: back to the mailbox with the outcome of "Stuur testmail".
#[cfg(feature = "ssr")]
fn after_plain_test_mail(id: i32, outcome: &TestMailOutcome) {
    let base = MailboxTarget::Existing(id).path();
    let query = match outcome {
        TestMailOutcome::Sent { to } => {
            format!("{TEST_MAIL_PARAM}=ok&{TO_PARAM}={}", encode_query_value(to))
        }
        TestMailOutcome::InvalidAddress { to } => format!(
            "{TEST_MAIL_PARAM}=fout&{CODE_PARAM}=invalid_address&{TO_PARAM}={}",
            encode_query_value(to)
        ),
        TestMailOutcome::Failed { problem } => {
            format!("{TEST_MAIL_PARAM}=fout&{}", problem.to_query())
        }
        TestMailOutcome::NotFound => return see_other(LIST_PATH),
    };
    see_other(&format!("{base}?{query}#mail"));
}
