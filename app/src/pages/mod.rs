//! One module per screen.

mod mailbox;
mod mailboxes;
mod not_found;

pub use mailbox::MailboxPage;
pub use mailboxes::MailboxesPage;
pub use not_found::NotFoundPage;
