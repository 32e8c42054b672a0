//! "Microsoft 365 koppelen", the guided setup (issue 19): its records (`store`) and the
//! checks each step runs against Microsoft (`checks`). The use cases behind the page are in
//! `flows::setup`.

pub mod checks;
pub mod store;
