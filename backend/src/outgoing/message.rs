//! The `sendMail` request body (docs/microsoft.md §6): recipients, body, file attachments inline
//! as base64 up to 3 MB. Pure: a too-large attachment is refused here, before any token is
//! fetched, never left out silently.

use base64::Engine;
use serde_json::{json, Value};

/// Graph takes file attachments up to 3 MB inline; larger ones need an upload session.
pub const MAX_INLINE_ATTACHMENT: usize = 3 * 1024 * 1024;
/// The whole request must stay under Graph's 4 MB: base64 makes 3 MB into 4.
pub const MAX_INLINE_TOTAL: usize = MAX_INLINE_ATTACHMENT;

/// A message to send as a mailbox.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutgoingMail {
    /// Addresses, already validated.
    pub to: Vec<String>,
    pub subject: String,
    pub body: OutgoingBody,
    pub attachments: Vec<OutgoingAttachment>,
}

/// The message body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutgoingBody {
    Text(String),
    Html(String),
}

impl Default for OutgoingBody {
    fn default() -> Self {
        OutgoingBody::Text(String::new())
    }
}

/// A file to attach.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingAttachment {
    pub name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

impl std::fmt::Debug for OutgoingAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingAttachment")
            .field("name", &self.name)
            .field("content_type", &self.content_type)
            .field("size", &self.content.len())
            .finish()
    }
}

/// Why a message cannot be sent as it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MessageProblem {
    #[error(
        "attachment '{name}' is {size} bytes; at most {MAX_INLINE_ATTACHMENT} can be sent inline"
    )]
    AttachmentTooLarge { name: String, size: usize },
    #[error(
        "the attachments are {total} bytes together; at most {MAX_INLINE_TOTAL} can be sent inline"
    )]
    AttachmentsTooLarge { total: usize },
    #[error("the message has no recipient")]
    NoRecipients,
}

/// `{"message": {…}, "saveToSentItems": true}` for `mail`.
pub fn send_mail_body(mail: &OutgoingMail) -> Result<Value, MessageProblem> {
    if mail.to.is_empty() {
        return Err(MessageProblem::NoRecipients);
    }
    check_sizes(&mail.attachments)?;
    let (content_type, content) = match &mail.body {
        OutgoingBody::Text(text) => ("Text", text),
        OutgoingBody::Html(html) => ("HTML", html),
    };
    let recipients: Vec<Value> = mail
        .to
        .iter()
        .map(|address| json!({"emailAddress": {"address": address}}))
        .collect();
    let attachments: Vec<Value> = mail
        .attachments
        .iter()
        .map(|file| {
            json!({
                "@odata.type": "#microsoft.graph.fileAttachment",
                "name": file.name,
                "contentType": file.content_type,
                "contentBytes": base64::engine::general_purpose::STANDARD.encode(&file.content),
            })
        })
        .collect();
    let mut message = json!({
        "subject": mail.subject,
        "body": {"contentType": content_type, "content": content},
        "toRecipients": recipients,
    });
    if !attachments.is_empty() {
        message["attachments"] = Value::Array(attachments);
    }
    Ok(json!({"message": message, "saveToSentItems": true}))
}

fn check_sizes(attachments: &[OutgoingAttachment]) -> Result<(), MessageProblem> {
    if let Some(large) = attachments
        .iter()
        .find(|file| file.content.len() > MAX_INLINE_ATTACHMENT)
    {
        return Err(MessageProblem::AttachmentTooLarge {
            name: large.name.clone(),
            size: large.content.len(),
        });
    }
    let total: usize = attachments.iter().map(|file| file.content.len()).sum();
    if total > MAX_INLINE_TOTAL {
        return Err(MessageProblem::AttachmentsTooLarge { total });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(attachments: Vec<OutgoingAttachment>) -> OutgoingMail {
        OutgoingMail {
            to: vec!["leden@example.org".into()],
            subject: "Welkom".into(),
            body: OutgoingBody::Text("Hallo".into()),
            attachments,
        }
    }

    fn file(name: &str, size: usize) -> OutgoingAttachment {
        OutgoingAttachment {
            name: name.into(),
            content_type: "text/plain".into(),
            content: vec![b'a'; size],
        }
    }

    #[test]
    fn the_body_graph_expects() {
        let body = send_mail_body(&mail(vec![file("a.txt", 5)])).unwrap_or_default();
        assert_eq!(body["saveToSentItems"], true);
        let message = &body["message"];
        assert_eq!(message["subject"], "Welkom");
        assert_eq!(message["body"]["contentType"], "Text");
        assert_eq!(
            message["toRecipients"][0]["emailAddress"]["address"],
            "leden@example.org"
        );
        let attachment = &message["attachments"][0];
        assert_eq!(attachment["@odata.type"], "#microsoft.graph.fileAttachment");
        assert_eq!(attachment["contentBytes"], "YWFhYWE=");
    }

    #[test]
    fn three_megabytes_inline_and_no_more() {
        assert!(send_mail_body(&mail(vec![file("ok.bin", MAX_INLINE_ATTACHMENT)])).is_ok());
        assert_eq!(
            send_mail_body(&mail(vec![file("groot.pdf", MAX_INLINE_ATTACHMENT + 1)])),
            Err(MessageProblem::AttachmentTooLarge {
                name: "groot.pdf".into(),
                size: MAX_INLINE_ATTACHMENT + 1
            })
        );
        let half = MAX_INLINE_ATTACHMENT / 2 + 1;
        assert_eq!(
            send_mail_body(&mail(vec![file("a", half), file("b", half)])),
            Err(MessageProblem::AttachmentsTooLarge { total: 2 * half })
        );
    }

    #[test]
    fn a_message_needs_a_recipient() {
        let mut nobody = mail(Vec::new());
        nobody.to.clear();
        assert_eq!(send_mail_body(&nobody), Err(MessageProblem::NoRecipients));
    }

    #[test]
    fn debug_output_leaves_the_content_out() {
        let shown = format!("{:?}", file("a.txt", 3));
        assert!(
            shown.contains("size: 3") && !shown.contains("[97"),
            "{shown}"
        );
    }
}
