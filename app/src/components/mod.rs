//! Building blocks shared by the pages.

pub mod browser;
mod layout;

pub use layout::{ChangeOnly, CurrentUser, DemoBanner, PageShell};
