//! Server functions of the mail views (issue 8): a mailbox's fetched messages, one message,
//! the "Mail" section of the mailbox page with "Nu ophalen" and "Stuur testmail", and the
//! list page's mail columns. Reads need `lezer`, actions `beheerder` (`crate::access`).
//! Without JavaScript the two actions answer a form post with a 303 back to the mailbox,
//! the outcome in the query.

mod types;

use leptos::prelude::*;

pub use types::*;

/// One page (1-based; 0 reads as 1) of mailbox `mailbox_id`'s messages, newest first.
/// None when there is no such mailbox.
#[server(endpoint = "list_mail_messages")]
pub async fn list_mail_messages(
    mailbox_id: i32,
    #[server(default)] page: u32,
) -> Result<Option<MessageList>, ServerFnError> {
    crate::server::auth::require_role(crate::access::Role::Lezer)?;
    let state = crate::server::app_state()?;
    imp::list_messages(&state, mailbox_id, page)
        .await
        .map_err(|error| imp::unexpected("listing mail messages", &error))
}

/// Message `message_id` of mailbox `mailbox_id`, with its attachments. None when either
/// does not exist or the message belongs to another mailbox.
#[server(endpoint = "get_mail_message")]
pub async fn get_mail_message(
    mailbox_id: i32,
    message_id: i32,
) -> Result<Option<MessageDetail>, ServerFnError> {
    crate::server::auth::require_role(crate::access::Role::Lezer)?;
    let state = crate::server::app_state()?;
    imp::message(&state, mailbox_id, message_id)
        .await
        .map_err(|error| imp::unexpected("loading a mail message", &error))
}

/// The "Mail" section of mailbox `id`: last fetched, message count, last error.
#[server(endpoint = "get_mail_status")]
pub async fn get_mail_status(id: i32) -> Result<Option<MailStatus>, ServerFnError> {
    let actor = crate::server::auth::require_role(crate::access::Role::Lezer)?;
    let state = crate::server::app_state()?;
    let can_change = actor.role.allows(crate::access::Role::Beheerder);
    imp::status(&state, id, can_change)
        .await
        .map_err(|error| imp::unexpected("loading the mail status", &error))
}

/// The list page's columns "Laatst opgehaald", "Berichten" and "Laatste fout" of every
/// mailbox whose incoming mail comes over Graph. Read with the list's rows, once per
/// request (`server::mailboxes::list`).
#[server(endpoint = "list_mail_summaries")]
pub async fn list_mail_summaries() -> Result<Vec<MailSummaryRow>, ServerFnError> {
    crate::server::auth::require_role(crate::access::Role::Lezer)?;
    let state = crate::server::app_state()?;
    crate::server::mailboxes::mail_summaries_once(&state.db)
        .await
        .map_err(|error| imp::unexpected("loading the mail summaries", &error))
}

/// "Nu ophalen": fetches mailbox `id`'s incoming mail now.
#[server(endpoint = "fetch_mail_now")]
pub async fn fetch_mail_now(id: i32) -> Result<FetchOutcome, ServerFnError> {
    crate::server::auth::require_role(crate::access::Role::Beheerder)?;
    let state = crate::server::app_state()?;
    let outcome = imp::fetch_now(&state, id)
        .await
        .map_err(|error| imp::unexpected("fetching mail", &error))?;
    if crate::api::mailbox_form::is_plain_form_post() {
        imp::after_plain_fetch(id, &outcome);
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
    crate::server::auth::require_role(crate::access::Role::Beheerder)?;
    let state = crate::server::app_state()?;
    let lang = crate::request_lang();
    let outcome = imp::send_test(&state, id, &to, lang)
        .await
        .map_err(|error| imp::unexpected("sending a test mail", &error))?;
    if crate::api::mailbox_form::is_plain_form_post() {
        imp::after_plain_test_mail(id, &outcome);
    }
    Ok(outcome)
}

#[cfg(feature = "ssr")]
pub mod download;
#[cfg(feature = "ssr")]
pub(crate) mod imp;
