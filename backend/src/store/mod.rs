//! Database helpers shared by several stores.

pub mod lease;
