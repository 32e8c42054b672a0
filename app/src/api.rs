//! Server functions: the browser's only way to the data. Verb-noun names (STYLE.md §12).

pub mod connect;
pub mod mailbox_form;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::mailbox_list::MailboxRow;

/// What every page needs to know about this installation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    /// True when `MICROSOFT_LOGIN_URL`/`MICROSOFT_GRAPH_URL` point anywhere but Microsoft.
    pub talks_to_fake_microsoft: bool,
}

/// The rows of the Mailboxen list.
#[server(endpoint = "list_mailboxes")]
pub async fn list_mailboxes() -> Result<Vec<MailboxRow>, ServerFnError> {
    let state = crate::server::app_state()?;
    crate::server::mailboxes::list_rows(&state.db)
        .await
        .map_err(|error| {
            tracing::error!(%error, "listing mailboxes failed");
            ServerFnError::ServerError("database unavailable".to_string())
        })
}

/// Installation facts for the page shell.
#[server(endpoint = "get_site_info")]
pub async fn get_site_info() -> Result<SiteInfo, ServerFnError> {
    let state = crate::server::app_state()?;
    Ok(SiteInfo {
        talks_to_fake_microsoft: state.microsoft.is_fake(),
    })
}
