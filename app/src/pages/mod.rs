//! One module per screen.

pub(crate) mod app_registrations;
mod mail;
pub(crate) mod mailbox;
mod mailboxes;
mod not_found;
mod setup;
mod sign_in;

pub use app_registrations::AppRegistrationsPage;
pub use mail::{MessagePage, MessagesPage};
pub use mailbox::MailboxPage;
pub use mailboxes::MailboxesPage;
pub use not_found::NotFoundPage;
pub use setup::{SetupPage, SetupStartPage};
pub use sign_in::SignInPage;
