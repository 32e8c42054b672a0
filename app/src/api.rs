//! Server functions: the browser's only way to the data. Each is thin: the role check, the
//! use case in `backend`, the answer (and, for a plain form post, the redirect).

pub mod app_registrations;
pub mod basic_auth;
pub mod connect;
pub mod mail;
pub mod mailbox_form;
#[cfg(feature = "ssr")]
pub mod request;
pub mod setup;

use leptos::prelude::*;

use rules::access::SessionUser;
use rules::audit_log::AuditEntry;
use rules::mailbox_list::MailboxRow;
use rules::site::SiteInfo;

#[cfg(feature = "ssr")]
use request::{app_state, require_role, unexpected, with_list_once};
#[cfg(feature = "ssr")]
use rules::access::Role;

#[cfg(feature = "ssr")]
const DATABASE_UNAVAILABLE: &str = "database unavailable";

/// The rows of the Mailboxen list.
#[server(endpoint = "list_mailboxes")]
pub async fn list_mailboxes() -> Result<Vec<MailboxRow>, ServerFnError> {
    require_role(Role::Lezer)?;
    let state = app_state()?;
    with_list_once(&state, |data| data.rows.clone())
        .await
        .map_err(|error| unexpected("listing mailboxes", &error, DATABASE_UNAVAILABLE))
}

/// Installation facts for the page shell.
#[server(endpoint = "get_site_info")]
pub async fn get_site_info() -> Result<SiteInfo, ServerFnError> {
    let state = site_state()?;
    let attention = with_list_once(&state, |data| data.needing_attention())
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
    session_user()
}

/// [`get_session_user`] as a plain call: the page shell, rendered on the server only, reads
/// it without a `Suspense`.
#[cfg(feature = "ssr")]
pub fn session_user() -> Result<SessionUser, ServerFnError> {
    let actor = require_role(Role::Lezer)?;
    Ok(actor.session_user())
}

/// [`SiteInfo::talks_to_fake_microsoft`] as a plain call, for the page shell's demo banner.
#[cfg(feature = "ssr")]
pub fn talks_to_fake_microsoft() -> bool {
    site_state().is_ok_and(|state| state.microsoft.is_fake())
}

#[cfg(feature = "ssr")]
fn site_state() -> Result<backend::AppState, ServerFnError> {
    require_role(Role::Lezer)?;
    app_state()
}

/// The Wijzigingslog of mailbox `id`, newest first.
#[server(endpoint = "list_audit_log")]
pub async fn list_audit_log(id: i32) -> Result<Vec<AuditEntry>, ServerFnError> {
    require_role(Role::Lezer)?;
    let state = app_state()?;
    backend::audit::list_for_mailbox(&state.db, id)
        .await
        .map_err(|error| unexpected("listing the audit log", &error, DATABASE_UNAVAILABLE))
}
