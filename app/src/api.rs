//! Server functions: the browser's only way to the data. Verb-noun names (STYLE.md §12).

pub mod connect;
pub mod mail;
pub mod mailbox_form;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::access::SessionUser;
use crate::audit_log::AuditEntry;
use crate::mailbox_list::MailboxRow;

/// What every page needs to know about this installation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    /// True when `MICROSOFT_LOGIN_URL`/`MICROSOFT_GRAPH_URL` point anywhere but Microsoft.
    pub talks_to_fake_microsoft: bool,
    /// Active mailboxes whose connection needs an admin (Opnieuw verbinden nodig, Fout):
    /// the menu marks Mailboxen when there are any.
    pub mailboxes_needing_attention: u32,
}

/// The rows of the Mailboxen list.
#[server(endpoint = "list_mailboxes")]
pub async fn list_mailboxes() -> Result<Vec<MailboxRow>, ServerFnError> {
    crate::server::auth::require_role(crate::access::Role::Lezer)?;
    let state = crate::server::app_state()?;
    crate::server::mailboxes::list_rows_once(&state.db)
        .await
        .map_err(|error| {
            tracing::error!(%error, "listing mailboxes failed");
            ServerFnError::ServerError("database unavailable".to_string())
        })
}

/// Installation facts for the page shell.
#[server(endpoint = "get_site_info")]
pub async fn get_site_info() -> Result<SiteInfo, ServerFnError> {
    crate::server::auth::require_role(crate::access::Role::Lezer)?;
    let state = crate::server::app_state()?;
    let attention = crate::server::mailboxes::needing_attention(&state.db)
        .await
        .inspect_err(|error| tracing::error!(%error, "counting mailboxes needing attention failed"))
        .unwrap_or(0);
    Ok(SiteInfo {
        talks_to_fake_microsoft: state.microsoft.is_fake(),
        mailboxes_needing_attention: attention,
    })
}

/// The signed-in user, for the top bar and for hiding what a `lezer` may not do.
#[server(endpoint = "get_session_user")]
pub async fn get_session_user() -> Result<SessionUser, ServerFnError> {
    let actor = crate::server::auth::require_role(crate::access::Role::Lezer)?;
    Ok(actor.session_user())
}

/// The Wijzigingslog of mailbox `id`, newest first.
#[server(endpoint = "list_audit_log")]
pub async fn list_audit_log(id: i32) -> Result<Vec<AuditEntry>, ServerFnError> {
    crate::server::auth::require_role(crate::access::Role::Lezer)?;
    let state = crate::server::app_state()?;
    crate::server::audit::list_for_mailbox(&state.db, id)
        .await
        .map_err(|error| {
            tracing::error!(%error, "listing the audit log failed");
            ServerFnError::ServerError("database unavailable".to_string())
        })
}
