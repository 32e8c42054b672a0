//! "Overstappen naar Microsoft Api" (issue 23): an IMAP/SMTP mailbox on a password at
//! Microsoft 365 becomes a Microsoft Api mailbox. The page's form post is answered with a
//! 303 back to the mailbox page, which then shows the Azure section to complete.

use leptos::prelude::*;

use rules::basic_auth::SwitchOutcome;

#[cfg(feature = "ssr")]
use {
    super::request::{app_state, is_plain_form_post, require_role, see_other, unexpected},
    rules::access::Role,
    rules::basic_auth::SWITCHED_PARAM,
    rules::i18n::{BasicAuthMsg, Lang},
    rules::mailbox_form::MailboxTarget,
};

/// Switches mailbox `id` to Microsoft Api, keeping its history, mail and audit log; audited.
#[server(endpoint = "switch_to_microsoft_api")]
pub async fn switch_to_microsoft_api(id: i32) -> Result<SwitchOutcome, ServerFnError> {
    let actor = require_role(Role::Beheerder)?;
    let state = app_state()?;
    let outcome = backend::flows::basic_auth::switch_to_microsoft_api(&state, &actor, id)
        .await
        .map_err(|error| {
            let message = BasicAuthMsg::SwitchFailed.text(Lang::default());
            unexpected("switching to Microsoft Api", &error, message)
        })?;
    if is_plain_form_post() {
        let path = MailboxTarget::Existing(id).path();
        match outcome {
            SwitchOutcome::Switched { prefilled } => {
                let value = if prefilled { 2 } else { 1 };
                see_other(&format!("{path}?{SWITCHED_PARAM}={value}"));
            }
            SwitchOutcome::NotApplicable | SwitchOutcome::NotFound => {
                see_other(&format!("{path}?{SWITCHED_PARAM}=0"));
            }
        }
    }
    Ok(outcome)
}
