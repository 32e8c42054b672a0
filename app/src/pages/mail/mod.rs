//! The mail views (issue 8): `/instellingen/mailboxen/{id}/berichten` (the fetched
//! messages, newest first, paged), `/…/berichten/{message_id}` (one message with its
//! attachments), the "Mail" section of the mailbox page and the mail columns of the list.

mod list;
mod message;
mod problem;
mod section;

pub use list::MessagesPage;
pub use message::MessagePage;
pub use section::{load_status, MailSection};

/// The mailbox id of a page's `:id` segment.
fn mailbox_id(segment: Option<String>) -> Option<i32> {
    crate::mailbox_form::MailboxTarget::from_segment(&segment?)?.id()
}
