//! The IMAP source of the sync engine (issue 23): the same lease, bookkeeping, storage and
//! quarantine as Graph mail ([`super::sync::run_claimed`] calls [`fetch`] for a mailbox
//! whose incoming type is IMAP). The folder (inbox prefix, or INBOX) is read from the UID
//! after the last one stored, under the folder's `UIDVALIDITY` (`mail_imap_states`); when
//! that changed, the folder is read again and what is stored already (by Message-ID) is
//! skipped. Messages are fetched in batches (`BODY.PEEK[]`, or `BODY[]` when the mailbox
//! marks mail read on the server; small ones several to a command), stored like a Graph
//! page — a message with attachments on its own — and the position saved after each batch; a sync that stops half-way fetches
//! the rest next time, and the key `imap:{folder}:{uidvalidity}:{uid}` keeps what is stored
//! from being stored twice.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    TransactionTrait,
};
use secrecy::SecretString;

use super::attachments::{MessageBudget, RunBudget};
use super::delta::NextLink;
use super::error::SyncError;
use super::mime::{self, Envelope};
use super::quarantine::{Quarantined, Reason};
use super::store::{self, NewMessage};
use super::sync::Target;
use super::{MailSettings, SyncReport};
use crate::cipher::SecretColumn;
use crate::entities::{mail_imap_state as imap_state, mail_message as message, mailbox};
use crate::mailserver::imap::{folder_of, open, step, ImapSession};
use crate::mailserver::{Endpoint, MailServerError, Problem};
use crate::AppState;

/// Econobis' code for the incoming type IMAP.
pub const IMAP: &str = "imap";

/// What an IMAP fetch needs of the mailbox. `Debug` never shows the password.
#[derive(Clone, Debug)]
pub struct ImapTarget {
    pub endpoint: Endpoint,
    pub username: String,
    pub password: SecretString,
    pub folder: String,
}

/// The IMAP settings of an active IMAP mailbox with host, port, username and password.
pub fn imap_target(state: &AppState, mailbox: &mailbox::Model) -> Option<ImapTarget> {
    if !mailbox.is_active || mailbox.incoming_server_type != IMAP {
        return None;
    }
    let endpoint = Endpoint::from_columns(
        mailbox.imap_host.as_deref(),
        mailbox.imap_port,
        mailbox.imap_encryption.as_deref(),
    )?;
    let username = mailbox.username.clone().filter(|u| !u.trim().is_empty())?;
    let stored = mailbox.password_encrypted.as_deref()?;
    let password = match state.cipher.decrypt(stored, SecretColumn::MailboxPassword) {
        Ok(decrypted) => decrypted.secret,
        Err(error) => {
            tracing::error!(mailbox_id = mailbox.id, %error, "the stored mail password cannot be decrypted");
            return None;
        }
    };
    Some(ImapTarget {
        endpoint,
        username,
        password,
        folder: folder_of(mailbox.imap_inbox_prefix.as_deref()),
    })
}

/// The ids of the active IMAP mailboxes.
pub async fn active_ids(state: &AppState) -> Result<Vec<i32>, SyncError> {
    Ok(mailbox::Entity::find()
        .select_only()
        .column(mailbox::Column::Id)
        .filter(mailbox::Column::IsActive.eq(true))
        .filter(mailbox::Column::IncomingServerType.eq(IMAP))
        .into_tuple()
        .all(&state.db)
        .await?)
}

/// How many UIDs are fetched and stored between two saved positions.
const BATCH: usize = 50;

/// One fetch of the folder under the lease `holder` holds.
pub async fn fetch(
    state: &AppState,
    target: &Target,
    imap: &ImapTarget,
    holder: &str,
) -> Result<SyncReport, SyncError> {
    let settings = &state.mail;
    let id = target.mailbox_id;
    let (mut session, selected) = open(
        &imap.endpoint,
        &settings.tls_roots,
        &imap.username,
        &imap.password,
        &imap.folder,
    )
    .await?;
    let validity = i64::from(selected.uid_validity.unwrap_or(0));
    let stored = imap_state::Entity::find_by_id(id).one(&state.db).await?;
    let (mut last_uid, renumbered) = match &stored {
        Some(row) if row.folder == imap.folder && row.uid_validity == validity => {
            (row.last_uid, false)
        }
        Some(row) => {
            tracing::info!(
                mailbox_id = id,
                folder = imap.folder,
                old = row.uid_validity,
                new = validity,
                "UIDVALIDITY or folder changed; the folder is read again"
            );
            (0, true)
        }
        None => (0, false),
    };
    let since = (last_uid == 0).then(|| settings.first_sync_since_at(settings.pause.now()));
    let uids = new_uids(&mut session, imap, last_uid, since).await?;
    let mut report = SyncReport::default();
    let mut run = RunBudget {
        left: settings.attachment_run_budget_bytes,
    };
    for batch in uids.chunks(BATCH) {
        let mut fetched = fetch_batch(
            &mut session,
            imap,
            target,
            settings,
            validity,
            batch,
            &mut run,
        )
        .await?;
        let mut page = Vec::new();
        let mut quarantined = Vec::new();
        for &uid in batch {
            match fetched.remove(&uid) {
                Some(new) => page.push(new),
                None => quarantined.push(Quarantined {
                    graph_id: key_of(&imap.folder, validity, uid),
                    subject: None,
                    reason: Reason::Gone,
                    detail: Some(format!("UID {uid} was gone when fetched")),
                }),
            }
        }
        let page = without_stored(state, id, page, renumbered).await?;
        let (apart, together): (Vec<_>, Vec<_>) =
            page.into_iter().partition(|m| !m.attachments.is_empty());
        let next = NextLink::Done(format!("imap:{}:{validity}", imap.folder));
        let before = report.new_messages;
        // The batch and the position after it in one transaction: one commit per batch
        // (on PostgreSQL without waiting for the disk, as every page's), and never a
        // position ahead of what is stored.
        let txn = state.db.begin().await?;
        for alone in apart {
            report.new_messages +=
                store_batch(state, &txn, id, holder, vec![alone], Vec::new(), &next).await?;
        }
        report.quarantined += quarantined.len();
        report.new_messages +=
            store_batch(state, &txn, id, holder, together, quarantined, &next).await?;
        report.pages += 1;
        last_uid = batch.last().map_or(last_uid, |uid| i64::from(*uid));
        save_position(state, &txn, id, &imap.folder, validity, last_uid).await?;
        txn.commit().await?;
        let threshold = settings.analyze_after_new_messages;
        store::analyze_after_bulk(&state.db, threshold, before, report.new_messages).await;
        if settings.is_stopping() {
            return Err(SyncError::Stopped);
        }
    }
    if uids.is_empty()
        && stored
            .as_ref()
            .is_none_or(|row| row.uid_validity != validity)
    {
        save_position(state, &state.db, id, &imap.folder, validity, last_uid).await?;
    }
    let _ = tokio::time::timeout(crate::mailserver::STEP_TIMEOUT, session.logout()).await;
    Ok(report)
}

/// The UIDs after `last_uid` (on a first fetch: received since `since`), in order.
async fn new_uids(
    session: &mut ImapSession,
    imap: &ImapTarget,
    last_uid: i64,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<u32>, MailServerError> {
    let (host, port) = (imap.endpoint.host.as_str(), imap.endpoint.port);
    let mut query = format!("UID {}:*", last_uid.saturating_add(1));
    if let Some(since) = since {
        query.push_str(&format!(" SINCE {}", since.format("%d-%b-%Y")));
    }
    let found = step(host, port, session.uid_search(&query))
        .await
        .map_err(|refused| refused.or(Problem::Protocol, "UID SEARCH"))?;
    // `n:*` names the last message even when its UID is below n.
    let mut uids: Vec<u32> = found
        .into_iter()
        .filter(|uid| i64::from(*uid) > last_uid)
        .collect();
    uids.sort_unstable();
    Ok(uids)
}

/// The key a message of `folder` is stored under: unique per folder generation and UID.
fn key_of(folder: &str, validity: i64, uid: u32) -> String {
    format!("imap:{folder}:{validity}:{uid}")
}

/// How many bytes of messages one `UID FETCH` may ask for: small messages share a command
/// (one round trip for many), a large one has its own, so the step timeout is per message
/// rather than per batch of big ones.
const FETCH_BYTES: u64 = 4 * 1024 * 1024;

/// Fetches and parses the messages of `batch`, by UID; a UID the server no longer has is
/// missing from the answer. Sizes are asked first, for the whole batch in one command; the
/// messages then in groups of at most [`FETCH_BYTES`], each parsed as it arrives, so only
/// one raw message is held at a time.
async fn fetch_batch(
    session: &mut ImapSession,
    imap: &ImapTarget,
    target: &Target,
    settings: &MailSettings,
    validity: i64,
    batch: &[u32],
    run: &mut RunBudget,
) -> Result<BTreeMap<u32, NewMessage>, SyncError> {
    let sizes = sizes(session, imap, batch).await?;
    let limit = whole_message_limit(settings.attachment_message_budget_bytes);
    let mut found = BTreeMap::new();
    for group in groups(batch, &sizes, limit) {
        let too_large = group.too_large;
        let (body, header) = if target.mark_as_read {
            ("BODY[]", "BODY[HEADER]")
        } else {
            ("BODY.PEEK[]", "BODY.PEEK[HEADER]")
        };
        let query = format!(
            "(UID FLAGS INTERNALDATE {})",
            if too_large { header } else { body }
        );
        let wanted: HashSet<u32> = group.uids.iter().copied().collect();
        let (host, port) = (imap.endpoint.host.as_str(), imap.endpoint.port);
        let fetch = async {
            let mut stream = session.uid_fetch(uid_set(&group.uids), &query).await?;
            while let Some(fetched) = stream.try_next().await? {
                // Other answers (a flag changed elsewhere) may arrive in between.
                let Some(uid) = fetched.uid.filter(|uid| wanted.contains(uid)) else {
                    continue;
                };
                let size = sizes.get(&uid).copied().unwrap_or_default();
                let key = key_of(&imap.folder, validity, uid);
                let new = parse(&fetched, key, target, settings, size, too_large, run);
                found.insert(uid, new);
            }
            Ok(())
        };
        step(host, port, fetch)
            .await
            .map_err(|refused| refused.or(Problem::Protocol, "UID FETCH"))?;
    }
    Ok(found)
}

/// UIDs fetched in one command: whole messages up to [`FETCH_BYTES`] together, or one
/// message too large to fetch whole (its header only).
struct Group {
    uids: Vec<u32>,
    too_large: bool,
}

fn groups(batch: &[u32], sizes: &HashMap<u32, u32>, limit: u64) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut bytes = 0u64;
    for &uid in batch {
        let Some(&size) = sizes.get(&uid) else {
            continue;
        };
        let size = u64::from(size);
        if size > limit {
            groups.push(Group {
                uids: vec![uid],
                too_large: true,
            });
            continue;
        }
        match groups.last_mut() {
            Some(group) if !group.too_large && bytes + size <= FETCH_BYTES => {
                group.uids.push(uid);
                bytes += size;
            }
            _ => {
                groups.push(Group {
                    uids: vec![uid],
                    too_large: false,
                });
                bytes = size;
            }
        }
    }
    groups
}

/// `1,5,7`: the UIDs of one command.
fn uid_set(uids: &[u32]) -> String {
    uids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// `UID FETCH (UID RFC822.SIZE)` for the batch: the size of each message the server has.
async fn sizes(
    session: &mut ImapSession,
    imap: &ImapTarget,
    batch: &[u32],
) -> Result<HashMap<u32, u32>, MailServerError> {
    let (host, port) = (imap.endpoint.host.as_str(), imap.endpoint.port);
    let fetch = async {
        let stream = session
            .uid_fetch(uid_set(batch), "(UID RFC822.SIZE)")
            .await?;
        let all: Vec<async_imap::types::Fetch> = stream.try_collect().await?;
        Ok(all
            .into_iter()
            .filter_map(|f| Some((f.uid?, f.size?)))
            .collect())
    };
    step(host, port, fetch)
        .await
        .map_err(|refused| refused.or(Problem::Protocol, "UID FETCH"))
}

/// One fetched message as it is stored (the header only of one too large to fetch whole).
fn parse(
    fetched: &async_imap::types::Fetch,
    key: String,
    target: &Target,
    settings: &MailSettings,
    size: u32,
    too_large: bool,
    run: &mut RunBudget,
) -> NewMessage {
    let envelope = Envelope {
        key,
        internal_date: fetched.internal_date().map(|d| d.with_timezone(&Utc)),
        seen: target.mark_as_read
            || fetched
                .flags()
                .any(|flag| matches!(flag, async_imap::types::Flag::Seen)),
    };
    let budget = MessageBudget {
        cap: settings.attachment_max_bytes,
        left: settings.attachment_message_budget_bytes,
    };
    let raw = if too_large {
        fetched.header().unwrap_or_default()
    } else {
        fetched.body().unwrap_or_default()
    };
    let (message, mut attachments) = mime::parse(raw, envelope, budget, run);
    if too_large {
        attachments.push(mime::too_large(u64::from(size)));
    }
    let mut message = message;
    message.has_attachments = !attachments.is_empty();
    NewMessage {
        message,
        attachments,
    }
}

/// The largest message fetched whole: its attachments within the message budget, in
/// base64 (4/3), and room for the text.
fn whole_message_limit(message_budget: u64) -> u64 {
    message_budget.saturating_mul(4) / 3 + 2 * 1024 * 1024
}

/// Leaves out what is stored already: by key, and after a changed `UIDVALIDITY` also by
/// Message-ID (the same message under its new UID).
async fn without_stored(
    state: &AppState,
    mailbox_id: i32,
    page: Vec<NewMessage>,
    renumbered: bool,
) -> Result<Vec<NewMessage>, SyncError> {
    if page.is_empty() {
        return Ok(page);
    }
    let messages: Vec<_> = page.iter().map(|m| m.message.clone()).collect();
    let listed = store::sort_listed(&state.db, mailbox_id, &messages).await?;
    let known: HashSet<String> = if renumbered {
        let ids: Vec<String> = messages
            .iter()
            .map(|m| m.internet_message_id.clone())
            .collect();
        message::Entity::find()
            .select_only()
            .column(message::Column::InternetMessageId)
            .filter(message::Column::MailboxId.eq(mailbox_id))
            .filter(message::Column::InternetMessageId.is_in(ids))
            .into_tuple::<String>()
            .all(&state.db)
            .await?
            .into_iter()
            .collect()
    } else {
        HashSet::new()
    };
    let mut seen = HashSet::new();
    Ok(page
        .into_iter()
        .filter(|m| listed.new.contains(&m.message.graph_id))
        .filter(|m| !known.contains(&m.message.internet_message_id))
        .filter(|m| !renumbered || seen.insert(m.message.internet_message_id.clone()))
        .collect())
}

/// [`store::store_page`] under the lease: the messages stored.
async fn store_batch(
    state: &AppState,
    db: &(impl ConnectionTrait + TransactionTrait),
    mailbox_id: i32,
    holder: &str,
    new: Vec<NewMessage>,
    quarantined: Vec<Quarantined>,
    next: &NextLink,
) -> Result<usize, SyncError> {
    if new.is_empty() && quarantined.is_empty() {
        return Ok(0);
    }
    let now = state.mail.pause.now();
    let page = store::PageToStore {
        new,
        adopted: Vec::new(),
        quarantined,
        removed: &[],
        next,
    };
    let counts = store::store_page(
        db,
        mailbox_id,
        holder,
        page,
        now,
        now + state.mail.lease_duration(),
    )
    .await?;
    Ok(counts.new)
}

/// Stores the folder, its `UIDVALIDITY` and the last UID handled.
async fn save_position(
    state: &AppState,
    db: &impl ConnectionTrait,
    mailbox_id: i32,
    folder: &str,
    validity: i64,
    last_uid: i64,
) -> Result<(), SyncError> {
    let row = imap_state::ActiveModel {
        mailbox_id: Set(mailbox_id),
        folder: Set(folder.to_string()),
        uid_validity: Set(validity),
        last_uid: Set(last_uid),
        updated_at: Set(state.mail.pause.now()),
    };
    imap_state::Entity::insert(row)
        .on_conflict(
            OnConflict::column(imap_state::Column::MailboxId)
                .update_columns([
                    imap_state::Column::Folder,
                    imap_state::Column::UidValidity,
                    imap_state::Column::LastUid,
                    imap_state::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grouped(sizes: &[(u32, u32)], limit: u64) -> Vec<(Vec<u32>, bool)> {
        let batch: Vec<u32> = sizes.iter().map(|(uid, _)| *uid).collect();
        let known: HashMap<u32, u32> = sizes.iter().copied().filter(|(_, s)| *s > 0).collect();
        groups(&batch, &known, limit)
            .into_iter()
            .map(|group| (group.uids, group.too_large))
            .collect()
    }

    #[test]
    fn small_messages_share_a_command_until_the_byte_limit() {
        let mib = 1024 * 1024;
        let groups = grouped(
            &[(1, mib), (2, mib), (3, 2 * mib), (4, 1), (5, 10)],
            50 * 1024 * 1024,
        );
        assert_eq!(groups, [(vec![1, 2, 3], false), (vec![4, 5], false)]);
    }

    #[test]
    fn a_message_too_large_is_fetched_alone_and_headers_only() {
        let groups = grouped(&[(1, 10), (2, 900), (3, 20), (4, 30)], 500);
        assert_eq!(
            groups,
            [(vec![1], false), (vec![2], true), (vec![3, 4], false)]
        );
    }

    #[test]
    fn a_uid_without_a_size_is_gone_and_not_asked_for() {
        assert_eq!(
            grouped(&[(1, 10), (2, 0), (3, 10)], 500),
            [(vec![1, 3], false)]
        );
    }

    #[test]
    fn one_message_larger_than_a_command_still_gets_one() {
        let big = 5 * 1024 * 1024;
        assert_eq!(
            grouped(&[(1, big), (2, big)], 50 * 1024 * 1024),
            [(vec![1], false), (vec![2], false)]
        );
    }
}
