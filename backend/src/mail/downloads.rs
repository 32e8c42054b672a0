//! Fetching one message's attachments: the list as metadata only, then each file's content
//! one by one from `…/attachments/{id}/$value`, streamed into staged chunks in the database
//! as it arrives ([`super::content`]) under a hard limit (the cap, what the message may
//! still take, what the sync may still download). What is over a limit is listed as skipped
//! with its size; no more than one chunk of a file is ever in memory.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use super::attachments::{
    parse_list, FetchedAttachment, MessageBudget, Plan, RunBudget, SkipReason, LIST_SELECT,
};
use super::content::{self, Content, Stager};
use super::delta::is_graph_link;
use super::error::SyncError;
use crate::connect::RefreshError;
use crate::microsoft::graph::{GraphClient, GraphFailure, Renew};

/// Graph lists a message's attachments in pages this long at most; more pages than this
/// are not followed (a message has far fewer attachments).
const MAX_LIST_PAGES: usize = 20;

/// A download whose body breaks off is asked for again this often in all: the answer had
/// started, so Graph has the file; the network failed.
const BODY_TRIES: u32 = 3;

/// Where a download goes, and when it was started.
pub struct Staging<'c, C> {
    pub db: &'c C,
    pub now: DateTime<Utc>,
}

/// The attachments of the message at `message_url` (`{graph}/v1.0/users/{id}/messages/{id}`),
/// their contents within `message` and `run`, staged in `staging`'s database.
pub async fn fetch_attachments<R: Renew<Error = RefreshError>, C: ConnectionTrait>(
    graph: &mut GraphClient<'_, R>,
    graph_url: &str,
    message_url: &str,
    mut message: MessageBudget,
    run: &mut RunBudget,
    staging: &Staging<'_, C>,
) -> Result<Vec<FetchedAttachment>, SyncError> {
    let mut fetched = Vec::new();
    let result = fetch_into(
        graph,
        graph_url,
        message_url,
        &mut message,
        run,
        staging,
        &mut fetched,
    )
    .await;
    if result.is_err() {
        // What was staged for this message is no one's now.
        discard(staging.db, &fetched).await?;
    }
    result.map(|()| fetched)
}

async fn fetch_into<R: Renew<Error = RefreshError>, C: ConnectionTrait>(
    graph: &mut GraphClient<'_, R>,
    graph_url: &str,
    message_url: &str,
    message: &mut MessageBudget,
    run: &mut RunBudget,
    staging: &Staging<'_, C>,
    fetched: &mut Vec<FetchedAttachment>,
) -> Result<(), SyncError> {
    let mut next = Some(format!("{message_url}/attachments?$select={LIST_SELECT}"));
    for _ in 0..MAX_LIST_PAGES {
        let Some(url) = next.take() else { break };
        let list = graph.get(&url, None).await?;
        let (listed, more) = parse_list(&list);
        drop(list);
        next = more.filter(|link| is_graph_link(link, graph_url));
        for item in listed {
            if let Some(reason) = item.not_a_file {
                fetched.push(item.skipped(reason));
                continue;
            }
            let (limit, reason) = match message.plan(item.size, run) {
                Plan::Skip(reason) => {
                    fetched.push(item.skipped(reason));
                    continue;
                }
                Plan::Download { limit, reason } => (limit, reason),
            };
            let url = format!("{message_url}/attachments/{}/$value", encode(&item.id));
            match download(graph, &url, limit, staging).await {
                Ok(Downloaded::Complete(content)) => {
                    message.spend(run, content.len(), true);
                    fetched.push(item.with_content(content));
                }
                Ok(Downloaded::OverLimit { read }) => {
                    message.spend(run, read, false);
                    // Larger than it said: at least what was read, at least what it said.
                    let size = i64::try_from(read).unwrap_or(i64::MAX).max(item.size);
                    fetched.push(item.skipped_at(reason, size));
                }
                // Removed between the list and the download: listed, not stored.
                Err(SyncError::Graph(error)) if is_not_found(&error) => {
                    fetched.push(item.skipped(SkipReason::Unreadable));
                }
                Err(error) => return Err(error),
            }
        }
    }
    Ok(())
}

/// What a download got.
#[derive(Debug)]
enum Downloaded {
    /// The whole content, within the limit, staged.
    Complete(Content),
    /// More than the limit: reading stopped after `read` bytes (more than the limit, or
    /// none when the announced length already said so), and what was staged is deleted.
    OverLimit { read: u64 },
}

/// Streams `url`'s content into staged chunks, never reading more than `limit` bytes.
async fn download<R: Renew<Error = RefreshError>, C: ConnectionTrait>(
    graph: &mut GraphClient<'_, R>,
    url: &str,
    limit: u64,
    staging: &Staging<'_, C>,
) -> Result<Downloaded, SyncError> {
    let mut tries = 0;
    loop {
        tries += 1;
        let mut response = graph.open(url).await?;
        if response
            .content_length()
            .is_some_and(|length| length > limit)
        {
            return Ok(Downloaded::OverLimit { read: 0 });
        }
        let mut stager = Stager::new(staging.db, staging.now);
        let mut read = 0u64;
        let broken = loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    read += chunk.len() as u64;
                    if read > limit {
                        stager.discard().await?;
                        return Ok(Downloaded::OverLimit { read });
                    }
                    if let Err(error) = stager.push(&chunk).await {
                        stager.discard().await?;
                        return Err(error.into());
                    }
                }
                Ok(None) => return Ok(Downloaded::Complete(stager.finish().await?)),
                Err(error) => break error,
            }
        };
        stager.discard().await?;
        if tries >= BODY_TRIES {
            return Err(GraphFailure::NoAnswer {
                error: broken,
                may_have_arrived: true,
            }
            .into());
        }
        tracing::info!(tries, error = %broken, "an attachment's download broke off; asking again");
    }
}

/// Deletes the staged content of `fetched` (their message will not be stored).
pub async fn discard(
    db: &impl ConnectionTrait,
    fetched: &[FetchedAttachment],
) -> Result<(), DbErr> {
    for file in fetched {
        if let Some(Content::Staged { key, .. }) = &file.content {
            content::discard(db, key).await?;
        }
    }
    Ok(())
}

fn is_not_found(error: &crate::microsoft::graph::GraphError) -> bool {
    error.status == 404
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
