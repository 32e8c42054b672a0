//! Adapters for Microsoft: [`graph`] (mail over Microsoft Graph) and [`identity`] (the
//! identity platform: authorization URLs, the token endpoint, discovery, ID tokens).

pub mod graph;
pub mod identity;
