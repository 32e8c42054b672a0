//! One module per screen.

mod app_registrations;
mod mail;
mod mailbox;
mod mailboxes;
mod not_found;
mod sign_in;

pub use app_registrations::AppRegistrationsPage;
pub use mail::{MessagePage, MessagesPage};
pub use mailbox::MailboxPage;
pub use mailboxes::MailboxesPage;
pub use not_found::NotFoundPage;
pub use sign_in::SignInPage;
