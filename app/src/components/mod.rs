//! Building blocks shared by the pages.

pub mod browser;
mod layout;
mod time;

pub use layout::{ChangeOnly, CurrentUser, DemoBanner, PageShell};
pub use time::{clock, shown, Time};
