//! One module per screen.

mod mailboxes;
mod not_found;

pub use mailboxes::MailboxesPage;
pub use not_found::NotFoundPage;
