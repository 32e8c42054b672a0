//! The server side of the connect server functions.

use chrono::Utc;
use leptos::prelude::*;

use crate::connection::{ConnectPrompt, StartOutcome};
use crate::i18n::{ConnectMsg, Lang};
use crate::mailbox_form::MailboxTarget;
use crate::server::connect::{start_admin_consent, start_connection, StartError};
use crate::server::AppState;

/// What to start.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Start {
    SignIn(ConnectPrompt),
    AdminConsent,
}

pub(super) async fn start(
    state: &AppState,
    id: i32,
    what: Start,
    started_by_user_id: Option<i32>,
) -> Result<StartOutcome, ServerFnError> {
    let now = Utc::now();
    let result = match what {
        Start::SignIn(prompt) => start_connection(state, id, prompt, started_by_user_id, now).await,
        Start::AdminConsent => start_admin_consent(state, id, started_by_user_id, now).await,
    };
    let outcome = match result {
        Ok(url) => StartOutcome::Redirect { url },
        Err(StartError::NotFound) => StartOutcome::NotFound,
        Err(StartError::NotConfigured) => StartOutcome::NotConfigured,
        Err(error) => {
            tracing::error!(mailbox_id = id, %error, "starting the Microsoft sign-in failed");
            let message = ConnectMsg::StartFailed.text(Lang::default());
            return Err(ServerFnError::ServerError(message.to_string()));
        }
    };
    if crate::api::mailbox_form::is_plain_form_post() {
        match &outcome {
            StartOutcome::Redirect { url } => see_other(url),
            StartOutcome::NotConfigured | StartOutcome::NotFound => {
                see_other(&MailboxTarget::Existing(id).path())
            }
        }
    }
    Ok(outcome)
}

/// Answers a plain form post with `303 See Other` to `location`.
pub(crate) fn see_other(location: &str) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(location) {
        response.set_status(http::StatusCode::SEE_OTHER);
        response.insert_header(http::header::LOCATION, value);
    }
}
