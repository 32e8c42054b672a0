//! One sync of one mailbox's inbox: from the resume link, the delta link, or a first request
//! bounded by the start date, page by page to the delta link; each page stored in one
//! transaction, except that a message with attachments is stored on its own as soon as they
//! are fetched (a page never holds more than one message's attachments); a resync when
//! Graph lost the sync state. Every request asks for Graph's immutable ids, the key
//! messages are stored under.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::attachments::{FetchedAttachment, MessageBudget, RunBudget};
use super::delta::{first_url, is_graph_link, parse_page, DeltaPage, NextLink};
use super::error::SyncError;
use super::quarantine::{Quarantined, Reason};
use super::store::{self, NewMessage};
use super::{downloads, failures, lease, progress, SyncReport};
use crate::connect::app_only::{self, AppCredentials, CredentialsError, MailboxKey};
use crate::connect::refresh::refresh_rejected_access_token;
use crate::connect::{ensure_fresh_access_token, RefreshError};
use crate::entities::{
    mail_sync_state as sync_state, mailbox, mailbox_microsoft_settings as settings,
    mailbox_token as token,
};
use crate::microsoft::graph::{GraphClient, Renew};
use crate::outgoing::AppToken;
use crate::AppState;
use rules::passwordless::ConnectionMethod;

/// Econobis' code for the incoming type "Microsoft Api".
pub const MICROSOFT_API: &str = "ms-oauth";

/// The Graph client of one sync: a 401 asks once per sync for a new token.
type MailGraph<'a> = GraphClient<'a, RefreshedToken<'a>>;

/// A new token after Graph refused the one in use (revoked or expired early): a forced
/// refresh of the mailbox's delegated token, or the app's own token fetched again.
enum RefreshedToken<'a> {
    Delegated {
        state: &'a AppState,
        mailbox_id: i32,
    },
    AppOnly {
        state: &'a AppState,
        credentials: Box<AppCredentials>,
        current: AppToken,
    },
}

impl Renew for RefreshedToken<'_> {
    type Error = RefreshError;

    async fn renew(
        &mut self,
        rejected: &secrecy::SecretString,
    ) -> Result<Option<secrecy::SecretString>, RefreshError> {
        match self {
            RefreshedToken::Delegated { state, mailbox_id } => {
                let now = state.mail.pause.now();
                refresh_rejected_access_token(state, *mailbox_id, rejected, now)
                    .await
                    .map(Some)
            }
            RefreshedToken::AppOnly {
                state,
                credentials,
                current,
            } => {
                state
                    .app_tokens
                    .forget(&credentials.registration, current)
                    .await;
                *current = app_only::fetch_token(state, credentials, state.mail.pause.now())
                    .await
                    .map_err(RefreshError::AppToken)?;
                Ok(Some(current.access_token.clone()))
            }
        }
    }
}

/// What a sync needs to know of the mailbox.
#[derive(Clone, Debug)]
pub struct Target {
    pub mailbox_id: i32,
    /// How Graph addresses the mailbox: its Object ID, or (app-only, none stored) its
    /// e-mail address (`connect::app_only::MailboxKey`).
    pub object_id: String,
    /// Signed in as the mailbox, or the app's own token (issue 18).
    pub method: ConnectionMethod,
    /// Addressed by its e-mail address: a 404 then asks for the Object ID.
    pub by_address: bool,
    /// "Zet email als gelezen op server".
    pub mark_as_read: bool,
    /// Set for an IMAP mailbox (issue 23): the sync then reads its folder instead of Graph.
    pub imap: Option<Box<super::imap_fetch::ImapTarget>>,
}

/// The mailbox, if it is one to sync: active, incoming type Microsoft Api, and connected:
/// signed in (tokens stored, no reconnect needed), or app-only (a client secret stored; no
/// tokens, nothing to reconnect).
pub async fn target(state: &AppState, mailbox_id: i32) -> Result<Option<Target>, SyncError> {
    let db = &state.db;
    let Some(mailbox) = mailbox::Entity::find_by_id(mailbox_id).one(db).await? else {
        return Ok(None);
    };
    if mailbox.incoming_server_type == super::imap_fetch::IMAP {
        return Ok(
            super::imap_fetch::imap_target(state, &mailbox).map(|imap| Target {
                mailbox_id,
                object_id: String::new(),
                // Not used for IMAP: no Graph token, no Graph address.
                method: ConnectionMethod::Delegated,
                by_address: false,
                mark_as_read: mailbox.email_mark_as_seen,
                imap: Some(Box::new(imap)),
            }),
        );
    }
    let Some(settings) = settings::Entity::find_by_id(mailbox_id).one(db).await? else {
        return Ok(None);
    };
    let connected = token::Entity::find_by_id(mailbox_id)
        .one(db)
        .await?
        .is_some();
    let method = app_only::method_of(&settings);
    let ready = match method {
        ConnectionMethod::Delegated => connected && !settings.reconnect_needed,
        ConnectionMethod::AppOnly => crate::app_registrations::has_credential(&settings),
    };
    let syncable = mailbox.is_active && mailbox.incoming_server_type == MICROSOFT_API && ready;
    let key = match method {
        ConnectionMethod::AppOnly => MailboxKey::of(&settings.object_id, &mailbox.email),
        ConnectionMethod::Delegated => MailboxKey::of(&settings.object_id, ""),
    };
    Ok(syncable.then_some(Target {
        mailbox_id,
        object_id: key.key,
        method,
        by_address: key.by_address,
        mark_as_read: mailbox.email_mark_as_seen,
        imap: None,
    }))
}

/// The ids of every mailbox [`target`] would accept, in three queries.
pub async fn syncable_ids(state: &AppState) -> Result<Vec<i32>, SyncError> {
    let db = &state.db;
    let active: Vec<i32> = mailbox::Entity::find()
        .filter(mailbox::Column::IsActive.eq(true))
        .filter(mailbox::Column::IncomingServerType.eq(MICROSOFT_API))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    let stored = settings::Entity::find().all(db).await?;
    let app_only: std::collections::HashSet<i32> = stored
        .iter()
        .filter(|s| app_only::method_of(s) == ConnectionMethod::AppOnly)
        .filter(|s| crate::app_registrations::has_credential(s))
        .map(|s| s.mailbox_id)
        .collect();
    let ready: std::collections::HashSet<i32> = stored
        .into_iter()
        .filter(|s| !s.reconnect_needed)
        .map(|s| s.mailbox_id)
        .collect();
    let connected: std::collections::HashSet<i32> = token::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.mailbox_id)
        .collect();
    let mut ids: Vec<i32> = active
        .into_iter()
        .filter(|id| app_only.contains(id) || (ready.contains(id) && connected.contains(id)))
        .collect();
    ids.extend(super::imap_fetch::active_ids(state).await?);
    Ok(ids)
}

/// Runs a sync under the lease `holder` already holds, does the bookkeeping, and releases
/// the lease.
pub async fn run_claimed(
    state: &AppState,
    target: &Target,
    holder: &str,
) -> Result<SyncReport, SyncError> {
    let settings = &state.mail;
    let started_at = settings.pause.now();
    let until = started_at + settings.lease_duration();
    let took = std::time::Instant::now();
    let result =
        match progress::start_run(&state.db, target.mailbox_id, holder, started_at, until).await {
            Ok(()) => match &target.imap {
                Some(imap) => super::imap_fetch::fetch(state, target, imap, holder).await,
                None => sync_mailbox(state, target, holder).await,
            },
            Err(error) => Err(error.into()),
        };
    crate::telemetry::mail_sync_finished(&result, took.elapsed());
    let now = settings.pause.now();
    let booked = match &result {
        Ok(_) => failures::record_success(&state.db, target.mailbox_id, now)
            .await
            .map(|()| 0),
        Err(error) => {
            failures::record_failure(&state.db, target.mailbox_id, error, settings, now).await
        }
    };
    let consecutive_failures = booked.unwrap_or_else(|error| {
        tracing::error!(mailbox_id = target.mailbox_id, %error, "mail sync bookkeeping failed");
        0
    });
    // Stopped for shutdown: due at once, for another instance to go on. Repeated failures
    // back off (`MailSettings::next_due`).
    let next_due = match &result {
        Err(SyncError::Stopped) => now,
        _ => settings.next_due(now, consecutive_failures),
    };
    if let Err(error) = lease::release(&state.db, target.mailbox_id, holder, next_due).await {
        // The lease then expires by itself.
        tracing::error!(mailbox_id = target.mailbox_id, %error, "releasing the mail lease failed");
    }
    result
}

async fn sync_mailbox(
    state: &AppState,
    target: &Target,
    holder: &str,
) -> Result<SyncReport, SyncError> {
    let settings = &state.mail;
    let id = target.mailbox_id;
    let row = sync_state::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(SyncError::NotSyncable(id))?;
    let (token, renewal, tenant_wide) = mail_token(state, target).await?;
    let pause = settings.pause.as_ref();
    // Every request asks for immutable ids, the key messages are stored under, and the
    // page size (docs/microsoft.md §6).
    let mut graph = GraphClient::new(&state.http, settings.retry, pause, id, token, renewal)
        .with_response_cap(settings.graph_response_max_bytes)
        .preferring(r#"IdType="ImmutableId""#)
        .preferring(format!("odata.maxpagesize={}", settings.page_size));
    sync_pages(state, target, holder, &mut graph, row)
        .await
        .map_err(|error| name_refusal(error, target, tenant_wide))
}

/// An app-only mailbox's Graph refusal, named for the method (issue 18); others as they are.
fn name_refusal(error: SyncError, target: &Target, tenant_wide: bool) -> SyncError {
    let SyncError::Graph(graph) = error else {
        return error;
    };
    let refusal = (target.method == ConnectionMethod::AppOnly)
        .then(|| app_only::name_refusal(&graph, target.by_address, tenant_wide))
        .flatten();
    match refusal {
        Some(refusal) => SyncError::AppOnlyRefused { refusal, graph },
        None => SyncError::Graph(graph),
    }
}

/// The sync's first token and how a refused one is renewed: the mailbox's delegated token
/// (refreshed when due), or the app's own from the cache. With whether an Entra grant
/// reaches every mailbox (app-only: the token's `roles`), which names a 403.
async fn mail_token<'a>(
    state: &'a AppState,
    target: &Target,
) -> Result<(secrecy::SecretString, RefreshedToken<'a>, bool), SyncError> {
    let id = target.mailbox_id;
    let now = state.mail.pause.now();
    match target.method {
        ConnectionMethod::Delegated => {
            let token = ensure_fresh_access_token(state, id, now).await?;
            let renewal = RefreshedToken::Delegated {
                state,
                mailbox_id: id,
            };
            Ok((token, renewal, false))
        }
        ConnectionMethod::AppOnly => {
            let credentials = app_only::load(state, &state.db, id)
                .await
                .map_err(|error| match error {
                    CredentialsError::Storage(error) => SyncError::from(error),
                    CredentialsError::NotConfigured(id) => {
                        SyncError::Token(RefreshError::NotConnected(id))
                    }
                    CredentialsError::Secret => {
                        SyncError::Token(RefreshError::Secret(error.to_string()))
                    }
                })?;
            let current = app_only::fetch_token(state, &credentials, now)
                .await
                .map_err(|error| SyncError::Token(RefreshError::AppToken(error)))?;
            let tenant_wide = {
                use secrecy::ExposeSecret as _;
                app_only::read_claims(current.access_token.expose_secret())
                    .is_some_and(|claims| claims.tenant_wide())
            };
            let token = current.access_token.clone();
            let renewal = RefreshedToken::AppOnly {
                state,
                credentials: Box::new(credentials),
                current,
            };
            Ok((token, renewal, tenant_wide))
        }
    }
}

/// The pages of one sync, from where the last one stopped to the delta link.
async fn sync_pages(
    state: &AppState,
    target: &Target,
    holder: &str,
    graph: &mut MailGraph<'_>,
    row: sync_state::Model,
) -> Result<SyncReport, SyncError> {
    let settings = &state.mail;
    let id = target.mailbox_id;
    let mut budget = RunBudget {
        left: settings.attachment_run_budget_bytes,
    };
    let start = |now: DateTime<Utc>| {
        first_url(
            &state.microsoft.graph_url,
            &target.object_id,
            settings.first_sync_since_at(now),
        )
    };
    let mut url = row
        .resume_link
        .or(row.delta_link)
        .unwrap_or_else(|| start(settings.pause.now()));
    let mut resynced = false;
    let mut report = SyncReport::default();
    // The next page, when it was fetched while the one before it was being stored.
    let mut fetched: Option<Result<serde_json::Value, SyncError>> = None;
    loop {
        if !is_graph_link(&url, &state.microsoft.graph_url) {
            return Err(SyncError::Malformed {
                detail: "a next or delta link that does not point at Graph".into(),
                body: Some(url),
            });
        }
        let answer = match fetched.take() {
            Some(answer) => answer,
            // The page size is in every request's `Prefer` header (`GraphClient::preferring`).
            None => graph.get(&url, None).await.map_err(SyncError::from),
        };
        let value = match answer {
            Err(SyncError::Graph(error)) if error.sync_state_gone() && !resynced => {
                tracing::info!(mailbox_id = id, code = %error.code, "delta token gone; resync");
                resynced = true;
                store::forget_links(&state.db, id).await?;
                url = start(settings.pause.now());
                continue;
            }
            other => other?,
        };
        let page =
            parse_page(&value).map_err(|detail| SyncError::Malformed { detail, body: None })?;
        drop(value);
        let run = PageRun {
            holder,
            url: &url,
            budget: &mut budget,
        };
        let prepared = prepare_page(state, graph, target, page, run).await?;
        report.new_messages += prepared.stored_apart;
        let next = prepared.next.clone();
        let counts = match &next {
            // Graph is asked for the next page while this one is stored: one request at a
            // time still, and the page is stored before its link is followed. A failed
            // fetch is handled at the top of the loop, as if it had come after the store;
            // a failed store drops what was fetched.
            NextLink::More(link) if is_graph_link(link, &state.microsoft.graph_url) => {
                let (counts, answer) = tokio::join!(
                    store_prepared(state, target, holder, prepared),
                    graph.get(link, None)
                );
                let answer = answer.map_err(SyncError::from);
                fetched = Some(answer);
                counts?
            }
            _ => store_prepared(state, target, holder, prepared).await?,
        };
        report.pages += 1;
        let before = report.new_messages;
        report.new_messages += counts.new;
        let threshold = settings.analyze_after_new_messages;
        store::analyze_after_bulk(&state.db, threshold, before, report.new_messages).await;
        report.removed += counts.removed;
        report.quarantined += counts.quarantined;
        if settings.is_stopping() && matches!(next, NextLink::More(_)) {
            // The page and its resume link are stored: the next claim goes on from here.
            return Err(SyncError::Stopped);
        }
        match next {
            NextLink::More(next) => url = next,
            NextLink::Done(_) => return Ok(report),
        }
    }
}

/// A page ready to store: its new messages without attachments (marked read on Graph when
/// the mailbox says so), the rows stored before immutable ids that its messages take over,
/// what was skipped, its removals, and where to go on; the messages with attachments are
/// stored already.
struct PreparedPage {
    new: Vec<NewMessage>,
    adopted: Vec<(i32, String)>,
    quarantined: Vec<Quarantined>,
    removed: Vec<String>,
    next: NextLink,
    /// New messages with attachments, each stored on its own while the page was prepared.
    stored_apart: usize,
}

/// Whether Graph said the message is gone (deleted or moved since the page listed it): a
/// 404 that is not one of the mailbox's own (docs/microsoft.md §6), which fail the sync.
fn is_gone(error: &SyncError) -> bool {
    matches!(error, SyncError::Graph(graph) if graph.status == 404
        && !matches!(graph.code.as_str(), "ErrorInvalidUser" | "MailboxNotEnabledForRESTAPI"))
}

/// What preparing a page needs of the sync: the lease holder, the page's own link (the
/// resume link while its messages with attachments are stored) and the attachment bytes
/// the sync may still download.
struct PageRun<'r> {
    holder: &'r str,
    url: &'r str,
    budget: &'r mut RunBudget,
}

/// Marks the page's new messages read when the mailbox says so, and stores each one with
/// attachments on its own as soon as they are fetched: every Graph request the page needs
/// besides itself. A message Graph no longer has (404) is quarantined and skipped; the page
/// goes on.
async fn prepare_page(
    state: &AppState,
    graph: &mut MailGraph<'_>,
    target: &Target,
    page: DeltaPage,
    run: PageRun<'_>,
) -> Result<PreparedPage, SyncError> {
    let DeltaPage {
        messages,
        removed,
        next,
    } = page;
    // Which messages are stored already, asked before the transaction: it saves Graph
    // requests (attachments, marking read), finds the rows stored before immutable ids, and
    // MariaDB cannot skip duplicates itself (no `ON CONFLICT … DO NOTHING` that counts).
    let mut listed = store::sort_listed(&state.db, target.mailbox_id, &messages).await?;
    let mut new = Vec::with_capacity(messages.len());
    let mut adopted = Vec::new();
    let mut quarantined = Vec::new();
    let mut stored_apart = 0;
    // Each id once, the first of the page (a page may list one message twice).
    for message in messages {
        if let Some(row) = listed.adopt.remove(&message.graph_id) {
            adopted.push((row, message.graph_id));
            continue;
        }
        if !listed.new.remove(&message.graph_id) {
            continue;
        }
        if !message.has_attachments {
            new.push(NewMessage {
                message,
                attachments: Vec::new(),
            });
            continue;
        }
        // Stored before the next message's attachments are fetched, with the lease
        // renewed; the page's link stays the resume link, so a sync that stops here
        // fetches the page again and skips what is stored.
        let fetched = fetch_attachments(state, graph, target, &message.graph_id, run.budget).await;
        let attachments = match fetched {
            Ok(attachments) => attachments,
            Err(error) if is_gone(&error) => {
                quarantined.push(Quarantined::of(&message, Reason::Gone, "attachments: 404"));
                continue;
            }
            Err(error) => return Err(error),
        };
        if target.mark_as_read && !message.is_read {
            let url = message_url(state, target, &message.graph_id);
            match graph
                .patch(&url, &json!({ "isRead": true }))
                .await
                .map_err(SyncError::from)
            {
                Ok(_) => {}
                Err(error) if is_gone(&error) => {
                    downloads::discard(&state.db, &attachments).await?;
                    quarantined.push(Quarantined::of(&message, Reason::Gone, "mark as read: 404"));
                    continue;
                }
                Err(error) => {
                    downloads::discard(&state.db, &attachments).await?;
                    return Err(error);
                }
            }
        }
        let alone = PreparedPage {
            new: vec![NewMessage {
                message,
                attachments,
            }],
            adopted: Vec::new(),
            quarantined: Vec::new(),
            removed: Vec::new(),
            next: NextLink::More(run.url.to_string()),
            stored_apart: 0,
        };
        stored_apart += store_prepared(state, target, run.holder, alone).await?.new;
    }
    if target.mark_as_read {
        let mut kept = Vec::with_capacity(new.len());
        for unread in new {
            if !unread.message.is_read {
                let url = message_url(state, target, &unread.message.graph_id);
                match graph
                    .patch(&url, &json!({ "isRead": true }))
                    .await
                    .map_err(SyncError::from)
                {
                    Ok(_) => {}
                    Err(error) if is_gone(&error) => {
                        quarantined.push(Quarantined::of(
                            &unread.message,
                            Reason::Gone,
                            "mark as read: 404",
                        ));
                        continue;
                    }
                    Err(error) => return Err(error),
                }
            }
            kept.push(unread);
        }
        new = kept;
    }
    Ok(PreparedPage {
        new,
        adopted,
        quarantined,
        removed,
        next,
        stored_apart,
    })
}

/// [`store::store_page`] under the lease, renewed for another lease duration.
async fn store_prepared(
    state: &AppState,
    target: &Target,
    holder: &str,
    page: PreparedPage,
) -> Result<store::PageCounts, SyncError> {
    let settings = &state.mail;
    let now = settings.pause.now();
    let to_store = store::PageToStore {
        new: page.new,
        adopted: page.adopted,
        quarantined: page.quarantined,
        removed: &page.removed,
        next: &page.next,
    };
    store::store_page(
        &state.db,
        target.mailbox_id,
        holder,
        to_store,
        now,
        now + settings.lease_duration(),
    )
    .await
}

async fn fetch_attachments(
    state: &AppState,
    graph: &mut MailGraph<'_>,
    target: &Target,
    graph_id: &str,
    run: &mut RunBudget,
) -> Result<Vec<FetchedAttachment>, SyncError> {
    let settings = &state.mail;
    let message = MessageBudget {
        cap: settings.attachment_max_bytes,
        left: settings.attachment_message_budget_bytes,
    };
    let url = message_url(state, target, graph_id);
    let staging = downloads::Staging {
        db: &state.db,
        now: settings.pause.now(),
    };
    downloads::fetch_attachments(
        graph,
        &state.microsoft.graph_url,
        &url,
        message,
        run,
        &staging,
    )
    .await
}

fn message_url(state: &AppState, target: &Target, graph_id: &str) -> String {
    let encode = |v: &str| url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    format!(
        "{}/v1.0/users/{}/messages/{}",
        state.microsoft.graph_url,
        encode(&target.object_id),
        encode(graph_id)
    )
}
