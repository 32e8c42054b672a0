//! A message's attachments as Graph lists them (`GET …/messages/{id}/attachments` with a
//! `$select` that leaves `contentBytes` out, docs/microsoft.md §6), pure: what each one is,
//! and whether its content may be downloaded within the cap and the byte budgets — decided
//! from the listed size *before* any download. The downloads themselves are in
//! [`super::downloads`].

use serde_json::Value;

use super::content::Content;

/// The properties an attachment list is asked for: metadata only (Graph adds `@odata.type`
/// to each item, as the list holds several kinds).
pub const LIST_SELECT: &str = "id,name,contentType,size,isInline";

/// Why an attachment's content is not stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// Larger than `MAIL_ATTACHMENT_MAX_BYTES` (as listed, or as it turned out).
    TooLarge,
    /// The message's attachments together would exceed `MAIL_ATTACHMENT_MESSAGE_BUDGET_BYTES`.
    MessageBudget,
    /// The sync had downloaded `MAIL_ATTACHMENT_RUN_BUDGET_BYTES` already.
    RunBudget,
    /// An attached Outlook item (a mail, event or contact), not a file.
    ItemAttachment,
    /// A link to a file in OneDrive or SharePoint.
    ReferenceAttachment,
    /// A file attachment whose content could not be fetched (gone by then).
    Unreadable,
    /// Another kind Graph may add.
    Unknown,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::TooLarge => "too_large",
            SkipReason::MessageBudget => "message_budget",
            SkipReason::RunBudget => "run_budget",
            SkipReason::ItemAttachment => "item_attachment",
            SkipReason::ReferenceAttachment => "reference_attachment",
            SkipReason::Unreadable => "unreadable",
            SkipReason::Unknown => "unknown_kind",
        }
    }
}

/// An attachment to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchedAttachment {
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub content: Option<Content>,
    pub skipped: Option<SkipReason>,
}

/// An attachment as listed, without its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedAttachment {
    /// Graph's id, for `…/attachments/{id}/$value`.
    pub id: String,
    pub name: String,
    pub content_type: String,
    /// The size Graph reports (not trusted as a limit: the download has its own).
    pub size: i64,
    /// None for a file; else why it is not downloaded at all.
    pub not_a_file: Option<SkipReason>,
}

impl ListedAttachment {
    /// Listed as skipped, with its listed size.
    pub fn skipped(self, reason: SkipReason) -> FetchedAttachment {
        let size = self.size;
        self.skipped_at(reason, size)
    }

    /// Listed as skipped with the size it turned out to have.
    pub fn skipped_at(self, reason: SkipReason, size: i64) -> FetchedAttachment {
        FetchedAttachment {
            name: self.name,
            content_type: self.content_type,
            size,
            content: None,
            skipped: Some(reason),
        }
    }

    /// Stored with its content.
    pub fn with_content(self, content: Content) -> FetchedAttachment {
        FetchedAttachment {
            name: self.name,
            content_type: self.content_type,
            size: i64::try_from(content.len()).unwrap_or(i64::MAX),
            content: Some(content),
            skipped: None,
        }
    }
}

/// Reads one page of an attachment list: its items and the link to the next page, if any.
pub fn parse_list(list: &Value) -> (Vec<ListedAttachment>, Option<String>) {
    let items = list["value"]
        .as_array()
        .map(|items| items.iter().map(parse_one).collect())
        .unwrap_or_default();
    let next = list["@odata.nextLink"].as_str().map(str::to_string);
    (items, next)
}

fn parse_one(item: &Value) -> ListedAttachment {
    let not_a_file = match item["@odata.type"].as_str().unwrap_or_default() {
        "#microsoft.graph.fileAttachment" => None,
        "#microsoft.graph.itemAttachment" => Some(SkipReason::ItemAttachment),
        "#microsoft.graph.referenceAttachment" => Some(SkipReason::ReferenceAttachment),
        _ => Some(SkipReason::Unknown),
    };
    ListedAttachment {
        id: item["id"].as_str().unwrap_or_default().to_string(),
        name: item["name"].as_str().unwrap_or("(naamloos)").to_string(),
        content_type: item["contentType"]
            .as_str()
            .unwrap_or("application/octet-stream")
            .to_string(),
        size: item["size"].as_i64().unwrap_or(0).max(0),
        not_a_file,
    }
}

/// The bytes one sync may still download (`MAIL_ATTACHMENT_RUN_BUDGET_BYTES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunBudget {
    pub left: u64,
}

/// The limits one message's attachments are fetched under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageBudget {
    /// `MAIL_ATTACHMENT_MAX_BYTES`.
    pub cap: u64,
    /// What the message's attachments may still add.
    pub left: u64,
}

/// What to do with a listed file attachment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Skip it without downloading.
    Skip(SkipReason),
    /// Download at most `limit` bytes; past it, skip it for `reason`.
    Download { limit: u64, reason: SkipReason },
}

impl MessageBudget {
    /// Decides from the listed size, before any download: over the cap, over what the
    /// message or the sync may still take, or a download with a hard limit (the tightest of
    /// the three, so a size that lies costs no more than an honest one).
    pub fn plan(&self, listed_size: i64, run: &RunBudget) -> Plan {
        let size = u64::try_from(listed_size).unwrap_or(0);
        if size > self.cap {
            return Plan::Skip(SkipReason::TooLarge);
        }
        if size > self.left {
            return Plan::Skip(SkipReason::MessageBudget);
        }
        if size > run.left {
            return Plan::Skip(SkipReason::RunBudget);
        }
        let (limit, reason) = [
            (self.cap, SkipReason::TooLarge),
            (self.left, SkipReason::MessageBudget),
            (run.left, SkipReason::RunBudget),
        ]
        .into_iter()
        .min_by_key(|(limit, _)| *limit)
        .unwrap_or((0, SkipReason::TooLarge));
        Plan::Download { limit, reason }
    }

    /// Counts `read` downloaded bytes: against the sync always, against the message when
    /// they are kept.
    pub fn spend(&mut self, run: &mut RunBudget, read: u64, kept: bool) {
        run.left = run.left.saturating_sub(read);
        if kept {
            self.left = self.left.saturating_sub(read);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn lists_are_read_as_metadata_with_their_kinds() {
        let list = json!({"value": [
            {"@odata.type": "#microsoft.graph.fileAttachment", "id": "a1", "name": "a.csv",
             "contentType": "text/csv", "size": 5},
            {"@odata.type": "#microsoft.graph.itemAttachment", "id": "a2", "name": "Doorgestuurd",
             "contentType": null, "size": 10},
            {"@odata.type": "#microsoft.graph.referenceAttachment", "id": "a3", "name": "map", "size": 1},
            {"@odata.type": "#microsoft.graph.somethingNew", "id": "a4", "size": -3}
        ], "@odata.nextLink": "https://graph/next"});
        let (items, next) = parse_list(&list);
        assert_eq!(next.as_deref(), Some("https://graph/next"));
        assert_eq!((items[0].id.as_str(), items[0].size), ("a1", 5));
        assert_eq!(items[0].not_a_file, None);
        assert_eq!(items[1].not_a_file, Some(SkipReason::ItemAttachment));
        assert_eq!(items[1].content_type, "application/octet-stream");
        assert_eq!(items[2].not_a_file, Some(SkipReason::ReferenceAttachment));
        assert_eq!(
            (items[3].not_a_file, items[3].size),
            (Some(SkipReason::Unknown), 0)
        );
        assert_eq!(items[3].name, "(naamloos)");
    }

    #[test]
    fn the_listed_size_decides_before_any_download() {
        let mut run = RunBudget { left: 10_000 };
        let mut message = MessageBudget {
            cap: 1_000,
            left: 1_500,
        };
        assert_eq!(message.plan(2_000, &run), Plan::Skip(SkipReason::TooLarge));
        assert_eq!(
            message.plan(800, &run),
            Plan::Download {
                limit: 1_000,
                reason: SkipReason::TooLarge
            }
        );
        message.spend(&mut run, 800, true);
        assert_eq!(message.left, 700);
        assert_eq!(run.left, 9_200);
        assert_eq!(
            message.plan(900, &run),
            Plan::Skip(SkipReason::MessageBudget)
        );
        // A lying size: downloaded at most up to what the message may still take.
        assert_eq!(
            message.plan(10, &run),
            Plan::Download {
                limit: 700,
                reason: SkipReason::MessageBudget
            }
        );
        // Bytes read and dropped count against the sync, not the message.
        message.spend(&mut run, 701, false);
        assert_eq!((message.left, run.left), (700, 8_499));
        let low = RunBudget { left: 300 };
        assert_eq!(message.plan(400, &low), Plan::Skip(SkipReason::RunBudget));
        assert_eq!(
            message.plan(100, &low),
            Plan::Download {
                limit: 300,
                reason: SkipReason::RunBudget
            }
        );
        assert_eq!(SkipReason::RunBudget.as_str(), "run_budget");
        assert_eq!(SkipReason::MessageBudget.as_str(), "message_budget");
    }
}
