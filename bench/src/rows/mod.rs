//! The rows of the table: 1, 2 and 6 against a server process (`served`, with `weight`
//! and `footprint`), 3 and 4 in process against the fake Microsoft, 5 waiting for the mail
//! sync, 7 waiting for a sync of messages with large attachments, 8 flooding the release
//! server with sign-ins, 9 through nginx (`nginx`), 10 fetching over IMAP from Dovecot (`imap`).

pub mod attachments;
pub mod callback;
pub mod footprint;
pub mod imap;
pub mod nginx;
pub mod refresh;
pub mod served;
pub mod sign_in;
pub mod sync;
pub mod weight;
