//! Data access for mailboxes.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use std::collections::{HashMap, HashSet};

use sea_orm::QuerySelect;

use super::connect::status::problem_of;
use super::connect::AttemptKind;
use super::entities::{connection_attempt as attempt, mailbox, mailbox_microsoft_settings};
use crate::connection::AttemptProblem;
use crate::mailbox_list::{MailboxRow, MailboxStatus, ServerType};

/// What is needed to create a mailbox; the full form comes with the mailbox screen.
#[derive(Clone, Debug)]
pub struct NewMailbox {
    pub name: String,
    pub email: String,
    pub incoming_server_type: String,
    pub outgoing_server_type: String,
    pub is_active: bool,
    pub is_primary: bool,
}

/// Inserts a mailbox and returns its id.
pub async fn insert(db: &DatabaseConnection, new: NewMailbox) -> Result<i32, DbErr> {
    let now = Utc::now();
    let model = mailbox::ActiveModel {
        name: Set(new.name),
        email: Set(new.email),
        only_outgoing: Set(new.incoming_server_type == "none"),
        incoming_server_type: Set(new.incoming_server_type),
        outgoing_server_type: Set(new.outgoing_server_type),
        is_active: Set(new.is_active),
        is_primary: Set(new.is_primary),
        email_mark_as_seen: Set(false),
        valid: Set(false),
        login_tries: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

/// All mailboxes as list rows, ordered by name (case-insensitively, the same on every
/// database) and then id.
pub async fn list_rows(db: &DatabaseConnection) -> Result<Vec<MailboxRow>, DbErr> {
    let reconnect_needed: HashSet<i32> = mailbox_microsoft_settings::Entity::find()
        .filter(mailbox_microsoft_settings::Column::ReconnectNeeded.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|settings| settings.mailbox_id)
        .collect();
    let now = Utc::now();
    let mut problems: HashMap<i32, AttemptProblem> = latest_attempts(db)
        .await?
        .into_iter()
        .filter_map(|row| Some((row.mailbox_id, problem_of(row, now)?)))
        .collect();
    let mut mail_failing = super::mail::summary::failing(db).await?;
    let mut rows: Vec<MailboxRow> = mailbox::Entity::find()
        .order_by_asc(mailbox::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|model| {
            let reconnect = reconnect_needed.contains(&model.id);
            let problem = problems.remove(&model.id);
            let mail_error = mail_failing.remove(&model.id);
            to_row(model, reconnect, problem, mail_error)
        })
        .collect();
    // Sorted here, not in SQL: collations differ between SQLite, PostgreSQL and MariaDB.
    rows.sort_by_cached_key(|row| (row.name.to_lowercase(), row.id));
    Ok(rows)
}

/// The list rows, read at most once per request when the request provides a
/// [`RequestRows`] (the server does for every request): while the Mailboxen page renders,
/// the menu's count and the list itself both need them. Without one, read every time.
pub async fn list_rows_once(db: &DatabaseConnection) -> Result<Vec<MailboxRow>, DbErr> {
    match leptos::prelude::use_context::<RequestRows>() {
        Some(RequestRows(rows)) => rows.get_or_try_init(|| list_rows(db)).await.cloned(),
        None => list_rows(db).await,
    }
}

/// One request's list rows, once read (see [`list_rows_once`]).
#[derive(Clone, Debug, Default)]
pub struct RequestRows(std::sync::Arc<tokio::sync::OnceCell<Vec<MailboxRow>>>);

/// How many active mailboxes need an admin's attention (the menu marks Mailboxen).
pub async fn needing_attention(db: &DatabaseConnection) -> Result<u32, DbErr> {
    let rows = list_rows_once(db).await?;
    let count = rows
        .iter()
        .filter(|row| row.is_active && row.status.needs_attention())
        .count();
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// Each mailbox's latest attempt. Refused callbacks (a reload, a second tab) only go in
/// the history: they say nothing about the connection.
async fn latest_attempts(db: &DatabaseConnection) -> Result<Vec<attempt::Model>, DbErr> {
    let ids: Vec<i32> = attempt::Entity::find()
        .select_only()
        .column_as(attempt::Column::Id.max(), "latest")
        .filter(attempt::Column::Kind.ne(AttemptKind::Callback.as_str()))
        .group_by(attempt::Column::MailboxId)
        .into_tuple::<Option<i32>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    attempt::Entity::find()
        .filter(attempt::Column::Id.is_in(ids))
        .all(db)
        .await
}

fn to_row(
    model: mailbox::Model,
    reconnect_needed: bool,
    problem: Option<AttemptProblem>,
    mail_error: Option<Option<String>>,
) -> MailboxRow {
    let incoming = ServerType::from_code(&model.incoming_server_type);
    let outgoing = ServerType::from_code(&model.outgoing_server_type);
    let uses_microsoft =
        incoming == ServerType::MicrosoftApi || outgoing == ServerType::MicrosoftApi;
    MailboxRow {
        status: status_of(
            uses_microsoft,
            reconnect_needed,
            model.valid,
            problem.as_ref(),
            mail_error.as_ref(),
        ),
        id: model.id,
        name: model.name,
        email: model.email,
        incoming,
        outgoing,
        is_primary: model.is_primary,
        is_active: model.is_active,
    }
}

/// The Status column: Verbonden / Opnieuw verbinden nodig / Fout (code) / Niet verbonden.
/// A failed sign-in on a connected mailbox leaves its earlier tokens working, so only a
/// failed refresh or preflight turns a connected mailbox into "Fout" — or a mail sync that
/// failed `MAIL_MAX_CONSECUTIVE_FAILURES` times in a row (`mail_error`: its last code).
fn status_of(
    uses_microsoft: bool,
    reconnect_needed: bool,
    connected: bool,
    problem: Option<&AttemptProblem>,
    mail_error: Option<&Option<String>>,
) -> MailboxStatus {
    let breaks_connection = |problem: &&AttemptProblem| {
        !connected || matches!(problem.kind.as_str(), "refresh" | "preflight")
    };
    match (
        uses_microsoft,
        reconnect_needed,
        problem.filter(breaks_connection),
        mail_error,
    ) {
        (false, ..) => MailboxStatus::Unchecked,
        (true, true, ..) => MailboxStatus::ReconnectNeeded,
        (true, false, Some(problem), _) => MailboxStatus::Error(problem.code()),
        (true, false, None, Some(code)) => MailboxStatus::Error(code.clone()),
        (true, false, None, None) if connected => MailboxStatus::Connected,
        (true, false, None, None) => MailboxStatus::NotConnected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(kind: &str, aadsts: Option<u32>, error: Option<&str>) -> AttemptProblem {
        AttemptProblem {
            kind: kind.into(),
            aadsts,
            error: error.map(Into::into),
            ..AttemptProblem::default()
        }
    }

    #[test]
    fn the_status_column() {
        use MailboxStatus::*;
        let secret = problem("preflight", Some(7000215), Some("invalid_client"));
        let declined = problem("connect", Some(65004), Some("access_denied"));
        let graph = problem("preflight", None, Some("ErrorInvalidUser"));
        assert_eq!(
            status_of(false, false, false, Some(&secret), None),
            Unchecked
        );
        assert_eq!(
            status_of(true, true, true, Some(&secret), None),
            ReconnectNeeded
        );
        assert_eq!(status_of(true, false, false, None, None), NotConnected);
        assert_eq!(status_of(true, false, true, None, None), Connected);
        assert_eq!(
            status_of(true, false, false, Some(&secret), None),
            Error(Some("AADSTS7000215".into()))
        );
        assert_eq!(
            status_of(true, false, false, Some(&graph), None),
            Error(Some("ErrorInvalidUser".into()))
        );
        // Mail sync failing repeatedly ("fout") shows as an error with its last code.
        let failing = Some("ErrorAccessDenied".to_string());
        assert_eq!(
            status_of(true, false, true, None, Some(&failing)),
            Error(Some("ErrorAccessDenied".into()))
        );
        // A declined re-sign-in leaves the earlier connection working.
        assert_eq!(
            status_of(true, false, true, Some(&declined), None),
            Connected
        );
        assert_eq!(
            status_of(true, false, true, Some(&secret), None),
            Error(Some("AADSTS7000215".into()))
        );
    }
}
