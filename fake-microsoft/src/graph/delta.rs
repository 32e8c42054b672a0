//! Delta queries on a mail folder: pages linked by `@odata.nextLink` (skip tokens), ending in
//! an `@odata.deltaLink` (delta token) that later returns what changed, with `@removed` for
//! deleted messages (docs/microsoft.md §6).

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::error::GraphError;
use super::message_json::{message_json, removed_json, select};
use super::query::{matches_all, Condition};
use crate::directory::{Folder, User};
use crate::ids::{base64url, random_bytes};
use crate::state::FakeState;

/// Delta and skip tokens expire after this long (likely: Exchange keeps sync state for
/// days to weeks; clients must handle the 410 either way).
pub const DELTA_TOKEN_LIFETIME: Duration = Duration::days(7);
/// Page size without `Prefer: odata.maxpagesize`.
pub const DEFAULT_PAGE_SIZE: usize = 10;

/// Where a delta round stands.
#[derive(Debug, Clone)]
pub struct DeltaCursor {
    /// The mailbox's object ID.
    pub mailbox: Uuid,
    /// The folder.
    pub folder: Folder,
    /// `$select` of the first request.
    pub select: Option<Vec<String>>,
    /// `$filter` of the first request.
    pub filter: Vec<Condition>,
    /// Items per page.
    pub page_size: usize,
    /// When the token was handed out.
    pub issued_at: DateTime<Utc>,
    /// The round's position.
    pub position: Position,
}

/// A skip token (mid-round) or a delta token (round finished).
#[derive(Debug, Clone)]
pub enum Position {
    /// More pages of this round follow.
    Page {
        /// The round's items, fixed when it started (shared: a skip token may be used again,
        /// and a round over 100,000 messages must not be copied per page).
        items: Arc<Vec<DeltaItem>>,
        /// The next item to return.
        offset: usize,
        /// Change sequence the round covers up to.
        next_since: u64,
    },
    /// The round is done; the next one returns changes after `since`.
    Delta {
        /// Last change sequence seen.
        since: u64,
    },
}

/// An entry of a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeltaItem {
    /// A new or changed message (rendered as it is when its page is served).
    Changed(String),
    /// A deleted message.
    Removed(String),
}

/// Which request this is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeltaRequest {
    /// No token: the initial synchronisation.
    Start,
    /// `$skiptoken=…`.
    Skip(String),
    /// `$deltatoken=…`.
    Delta(String),
}

/// Options of the initial request.
#[derive(Debug, Clone, Default)]
pub struct DeltaOptions {
    /// `$select`.
    pub select: Option<Vec<String>>,
    /// `$filter`.
    pub filter: Vec<Condition>,
    /// `Prefer: odata.maxpagesize`.
    pub page_size: Option<usize>,
}

/// One page of a delta response.
#[derive(Debug, Clone)]
pub struct DeltaPage {
    /// The entries.
    pub value: Vec<Value>,
    /// The link that follows.
    pub next: DeltaNext,
}

/// `@odata.nextLink` or `@odata.deltaLink`, by token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeltaNext {
    /// `$skiptoken`.
    SkipToken(String),
    /// `$deltatoken`.
    DeltaToken(String),
}

/// Serves one page of a delta round for `mailbox`'s `folder`.
pub fn delta_page(
    state: &mut FakeState,
    mailbox: Uuid,
    folder: Folder,
    request: &DeltaRequest,
    options: DeltaOptions,
) -> Result<DeltaPage, GraphError> {
    let now = state.now();
    let counter = state.directory.change_counter;
    let user = state
        .directory
        .user(mailbox)
        .map(|(_, u)| u)
        .ok_or_else(GraphError::item_not_found)?;
    let (template, items, offset, next_since) = match request {
        DeltaRequest::Start => {
            let template = DeltaCursor {
                mailbox,
                folder,
                select: options.select,
                filter: options.filter,
                page_size: options.page_size.unwrap_or(DEFAULT_PAGE_SIZE).max(1),
                issued_at: now,
                position: Position::Delta { since: 0 },
            };
            let items = Arc::new(changes_since(user, &template, 0));
            (template, items, 0, counter)
        }
        DeltaRequest::Skip(token) | DeltaRequest::Delta(token) => {
            let cursor = state
                .delta_cursors
                .get(token)
                .filter(|c| c.mailbox == mailbox && c.folder == folder)
                .filter(|c| now - c.issued_at <= DELTA_TOKEN_LIFETIME)
                .ok_or_else(GraphError::sync_state_not_found)?;
            match &cursor.position {
                Position::Page {
                    items,
                    offset,
                    next_since,
                } => (cursor.clone(), items.clone(), *offset, *next_since),
                Position::Delta { since } => {
                    let items = Arc::new(changes_since(user, cursor, *since));
                    (cursor.clone(), items, 0, counter)
                }
            }
        }
    };
    let end = (offset + template.page_size).min(items.len());
    // A page's messages follow each other in the mailbox: each lookup starts after the last.
    let mut hint = 0;
    let value = items
        .get(offset..end)
        .unwrap_or_default()
        .iter()
        .map(|item| render(user, &template, item, &mut hint))
        .collect();
    let position = if end < items.len() {
        Position::Page {
            items,
            offset: end,
            next_since,
        }
    } else {
        Position::Delta { since: next_since }
    };
    let token = base64url(&random_bytes(3));
    let next = match position {
        Position::Page { .. } => DeltaNext::SkipToken(token.clone()),
        Position::Delta { .. } => DeltaNext::DeltaToken(token.clone()),
    };
    state.delta_cursors.insert(
        token,
        DeltaCursor {
            issued_at: now,
            position,
            ..template
        },
    );
    Ok(DeltaPage { value, next })
}

/// Forgets every delta and skip token of a mailbox (their next use answers 410).
pub fn invalidate(state: &mut FakeState, mailbox: Uuid) {
    state.delta_cursors.retain(|_, c| c.mailbox != mailbox);
}

fn changes_since(user: &User, cursor: &DeltaCursor, since: u64) -> Vec<DeltaItem> {
    let mut changed: Vec<(u64, DeltaItem)> = user
        .messages
        .iter()
        .filter(|m| m.folder == cursor.folder && m.change_seq > since)
        .filter(|m| matches_all(&cursor.filter, m))
        .map(|m| (m.change_seq, DeltaItem::Changed(m.id.clone())))
        .collect();
    // The initial round lists what exists; only later rounds report deletions.
    if since > 0 {
        changed.extend(
            user.removed_messages
                .iter()
                .filter(|r| r.folder == cursor.folder && r.change_seq > since)
                .map(|r| (r.change_seq, DeltaItem::Removed(r.id.clone()))),
        );
    }
    changed.sort_by_key(|(seq, _)| *seq);
    changed.into_iter().map(|(_, item)| item).collect()
}

fn render(user: &User, cursor: &DeltaCursor, item: &DeltaItem, hint: &mut usize) -> Value {
    match item {
        DeltaItem::Changed(id) => match user.message_from(id, *hint) {
            Some((index, message)) if message.folder == cursor.folder => {
                *hint = index + 1;
                select(message_json(message, user), cursor.select.as_deref())
            }
            _ => removed_json(id),
        },
        DeltaItem::Removed(id) => removed_json(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::Directory;

    fn token(next: &DeltaNext) -> String {
        match next {
            DeltaNext::SkipToken(t) | DeltaNext::DeltaToken(t) => t.clone(),
        }
    }

    #[test]
    fn a_round_pages_then_reports_changes_and_removals() {
        let mut state = FakeState::new(Directory::demo().unwrap_or_default());
        let user = state.directory.tenants[0].users[0].clone();
        let options = DeltaOptions {
            page_size: Some(2),
            ..DeltaOptions::default()
        };
        let first = delta_page(
            &mut state,
            user.object_id,
            Folder::Inbox,
            &DeltaRequest::Start,
            options,
        );
        let Ok(first) = first else {
            panic!("first page")
        };
        assert_eq!(first.value.len(), 2);
        assert!(matches!(first.next, DeltaNext::SkipToken(_)));
        let skip = DeltaRequest::Skip(token(&first.next));
        let Ok(second) = delta_page(
            &mut state,
            user.object_id,
            Folder::Inbox,
            &skip,
            DeltaOptions::default(),
        ) else {
            panic!("second page")
        };
        assert_eq!(second.value.len(), 1);
        assert!(matches!(second.next, DeltaNext::DeltaToken(_)));

        let seq = state.directory.next_change_seq();
        let removed_id = user.messages[0].id.clone();
        if let Some(u) = state.directory.user_by_key_mut(&user.user_principal_name) {
            u.remove_message(&removed_id, seq);
        }
        let delta = DeltaRequest::Delta(token(&second.next));
        let Ok(changes) = delta_page(
            &mut state,
            user.object_id,
            Folder::Inbox,
            &delta,
            DeltaOptions::default(),
        ) else {
            panic!("changes")
        };
        assert_eq!(changes.value.len(), 1);
        assert_eq!(changes.value[0]["@removed"]["reason"], "deleted");
        assert_eq!(changes.value[0]["id"], removed_id.as_str());
    }

    #[test]
    fn unknown_and_expired_tokens_need_a_resync() {
        let mut state = FakeState::new(Directory::demo().unwrap_or_default());
        let mailbox = state.directory.tenants[0].users[0].object_id;
        let unknown = DeltaRequest::Delta("nope".into());
        let err = delta_page(
            &mut state,
            mailbox,
            Folder::Inbox,
            &unknown,
            DeltaOptions::default(),
        )
        .err();
        assert_eq!(
            err.map(|e| (e.status, e.code)),
            Some((410, "SyncStateNotFound"))
        );

        let Ok(page) = delta_page(
            &mut state,
            mailbox,
            Folder::Inbox,
            &DeltaRequest::Start,
            DeltaOptions::default(),
        ) else {
            panic!("start")
        };
        state
            .clock
            .advance(DELTA_TOKEN_LIFETIME + Duration::minutes(1));
        let expired = DeltaRequest::Delta(token(&page.next));
        let err = delta_page(
            &mut state,
            mailbox,
            Folder::Inbox,
            &expired,
            DeltaOptions::default(),
        )
        .err();
        assert_eq!(err.map(|e| e.status), Some(410));
    }
}
