//! Reading what the Mailboxen list shows: every mailbox with its joins, and each mailbox's
//! latest connection attempt.
//!
//! Both are defined once, as lists of columns, and read in one of two ways:
//! - PostgreSQL and MariaDB: as rows, which their drivers stream over the socket.
//! - SQLite: in one statement that returns one row of two JSON arrays, built by SQLite
//!   itself. sqlx runs each SQLite connection on a thread of its own and hands every row
//!   over a channel to the task that asked; for the list's ~100 rows those hand-offs (and
//!   a copy of every value) cost about 5 times what the query does (bench/RESULTS.md §2).
//!   One value crosses once.
//!
//! Both ways give the same structs; `one_value_reads_what_rows_read` holds them together.

use chrono::{DateTime, NaiveDateTime, Utc};
use sea_orm::sea_query::{
    Alias, Expr, Func, IntoIden, JoinType, Query, SelectStatement, SimpleExpr, SubQueryStatement,
};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, FromQueryResult, Statement,
};
use serde::{Deserialize, Deserializer};
use std::sync::OnceLock;

use crate::connect::AttemptKind;
use crate::entities::{
    app_credential, connection_attempt as attempt, mail_message as message,
    mail_sync_state as sync_state, mailbox, mailbox_microsoft_settings as settings,
};

/// One mailbox of the list with what the joins add to it. The fields are in the order of
/// [`listed_columns`]: the JSON read takes them by position.
#[derive(Debug, PartialEq, Eq, FromQueryResult, Deserialize)]
pub(super) struct ListedMailbox {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub incoming_server_type: String,
    pub outgoing_server_type: String,
    #[serde(deserialize_with = "flag")]
    pub is_primary: bool,
    #[serde(deserialize_with = "flag")]
    pub is_active: bool,
    #[serde(deserialize_with = "flag")]
    pub valid: bool,
    pub imap_host: Option<String>,
    pub smtp_host: Option<String>,
    /// From `mailbox_microsoft_settings`; None without settings.
    #[serde(deserialize_with = "optional_flag")]
    pub reconnect_needed: Option<bool>,
    /// From `mailbox_microsoft_settings`: `delegated` or `app_only`.
    pub connection_method: Option<String>,
    /// From `mail_sync_states`; all None when mail was never fetched.
    pub sync_status: Option<String>,
    #[serde(deserialize_with = "optional_time")]
    pub last_success_at: Option<DateTime<Utc>>,
    pub consecutive_failures: Option<i32>,
    pub last_error_code: Option<String>,
    pub last_error_message: Option<String>,
    /// Stored messages not reported removed.
    pub message_count: i64,
    /// From `app_credentials`: when the credential the mailbox uses ends (None: unknown).
    #[serde(deserialize_with = "optional_time")]
    pub credential_expires_at: Option<DateTime<Utc>>,
}

/// The columns of an attempt the Status column reads (whether it is a problem, its kind and
/// Microsoft's code); not its error body, descriptions or a preflight's results. In the
/// order of [`attempt_columns`].
#[derive(Debug, PartialEq, Eq, FromQueryResult, Deserialize)]
pub(super) struct StatusAttempt {
    pub id: i32,
    pub mailbox_id: i32,
    pub kind: String,
    #[serde(deserialize_with = "time")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "time")]
    pub expires_at: DateTime<Utc>,
    pub outcome: String,
    pub error: Option<String>,
    pub error_codes: Option<String>,
}

/// The list's two reads, on whichever database `db` is.
pub(super) async fn read(
    db: &DatabaseConnection,
) -> Result<(Vec<ListedMailbox>, Vec<StatusAttempt>), DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => one_value(db).await,
        _ => rows(db).await,
    }
}

/// The two reads as rows.
async fn rows(db: &DatabaseConnection) -> Result<(Vec<ListedMailbox>, Vec<StatusAttempt>), DbErr> {
    let (listed, attempts) = built(db.get_database_backend(), &ROWS, |backend| {
        let statement = |columns: Vec<(SimpleExpr, &'static str)>, mut query: SelectStatement| {
            for (column, alias) in columns {
                query.expr_as(column, Alias::new(alias));
            }
            backend.build(&query)
        };
        (
            statement(listed_columns(), listed_from()),
            statement(attempt_columns(), attempts_from()),
        )
    });
    let listed = ListedMailbox::find_by_statement(listed.clone())
        .all(db)
        .await?;
    let attempts = StatusAttempt::find_by_statement(attempts.clone())
        .all(db)
        .await?;
    Ok((listed, attempts))
}

/// The statements of the list's reads, per database kind: the same on every call, so built
/// once. Building them with sea-query on every page cost about as much as SQLite took to
/// run the SQLite one (bench/RESULTS.md §2).
type Built<T> = [OnceLock<T>; 3];
static ROWS: Built<(Statement, Statement)> = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
static ONE_VALUE: Built<Statement> = [OnceLock::new(), OnceLock::new(), OnceLock::new()];

fn built<T>(
    backend: DatabaseBackend,
    statements: &'static Built<T>,
    build: impl FnOnce(DatabaseBackend) -> T,
) -> &'static T {
    let kind = match backend {
        DatabaseBackend::MySql => 0,
        DatabaseBackend::Postgres => 1,
        DatabaseBackend::Sqlite => 2,
    };
    statements[kind].get_or_init(|| build(backend))
}

/// The two reads in one SQLite statement: `SELECT (mailboxes as one JSON array), (latest
/// attempts as one JSON array)`, each row an array of its columns in order.
async fn one_value(
    db: &DatabaseConnection,
) -> Result<(Vec<ListedMailbox>, Vec<StatusAttempt>), DbErr> {
    let statement = built(db.get_database_backend(), &ONE_VALUE, |backend| {
        let json = |columns: Vec<(SimpleExpr, &'static str)>, mut query: SelectStatement| {
            let row =
                Func::cust(Alias::new("json_array")).args(columns.into_iter().map(|(c, _)| c));
            query.expr(Func::cust(Alias::new("json_group_array")).arg(row));
            SimpleExpr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(query)))
        };
        let query = Query::select()
            .expr_as(
                json(listed_columns(), listed_from()),
                Alias::new("mailboxes"),
            )
            .expr_as(
                json(attempt_columns(), attempts_from()),
                Alias::new("attempts"),
            )
            .to_owned();
        backend.build(&query)
    });
    let row = db
        .query_one(statement.clone())
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the list's JSON row".to_string()))?;
    let listed: String = row.try_get_by_index(0)?;
    let attempts: String = row.try_get_by_index(1)?;
    let parse = |what: &str, error: serde_json::Error| {
        DbErr::Type(format!("the list's {what} as SQLite wrote them: {error}"))
    };
    Ok((
        serde_json::from_str(&listed).map_err(|e| parse("mailboxes", e))?,
        serde_json::from_str(&attempts).map_err(|e| parse("attempts", e))?,
    ))
}

/// The columns of [`ListedMailbox`], in its order, with their names.
fn listed_columns() -> Vec<(SimpleExpr, &'static str)> {
    let message_count = Query::select()
        .expr(Expr::col((message::Entity, message::Column::Id)).count())
        .from(message::Entity)
        .and_where(
            Expr::col((message::Entity, message::Column::MailboxId))
                .equals((mailbox::Entity, mailbox::Column::Id)),
        )
        .and_where(Expr::col((message::Entity, message::Column::RemovedAt)).is_null())
        .to_owned();
    let m = mailbox::Entity;
    let s = settings::Entity;
    let ss = sync_state::Entity;
    vec![
        (of(m, mailbox::Column::Id), "id"),
        (of(m, mailbox::Column::Name), "name"),
        (of(m, mailbox::Column::Email), "email"),
        (
            of(m, mailbox::Column::IncomingServerType),
            "incoming_server_type",
        ),
        (
            of(m, mailbox::Column::OutgoingServerType),
            "outgoing_server_type",
        ),
        (of(m, mailbox::Column::IsPrimary), "is_primary"),
        (of(m, mailbox::Column::IsActive), "is_active"),
        (of(m, mailbox::Column::Valid), "valid"),
        (of(m, mailbox::Column::ImapHost), "imap_host"),
        (of(m, mailbox::Column::SmtpHost), "smtp_host"),
        (of(s, settings::Column::ReconnectNeeded), "reconnect_needed"),
        (
            of(s, settings::Column::ConnectionMethod),
            "connection_method",
        ),
        (of(ss, sync_state::Column::Status), "sync_status"),
        (of(ss, sync_state::Column::LastSuccessAt), "last_success_at"),
        (
            of(ss, sync_state::Column::ConsecutiveFailures),
            "consecutive_failures",
        ),
        (of(ss, sync_state::Column::LastErrorCode), "last_error_code"),
        (
            of(ss, sync_state::Column::LastErrorMessage),
            "last_error_message",
        ),
        (
            SimpleExpr::SubQuery(
                None,
                Box::new(SubQueryStatement::SelectStatement(message_count)),
            ),
            "message_count",
        ),
        (
            of(app_credential::Entity, app_credential::Column::ExpiresAt),
            "credential_expires_at",
        ),
    ]
}

fn of(table: impl IntoIden, column: impl IntoIden) -> SimpleExpr {
    Expr::col((table.into_iden(), column.into_iden())).into()
}

/// Every mailbox with its Microsoft settings, its sync state and the credential it uses.
fn listed_from() -> SelectStatement {
    Query::select()
        .from(mailbox::Entity)
        .join(
            JoinType::LeftJoin,
            settings::Entity,
            Expr::col((settings::Entity, settings::Column::MailboxId))
                .equals((mailbox::Entity, mailbox::Column::Id)),
        )
        .join(
            JoinType::LeftJoin,
            sync_state::Entity,
            Expr::col((sync_state::Entity, sync_state::Column::MailboxId))
                .equals((mailbox::Entity, mailbox::Column::Id)),
        )
        .join(
            JoinType::LeftJoin,
            app_credential::Entity,
            Expr::col((app_credential::Entity, app_credential::Column::Id))
                .equals((settings::Entity, settings::Column::AppCredentialId)),
        )
        .to_owned()
}

/// The columns of [`StatusAttempt`], in its order, with their names.
fn attempt_columns() -> Vec<(SimpleExpr, &'static str)> {
    [
        (attempt::Column::Id, "id"),
        (attempt::Column::MailboxId, "mailbox_id"),
        (attempt::Column::Kind, "kind"),
        (attempt::Column::CreatedAt, "created_at"),
        (attempt::Column::ExpiresAt, "expires_at"),
        (attempt::Column::Outcome, "outcome"),
        (attempt::Column::Error, "error"),
        (attempt::Column::ErrorCodes, "error_codes"),
    ]
    .into_iter()
    .map(|(column, name)| (Expr::col((attempt::Entity, column)).into(), name))
    .collect()
}

/// Each mailbox's latest attempt. Refused callbacks (a reload, a second tab) only go in the
/// history: they say nothing about the connection.
fn attempts_from() -> SelectStatement {
    let latest = Query::select()
        .expr(Expr::col(attempt::Column::Id).max())
        .from(attempt::Entity)
        .and_where(Expr::col(attempt::Column::Kind).ne(AttemptKind::Callback.as_str()))
        .group_by_col(attempt::Column::MailboxId)
        .to_owned();
    Query::select()
        .from(attempt::Entity)
        .and_where(Expr::col((attempt::Entity, attempt::Column::Id)).in_subquery(latest))
        .to_owned()
}

/// A boolean column as SQLite's JSON has it (0 or 1).
fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(i64::deserialize(deserializer)? != 0)
}

fn optional_flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(Option::<i64>::deserialize(deserializer)?.map(|value| value != 0))
}

/// A time column as stored in SQLite: sea-orm writes RFC 3339 (`2026-12-05T16:26:03.26+00:00`);
/// the forms sqlx also reads (a space for the `T`, no offset meaning UTC) are read too.
fn time<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    stored_time(&<std::borrow::Cow<'de, str>>::deserialize(deserializer)?)
}

fn optional_time<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)?
        .map(|text| stored_time(&text))
        .transpose()
}

fn stored_time<E: serde::de::Error>(text: &str) -> Result<DateTime<Utc>, E> {
    parse_time(text).ok_or_else(|| E::custom(format!("not a time SQLite stores: {text:?}")))
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    if let Ok(time) = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%:z") {
        return Some(time.with_timezone(&Utc));
    }
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(|naive| naive.and_utc())
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use migrations::MigratorTrait;

    #[test]
    fn times_in_the_forms_sqlite_holds() {
        let expected = "2026-12-05T16:26:03.263604105Z";
        for text in [
            "2026-12-05T16:26:03.263604105+00:00",
            "2026-12-05T17:26:03.263604105+01:00",
            "2026-12-05 16:26:03.263604105+00:00",
            "2026-12-05 16:26:03.263604105",
            "2026-12-05T16:26:03.263604105",
        ] {
            let time =
                parse_time(text).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
            assert_eq!(time.as_deref(), Some(expected), "{text}");
        }
        assert_eq!(parse_time("5 december"), None);
        assert_eq!(parse_time(""), None);
    }

    #[test]
    fn a_row_as_sqlite_writes_it() {
        let json = r#"[[7,"Info","info@example.org","ms-oauth","ms-oauth",1,0,1,null,null,
            0,"app_only","failing","2026-12-05T16:26:03+00:00",3,"ErrorAccessDenied",
            "Access is denied.",12,null]]"#;
        let rows: Vec<ListedMailbox> = serde_json::from_str(json).unwrap();
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert!(row.is_primary && !row.is_active && row.valid);
        assert_eq!(row.reconnect_needed, Some(false));
        assert_eq!(row.message_count, 12);
        assert_eq!(row.consecutive_failures, Some(3));
        assert_eq!(
            row.last_success_at.map(|t| t.to_rfc3339()),
            Some("2026-12-05T16:26:03+00:00".to_string())
        );
        assert_eq!(row.credential_expires_at, None);
        // A column too many or too few is an error, not a shifted row.
        let short = r#"[[7,"Info"]]"#;
        assert!(serde_json::from_str::<Vec<ListedMailbox>>(short).is_err());
    }

    /// The JSON read gives what the row read gives, column for column: mailboxes with and
    /// without each join, NULLs, booleans both ways, times, a count that skips removed
    /// messages, and only the latest attempt that is not a refused callback.
    #[tokio::test]
    async fn one_value_reads_what_rows_read() {
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        migrations::Migrator::up(&db, None).await.unwrap();
        let t = "2026-12-05T16:26:03.263604105+00:00";
        let later = "2026-12-05T16:36:03+00:00";
        for sql in [
            format!("INSERT INTO mailboxes (id, name, email, incoming_server_type, outgoing_server_type, imap_host, smtp_host, is_active, is_primary, valid, created_at, updated_at) VALUES (1, 'Leden', 'leden@example.org', 'imap', 'smtp', 'outlook.office365.com', 'smtp.example.org', 0, 1, 0, '{t}', '{t}')"),
            format!("INSERT INTO mailboxes (id, name, email, incoming_server_type, outgoing_server_type, is_active, is_primary, valid, created_at, updated_at) VALUES (2, 'Info – Zuid', 'info@example.org', 'ms-oauth', 'ms-oauth', 1, 0, 1, '{t}', '{t}')"),
            format!("INSERT INTO mailboxes (id, name, email, incoming_server_type, outgoing_server_type, created_at, updated_at) VALUES (3, 'Nieuws', 'nieuws@example.org', 'none', 'ms-oauth', '{t}', '{t}')"),
            format!("INSERT INTO app_registrations (id, tenant_id, client_id, display_name, version, created_at, updated_at) VALUES (1, 'contoso.onmicrosoft.com', 'c1', 'CRM', 1, '{t}', '{t}')"),
            format!("INSERT INTO app_credentials (id, app_registration_id, kind, expires_at, created_at) VALUES (1, 1, 'secret', '{later}', '{t}')"),
            format!("INSERT INTO mailbox_microsoft_settings (mailbox_id, client_id, tenant_id, object_id, reconnect_needed, connection_method, app_registration_id, app_credential_id, created_at, updated_at) VALUES (2, 'c1', 't1', 'o1', 1, 'app_only', 1, 1, '{t}', '{t}')"),
            format!("INSERT INTO mailbox_microsoft_settings (mailbox_id, client_id, tenant_id, object_id, created_at, updated_at) VALUES (3, 'c1', 't1', 'o1', '{t}', '{t}')"),
            format!("INSERT INTO mail_sync_states (mailbox_id, last_success_at, consecutive_failures, last_error_code, last_error_message, status) VALUES (2, '{t}', 3, 'ErrorAccessDenied', 'Access is denied.', 'failing')"),
            format!("INSERT INTO mail_messages (mailbox_id, graph_id, internet_message_id, from_address, to_addresses, cc_addresses, subject, received_at, body_is_html, body, has_attachments, created_at) VALUES (2, 'g1', '<1@x>', 'a@x', '[]', '[]', 'Eén', '{t}', 0, '', 0, '{t}')"),
            format!("INSERT INTO mail_messages (mailbox_id, graph_id, internet_message_id, from_address, to_addresses, cc_addresses, subject, received_at, body_is_html, body, has_attachments, removed_at, created_at) VALUES (2, 'g2', '<2@x>', 'a@x', '[]', '[]', 'Twee', '{t}', 0, '', 0, '{t}', '{t}')"),
            format!("INSERT INTO connection_attempts (id, mailbox_id, kind, created_at, expires_at, outcome, error, error_codes) VALUES (1, 3, 'connect', '{t}', '{later}', 'token_failed', 'invalid_client', '7000215')"),
            format!("INSERT INTO connection_attempts (id, mailbox_id, kind, created_at, expires_at, outcome) VALUES (2, 3, 'callback', '{later}', '{later}', 'refused')"),
        ] {
            db.execute_unprepared(&sql).await.unwrap();
        }
        let (listed, attempts) = rows(&db).await.unwrap();
        assert_eq!(one_value(&db).await.unwrap(), (listed, attempts));
        let (listed, attempts) = one_value(&db).await.unwrap();
        let info = listed.iter().find(|row| row.id == 2).unwrap();
        assert_eq!(info.name, "Info – Zuid");
        assert_eq!((info.message_count, info.reconnect_needed), (1, Some(true)));
        assert!(info.credential_expires_at.is_some() && info.last_success_at.is_some());
        let leden = listed.iter().find(|row| row.id == 1).unwrap();
        assert!(leden.is_primary && !leden.is_active && leden.reconnect_needed.is_none());
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0].error_codes.as_deref(), Some("7000215"));
    }

    #[tokio::test]
    async fn nothing_to_list_is_an_empty_list() {
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        migrations::Migrator::up(&db, None).await.unwrap();
        assert_eq!(one_value(&db).await.unwrap(), (Vec::new(), Vec::new()));
    }
}
