//! The mail views' use cases: a mailbox's messages, one message, the "Mail" section,
//! "Nu ophalen" and "Stuur testmail".

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use rules::access::{Access, Role};
use rules::i18n::{Lang, MailMsg};
use rules::mail::*;
use rules::time::Clock;

use crate::entities::{mail_attachment, mail_message, mail_sync_state, mailbox};
use crate::outgoing::{self, OutgoingBody, OutgoingMail, SendError};
use crate::AppState;

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn find_mailbox(db: &DatabaseConnection, id: i32) -> Result<Option<mailbox::Model>, DbErr> {
    mailbox::Entity::find_by_id(id).one(db).await
}

/// What the list shows of a message.
#[derive(sea_orm::FromQueryResult)]
struct ListedMessage {
    id: i32,
    from_name: Option<String>,
    from_address: String,
    subject: String,
    received_at: DateTime<Utc>,
    has_attachments: bool,
}

/// A mailbox's visible (not removed) messages: found through `idx_mail_messages_visible`
/// (`removed_at` is stored after the body; reading it from the rows reads every body on
/// SQLite).
pub fn visible_messages(mailbox_id: i32) -> sea_orm::Select<mail_message::Entity> {
    mail_message::Entity::find()
        .filter(mail_message::Column::MailboxId.eq(mailbox_id))
        .filter(mail_message::Column::RemovedAt.is_null())
}

/// Page `page` (1-based) of the message list, newest first, with only the columns the
/// list shows: the index gives the order, so a page reads its own rows and no others.
pub fn message_page(mailbox_id: i32, page: u32) -> sea_orm::Select<mail_message::Entity> {
    use mail_message::Column as C;
    visible_messages(mailbox_id)
        .select_only()
        .columns([
            C::Id,
            C::FromName,
            C::FromAddress,
            C::Subject,
            C::ReceivedAt,
            C::HasAttachments,
        ])
        .order_by_desc(C::ReceivedAt)
        .order_by_desc(C::Id)
        .offset(u64::from(page - 1) * MESSAGES_PER_PAGE)
        .limit(MESSAGES_PER_PAGE)
}

/// Page `page` of mailbox `mailbox_id`'s message list; None when there is no such mailbox.
pub async fn list_messages(
    state: &AppState,
    mailbox_id: i32,
    page: u32,
) -> Result<Option<MessageList>, DbErr> {
    let Some(mailbox) = find_mailbox(&state.db, mailbox_id).await? else {
        return Ok(None);
    };
    let total = visible_messages(mailbox_id).count(&state.db).await?;
    let pages = u32::try_from(total.div_ceil(MESSAGES_PER_PAGE).max(1)).unwrap_or(u32::MAX);
    let page = page.clamp(1, pages);
    let rows = message_page(mailbox_id, page)
        .into_model::<ListedMessage>()
        .all(&state.db)
        .await?;
    Ok(Some(MessageList {
        mailbox_id,
        mailbox_name: mailbox.name,
        mailbox_email: mailbox.email,
        messages: rows
            .into_iter()
            .map(|row| MessageRow {
                id: row.id,
                from: display_address(row.from_name.as_deref(), &row.from_address),
                subject: row.subject,
                received_at: rfc3339(row.received_at),
                has_attachments: row.has_attachments,
            })
            .collect(),
        page,
        pages,
        total,
    }))
}

pub async fn message(
    state: &AppState,
    mailbox_id: i32,
    message_id: i32,
) -> Result<Option<MessageDetail>, DbErr> {
    let Some(mailbox) = find_mailbox(&state.db, mailbox_id).await? else {
        return Ok(None);
    };
    let Some(row) = mail_message::Entity::find_by_id(message_id)
        .one(&state.db)
        .await?
        .filter(|row| row.mailbox_id == mailbox_id)
    else {
        return Ok(None);
    };
    // Never the content: only what the page shows about each attachment.
    let attachments: Vec<(i32, String, String, i64, Option<String>)> =
        mail_attachment::Entity::find()
            .select_only()
            .column(mail_attachment::Column::Id)
            .column(mail_attachment::Column::Name)
            .column(mail_attachment::Column::ContentType)
            .column(mail_attachment::Column::Size)
            .column(mail_attachment::Column::SkippedReason)
            .filter(mail_attachment::Column::MessageId.eq(message_id))
            .order_by_asc(mail_attachment::Column::Id)
            .into_tuple()
            .all(&state.db)
            .await?;
    // Which have content, asked separately: a boolean expression decodes differently on
    // each database.
    let stored: Vec<i32> = mail_attachment::Entity::find()
        .select_only()
        .column(mail_attachment::Column::Id)
        .filter(mail_attachment::Column::MessageId.eq(message_id))
        .filter(
            Condition::any()
                .add(mail_attachment::Column::ContentInChunks.eq(true))
                .add(mail_attachment::Column::Content.is_not_null()),
        )
        .into_tuple()
        .all(&state.db)
        .await?;
    let addresses = |json: &str| serde_json::from_str::<Vec<String>>(json).unwrap_or_default();
    Ok(Some(MessageDetail {
        id: row.id,
        mailbox_id,
        mailbox_name: mailbox.name,
        from: display_address(row.from_name.as_deref(), &row.from_address),
        to: addresses(&row.to_addresses),
        cc: addresses(&row.cc_addresses),
        subject: row.subject,
        received_at: rfc3339(row.received_at),
        body_is_html: row.body_is_html,
        body: row.body,
        removed: row.removed_at.is_some(),
        attachments: attachments
            .into_iter()
            .map(
                |(id, name, content_type, size, skipped_reason)| AttachmentRow {
                    download_path: stored
                        .contains(&id)
                        .then(|| attachment_path(mailbox_id, message_id, id)),
                    id,
                    name,
                    content_type,
                    size,
                    skipped_reason,
                },
            )
            .collect(),
    }))
}

pub async fn status(state: &AppState, id: i32, viewer: Role) -> Result<Option<MailStatus>, DbErr> {
    let Some(mailbox) = find_mailbox(&state.db, id).await? else {
        return Ok(None);
    };
    let summary = crate::mail::summaries(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let (progress, last_outcome) = fetch_progress(state, id).await?;
    let (skipped, latest) =
        crate::mail::quarantine::latest(&state.db, id, QUARANTINE_SHOWN).await?;
    let can_read_mail = viewer.allows(Access::ReadMail.required_role());
    let quarantine = QuarantineView {
        count: skipped,
        latest: latest
            .into_iter()
            .map(|row| QuarantinedRow {
                // A subject is mail content: a lezer sees the reason, not the subject.
                subject: row.subject.filter(|_| can_read_mail),
                reason: row.reason,
                last_seen_at: rfc3339(row.last_seen_at),
                seen_count: row.seen_count,
            })
            .collect(),
    };
    Ok(Some(MailStatus {
        mailbox_id: id,
        email: mailbox.email,
        // The Mail section ("Nu ophalen", "Stuur testmail") for every type this app fetches
        // or sends with: Microsoft Api, and IMAP and SMTP (issue 23).
        incoming_microsoft: mailbox.incoming_server_type == MICROSOFT_API
            || mailbox.incoming_server_type == crate::mail::imap_fetch::IMAP,
        outgoing_microsoft: mailbox.outgoing_server_type == MICROSOFT_API
            || mailbox.outgoing_server_type == crate::outgoing::smtp::SMTP,
        last_fetched_at: summary.last_fetched_at.map(rfc3339),
        message_count: summary.message_count,
        last_error: summary.last_error,
        failing: summary.failing,
        can_change: viewer.allows(Access::Change.required_role()),
        can_read_mail,
        progress,
        last_outcome,
        quarantine,
    }))
}

/// Skipped messages the mailbox page lists (the count says how many there are in all).
const QUARANTINE_SHOWN: u64 = 5;

/// Whether a fetch of mailbox `id` is asked for or running (the lease tells), and what the
/// last finished one did.
async fn fetch_progress(
    state: &AppState,
    id: i32,
) -> Result<(FetchProgress, Option<FetchOutcome>), DbErr> {
    use crate::mail::progress::{progress_of, Progress};
    let Some(row) = mail_sync_state::Entity::find_by_id(id)
        .one(&state.db)
        .await?
    else {
        return Ok((FetchProgress::Idle, None));
    };
    let now = state.mail.pause.now();
    let progress = match progress_of(&row, now, state.mail.lease_duration()) {
        Progress::Idle => FetchProgress::Idle,
        Progress::Waiting => FetchProgress::Waiting,
        Progress::Running { started_at, stored } => FetchProgress::Running {
            started_at: rfc3339(started_at),
            stored,
        },
    };
    let last_outcome = if row.consecutive_failures > 0 {
        let code = row.last_error_code.unwrap_or_else(|| "unknown".into());
        Some(FetchOutcome::Failed {
            problem: MailProblem::from_code(&code, row.last_error_message),
        })
    } else {
        row.last_success_at.map(|_| FetchOutcome::Fetched {
            new_messages: u64::try_from(row.run_stored).unwrap_or(0),
            removed: 0,
        })
    };
    Ok((progress, last_outcome))
}

/// The stored code of the Microsoft Api server type.
const MICROSOFT_API: &str = "ms-oauth";

/// "Nu ophalen": asks the scheduler to fetch mailbox `id` now ([`FetchOutcome::Requested`]),
/// or says why it cannot.
pub async fn fetch_now(state: &AppState, id: i32) -> Result<FetchOutcome, DbErr> {
    let Some(mailbox) = find_mailbox(&state.db, id).await? else {
        return Ok(FetchOutcome::NotFound);
    };
    if mailbox.incoming_server_type != MICROSOFT_API
        && mailbox.incoming_server_type != crate::mail::imap_fetch::IMAP
    {
        return Ok(FetchOutcome::NotMicrosoft);
    }
    Ok(match crate::mail::request_sync(state, id).await {
        Ok(()) => {
            tracing::info!(mailbox_id = id, "mail fetch requested");
            FetchOutcome::Requested
        }
        Err(error) => {
            let code = error.code();
            tracing::warn!(mailbox_id = id, %code, %error, "requesting a mail fetch failed");
            FetchOutcome::Failed {
                problem: MailProblem::from_code(&code, Some(error.to_string())),
            }
        }
    })
}

pub async fn send_test(
    state: &AppState,
    id: i32,
    to: &str,
    lang: Lang,
) -> Result<TestMailOutcome, DbErr> {
    let Some(mailbox) = find_mailbox(&state.db, id).await? else {
        return Ok(TestMailOutcome::NotFound);
    };
    let to = match to.trim() {
        "" => mailbox.email.trim().to_string(),
        typed => typed.to_string(),
    };
    if rules::validation::check_email(&to).is_err() {
        return Ok(TestMailOutcome::InvalidAddress { to });
    }
    let clock = Clock {
        zone: state.time_zone,
        now: Utc::now(),
    };
    let mail = test_mail(&mailbox, &to, clock, lang);
    match outgoing::send_mail(state, id, &mail).await {
        Ok(_) => Ok(TestMailOutcome::Sent { to }),
        Err(SendError::NotFound) => Ok(TestMailOutcome::NotFound),
        Err(SendError::Database(error)) => Err(error),
        Err(error) => Ok(TestMailOutcome::Failed {
            problem: error.problem(),
        }),
    }
}

/// The test message: says what it is, from which mailbox and when (to the second, in the
/// installation's zone, as the pages word it exactly).
fn test_mail(mailbox: &mailbox::Model, to: &str, clock: Clock, lang: Lang) -> OutgoingMail {
    let when = clock.show(clock.now, lang).exact;
    OutgoingMail {
        to: vec![to.to_string()],
        subject: MailMsg::TestMailSubject
            .text(lang)
            .replace("{mailbox}", &mailbox.name),
        body: OutgoingBody::Text(
            MailMsg::TestMailBody
                .text(lang)
                .replace("{path}", &sent_through(mailbox, lang))
                .replace("{mailbox}", &mailbox.email)
                .replace("{at}", &when),
        ),
        attachments: Vec::new(),
    }
}

/// The way the test mail goes out, as its text names it: the mailbox's SMTP server (host
/// and port) for an SMTP mailbox, else Microsoft Graph.
fn sent_through(mailbox: &mailbox::Model, lang: Lang) -> String {
    if mailbox.outgoing_server_type != crate::outgoing::smtp::SMTP {
        return MailMsg::TestMailViaGraph.text(lang).to_string();
    }
    let host = mailbox.smtp_host.as_deref().unwrap_or_default();
    let server = match mailbox.smtp_port {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    };
    MailMsg::TestMailViaSmtp
        .text(lang)
        .replace("{server}", &server)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_mail_names_the_way_it_went_out() {
        let mut mailbox = a_mailbox();
        let text = |mailbox: &mailbox::Model, lang| match test_mail(
            mailbox,
            "a@example.org",
            a_clock(),
            lang,
        )
        .body
        {
            OutgoingBody::Text(text) => text,
            OutgoingBody::Html(_) => panic!("a plain-text test mail"),
        };
        assert!(text(&mailbox, Lang::Nl).contains("via Microsoft Graph namens"));
        mailbox.outgoing_server_type = "smtp".into();
        mailbox.smtp_host = Some("smtp.zonnecoop.nl".into());
        mailbox.smtp_port = Some(587);
        let nl = text(&mailbox, Lang::Nl);
        assert!(
            nl.contains("via de SMTP-server smtp.zonnecoop.nl:587 namens"),
            "{nl}"
        );
        assert!(!nl.contains("Graph"), "{nl}");
        let en = text(&mailbox, Lang::En);
        assert!(
            en.contains("through the SMTP server smtp.zonnecoop.nl:587 on behalf"),
            "{en}"
        );
    }

    fn a_clock() -> Clock {
        Clock {
            zone: rules::time::DEFAULT_ZONE,
            now: rules::time::parse("2026-12-04T17:20:08.289Z").unwrap_or_default(),
        }
    }

    fn a_mailbox() -> mailbox::Model {
        mailbox::Model {
            id: 1,
            name: "Info".into(),
            email: "info@example.org".into(),
            only_outgoing: false,
            incoming_server_type: "ms-oauth".into(),
            outgoing_server_type: "ms-oauth".into(),
            imap_host: None,
            imap_port: None,
            imap_encryption: None,
            imap_inbox_prefix: None,
            smtp_host: None,
            smtp_port: None,
            smtp_encryption: None,
            username: None,
            password_encrypted: None,
            email_mark_as_seen: false,
            is_active: true,
            is_primary: false,
            valid: true,
            login_tries: 0,
            date_last_fetched: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn the_test_mail_names_mailbox_and_time() {
        let mailbox = a_mailbox();
        let clock = a_clock();
        let mail = test_mail(&mailbox, "a@example.org", clock, Lang::Nl);
        assert_eq!(mail.to, vec!["a@example.org".to_string()]);
        assert!(mail.subject.contains("Info"), "{}", mail.subject);
        match mail.body {
            OutgoingBody::Text(text) => {
                assert!(text.contains("info@example.org"), "{text}");
                assert!(text.contains("op 4 dec. 2026 18:20:08 CET."), "{text}");
            }
            OutgoingBody::Html(_) => panic!("a plain-text test mail"),
        }
    }
}
