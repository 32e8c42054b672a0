//! A message fetched over IMAP, pure: its raw RFC 5322 bytes parsed (mail-parser) into what
//! the store keeps — the same [`IncomingMessage`] and attachments as a Graph message — with
//! the attachments' contents kept only within the cap and the byte budgets, like Graph's.
//! A message that does not parse as MIME is kept with its raw text as the body: nothing is
//! lost.

use chrono::{DateTime, Utc};
use mail_parser::{Address, MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

use super::attachments::{FetchedAttachment, MessageBudget, Plan, RunBudget, SkipReason};
use super::content::Content;
use super::delta::{message_key, IncomingMessage};

/// What the IMAP server said about the message besides its bytes.
#[derive(Clone, Debug)]
pub struct Envelope {
    /// The duplicate key (`imap:{folder}:{uidvalidity}:{uid}`).
    pub key: String,
    /// The server's INTERNALDATE (when it received the message).
    pub internal_date: Option<DateTime<Utc>>,
    /// Flag `\Seen`.
    pub seen: bool,
}

/// The raw text a message without MIME structure is kept as, at most this long.
const RAW_BODY_MAX: usize = 1024 * 1024;

/// Parses `raw` into the message and its attachments, spending `message` and `run`.
pub fn parse(
    raw: &[u8],
    envelope: Envelope,
    mut message: MessageBudget,
    run: &mut RunBudget,
) -> (IncomingMessage, Vec<FetchedAttachment>) {
    let Some(parsed) = MessageParser::default().parse(raw) else {
        return (unparsed(raw, envelope), Vec::new());
    };
    let sender = parsed.from().and_then(Address::first);
    let mut attachments = Vec::new();
    for part in parsed.attachments() {
        let name = part
            .attachment_name()
            .map(str::to_string)
            .or_else(|| {
                part.message()
                    .and_then(|m| m.subject())
                    .map(|s| format!("{s}.eml"))
            })
            .unwrap_or_else(|| "(naamloos)".to_string());
        let content_type = part
            .content_type()
            .map(|ct| match &ct.c_subtype {
                Some(subtype) => format!("{}/{}", ct.c_type, subtype),
                None => ct.c_type.to_string(),
            })
            .unwrap_or_else(|| "application/octet-stream".to_string());
        let contents = part.contents();
        let size = i64::try_from(contents.len()).unwrap_or(i64::MAX);
        let skipped = match message.plan(size, run) {
            Plan::Skip(reason) => Some(reason),
            Plan::Download { limit, reason } if contents.len() as u64 > limit => Some(reason),
            Plan::Download { .. } => None,
        };
        match skipped {
            Some(reason) => attachments.push(FetchedAttachment {
                name,
                content_type,
                size,
                content: None,
                skipped: Some(reason),
            }),
            None => {
                message.spend(run, contents.len() as u64, true);
                attachments.push(FetchedAttachment {
                    name,
                    content_type,
                    size,
                    content: Some(Content::Bytes(contents.to_vec())),
                    skipped: None,
                });
            }
        }
    }
    // HTML only when the message has an HTML part (the parser also offers text as HTML).
    let html = parsed
        .html_part(0)
        .filter(|part| part.is_text_html())
        .and_then(|_| parsed.body_html(0));
    let (body_content_type, body) = match html {
        Some(html) => ("html", html.into_owned()),
        None => (
            "text",
            parsed
                .body_text(0)
                .map(|text| text.into_owned())
                .unwrap_or_default(),
        ),
    };
    // No text found in a structure that does not hold together: the raw text is kept, so
    // nothing of the message is lost.
    let (body_content_type, body) = if body.trim().is_empty() {
        let cut = &raw[..raw.len().min(RAW_BODY_MAX)];
        ("text", String::from_utf8_lossy(cut).into_owned())
    } else {
        (body_content_type, body)
    };
    let received_at = envelope.internal_date.or_else(|| {
        parsed
            .date()
            .and_then(|date| DateTime::from_timestamp(date.to_timestamp(), 0))
    });
    let incoming = IncomingMessage {
        internet_message_id: message_key(
            // With its angle brackets, as Graph's `internetMessageId` has it.
            Some(
                parsed
                    .message_id()
                    .map_or_else(|| content_key(raw), |id| format!("<{id}>")),
            )
            .as_deref(),
            &envelope.key,
        ),
        graph_id: envelope.key,
        from_address: sender
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_string(),
        from_name: sender.and_then(|a| a.name()).map(str::to_string),
        to: addresses(parsed.to()),
        cc: addresses(parsed.cc()),
        subject: parsed.subject().unwrap_or_default().to_string(),
        received_at,
        is_read: envelope.seen,
        body_content_type: body_content_type.to_string(),
        body,
        has_attachments: !attachments.is_empty(),
    };
    (incoming, attachments)
}

/// A message kept as its raw text (the parser found no message in it).
fn unparsed(raw: &[u8], envelope: Envelope) -> IncomingMessage {
    let cut = &raw[..raw.len().min(RAW_BODY_MAX)];
    IncomingMessage {
        internet_message_id: content_key(raw),
        graph_id: envelope.key,
        from_address: String::new(),
        from_name: None,
        to: Vec::new(),
        cc: Vec::new(),
        subject: String::new(),
        received_at: envelope.internal_date,
        is_read: envelope.seen,
        body_content_type: "text".into(),
        body: String::from_utf8_lossy(cut).into_owned(),
        has_attachments: false,
    }
}

/// A message without a Message-ID is known by its content: the same message, renumbered by
/// the server (a new `UIDVALIDITY`), is then recognised.
fn content_key(raw: &[u8]) -> String {
    let digest = Sha256::digest(raw);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// "Name <address>" (or the address alone) of each address.
fn addresses(list: Option<&Address<'_>>) -> Vec<String> {
    let Some(list) = list else {
        return Vec::new();
    };
    list.iter()
        .map(|a| match (a.name(), a.address()) {
            (Some(name), Some(address)) => format!("{name} <{address}>"),
            (None, Some(address)) => address.to_string(),
            (Some(name), None) => name.to_string(),
            (None, None) => String::new(),
        })
        .filter(|a| !a.is_empty())
        .collect()
}

/// The listing of a message too large to fetch whole: its headers are stored, and the
/// message itself listed as a skipped attachment with its size.
pub fn too_large(size: u64) -> FetchedAttachment {
    FetchedAttachment {
        name: "(bericht te groot)".into(),
        content_type: "message/rfc822".into(),
        size: i64::try_from(size).unwrap_or(i64::MAX),
        content: None,
        skipped: Some(SkipReason::MessageBudget),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope() -> Envelope {
        Envelope {
            key: "imap:INBOX:1:7".into(),
            internal_date: None,
            seen: false,
        }
    }

    fn budgets() -> (MessageBudget, RunBudget) {
        (
            MessageBudget { cap: 10, left: 100 },
            RunBudget { left: 1000 },
        )
    }

    #[test]
    fn a_message_with_an_attachment_over_the_cap() {
        let raw = b"From: Alice <alice@example.test>\r\nTo: bob@example.test\r\nSubject: Hoi\r\n\
Message-ID: <m1@example.test>\r\nDate: Fri, 4 Dec 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nTekst\r\n\
--b\r\nContent-Type: text/csv; name=a.csv\r\nContent-Disposition: attachment; filename=a.csv\r\n\r\n\
1234\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=big.pdf\r\n\
Content-Transfer-Encoding: base64\r\n\r\nQUJDREVGR0hJSktMTU5PUA==\r\n--b--\r\n";
        let (message, mut run) = budgets();
        let (incoming, files) = parse(raw, envelope(), message, &mut run);
        assert_eq!(incoming.internet_message_id, "<m1@example.test>");
        assert_eq!(incoming.from_address, "alice@example.test");
        assert_eq!(incoming.from_name.as_deref(), Some("Alice"));
        assert_eq!(incoming.subject, "Hoi");
        assert_eq!(incoming.body.trim(), "Tekst");
        assert!(
            incoming.received_at.is_some(),
            "the Date header without INTERNALDATE"
        );
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].content, Some(Content::Bytes(b"1234".to_vec())));
        assert_eq!(files[1].skipped, Some(SkipReason::TooLarge));
        assert_eq!(files[1].size, 16);
        assert_eq!(run.left, 996);
    }

    #[test]
    fn malformed_mime_keeps_its_text() {
        let raw = b"Subject: kapot\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nhalf";
        let (message, mut run) = budgets();
        let (incoming, _) = parse(raw, envelope(), message, &mut run);
        assert_eq!(incoming.subject, "kapot");
        assert!(incoming.body.contains("half"), "{}", incoming.body);
        assert!(incoming.internet_message_id.starts_with("sha256:"));
        let (empty, _) = parse(b"", envelope(), message, &mut run);
        assert_eq!(empty.graph_id, "imap:INBOX:1:7");
    }
}
