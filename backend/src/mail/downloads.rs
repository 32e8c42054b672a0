//! Fetching one message's attachments: the list as metadata only, then each file's content
//! one by one from `…/attachments/{id}/$value`, read as it streams in under a hard limit
//! (the cap, what the message may still take, what the sync may still download). What is
//! over a limit is listed as skipped with its size, and the content is never in memory
//! beyond that limit.

use super::attachments::{
    parse_list, FetchedAttachment, MessageBudget, Plan, RunBudget, SkipReason, LIST_SELECT,
};
use super::delta::is_graph_link;
use super::error::SyncError;
use crate::connect::RefreshError;
use crate::microsoft::graph::{Download, GraphClient, GraphFailure, Renew};

/// Graph lists a message's attachments in pages this long at most; more pages than this
/// are not followed (a message has far fewer attachments).
const MAX_LIST_PAGES: usize = 20;

/// The attachments of the message at `message_url` (`{graph}/v1.0/users/{id}/messages/{id}`),
/// their contents within `message` and `run`.
pub async fn fetch_attachments<R: Renew<Error = RefreshError>>(
    graph: &mut GraphClient<'_, R>,
    graph_url: &str,
    message_url: &str,
    mut message: MessageBudget,
    run: &mut RunBudget,
) -> Result<Vec<FetchedAttachment>, SyncError> {
    let mut fetched = Vec::new();
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
            match graph.download(&url, limit).await {
                Ok(Download::Complete(content)) => {
                    message.spend(run, content.len() as u64, true);
                    fetched.push(item.with_content(content));
                }
                Ok(Download::OverLimit { read }) => {
                    message.spend(run, read, false);
                    // Larger than it said: at least what was read, at least what it said.
                    let size = i64::try_from(read).unwrap_or(i64::MAX).max(item.size);
                    fetched.push(item.skipped_at(reason, size));
                }
                // Removed between the list and the download: listed, not stored.
                Err(GraphFailure::Answered(error)) if error.status == 404 => {
                    fetched.push(item.skipped(SkipReason::Unreadable));
                }
                Err(failure) => return Err(failure.into()),
            }
        }
    }
    Ok(fetched)
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
