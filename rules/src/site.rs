//! What every page needs to know about this installation.

use serde::{Deserialize, Serialize};

/// Installation facts for the page shell.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    /// True when `MICROSOFT_LOGIN_URL`/`MICROSOFT_GRAPH_URL` point anywhere but Microsoft.
    pub talks_to_fake_microsoft: bool,
    /// Active mailboxes whose connection needs an admin (Opnieuw verbinden nodig, Fout):
    /// the menu marks Mailboxen when there are any.
    pub mailboxes_needing_attention: u32,
}

/// The sign-in page's hint in demo mode: the account `make run` creates. The password is
/// shown only when it is the one the README publishes for the demo, never one an operator
/// chose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub email: String,
    pub password: Option<String>,
}
