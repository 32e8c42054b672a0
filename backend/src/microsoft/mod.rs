//! Adapters for Microsoft: [`identity`] (the identity platform: authorization URLs, the
//! token endpoint, discovery, ID tokens).

pub mod identity;
