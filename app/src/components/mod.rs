//! Building blocks shared by the pages.

mod layout;

pub use layout::{ChangeOnly, CurrentUser, PageShell};
