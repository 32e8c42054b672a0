//! A message's attachments as Graph lists them (`GET …/messages/{id}/attachments`), pure:
//! file attachments keep their content up to the cap; the rest is listed with a reason.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::Value;

/// Why an attachment's content is not stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// Larger than `MAIL_ATTACHMENT_MAX_BYTES`.
    TooLarge,
    /// An attached Outlook item (a mail, event or contact), not a file.
    ItemAttachment,
    /// A link to a file in OneDrive or SharePoint.
    ReferenceAttachment,
    /// A file attachment whose content did not decode.
    Unreadable,
    /// Another kind Graph may add.
    Unknown,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::TooLarge => "too_large",
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
    pub content: Option<Vec<u8>>,
    pub skipped: Option<SkipReason>,
}

/// Reads an attachments list, keeping file contents of at most `max_bytes`.
pub fn parse_attachments(list: &Value, max_bytes: u64) -> Vec<FetchedAttachment> {
    list["value"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| parse_one(item, max_bytes))
                .collect()
        })
        .unwrap_or_default()
}

fn parse_one(item: &Value, max_bytes: u64) -> FetchedAttachment {
    let kind = item["@odata.type"].as_str().unwrap_or_default();
    let reported = item["size"].as_i64().unwrap_or(0);
    let skipped = |reason| FetchedAttachment {
        name: item["name"].as_str().unwrap_or("(naamloos)").to_string(),
        content_type: item["contentType"]
            .as_str()
            .unwrap_or("application/octet-stream")
            .to_string(),
        size: reported,
        content: None,
        skipped: Some(reason),
    };
    match kind {
        "#microsoft.graph.fileAttachment" => {}
        "#microsoft.graph.itemAttachment" => return skipped(SkipReason::ItemAttachment),
        "#microsoft.graph.referenceAttachment" => return skipped(SkipReason::ReferenceAttachment),
        _ => return skipped(SkipReason::Unknown),
    }
    if u64::try_from(reported).unwrap_or(0) > max_bytes {
        return skipped(SkipReason::TooLarge);
    }
    let Some(content) = item["contentBytes"]
        .as_str()
        .and_then(|b64| STANDARD.decode(b64).ok())
    else {
        return skipped(SkipReason::Unreadable);
    };
    if u64::try_from(content.len()).unwrap_or(u64::MAX) > max_bytes {
        return skipped(SkipReason::TooLarge);
    }
    FetchedAttachment {
        size: reported.max(i64::try_from(content.len()).unwrap_or(i64::MAX)),
        content: Some(content),
        skipped: None,
        ..skipped(SkipReason::Unknown)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn files_are_kept_up_to_the_cap_and_the_rest_listed() {
        let list = json!({"value": [
            {"@odata.type": "#microsoft.graph.fileAttachment", "name": "a.csv",
             "contentType": "text/csv", "size": 5, "contentBytes": STANDARD.encode("hallo")},
            {"@odata.type": "#microsoft.graph.fileAttachment", "name": "big.pdf",
             "contentType": "application/pdf", "size": 2000, "contentBytes": STANDARD.encode([0u8; 2000])},
            {"@odata.type": "#microsoft.graph.itemAttachment", "name": "Doorgestuurd", "size": 10},
            {"@odata.type": "#microsoft.graph.referenceAttachment", "name": "map", "size": 1}
        ]});
        let parsed = parse_attachments(&list, 1000);
        assert_eq!(parsed[0].content.as_deref(), Some(&b"hallo"[..]));
        assert_eq!(parsed[0].skipped, None);
        assert_eq!(parsed[1].skipped, Some(SkipReason::TooLarge));
        assert_eq!((parsed[1].size, parsed[1].content.is_none()), (2000, true));
        assert_eq!(parsed[2].skipped, Some(SkipReason::ItemAttachment));
        assert_eq!(parsed[3].skipped, Some(SkipReason::ReferenceAttachment));
        assert_eq!(SkipReason::TooLarge.as_str(), "too_large");
    }
}
