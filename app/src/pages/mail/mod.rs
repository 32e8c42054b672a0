//! The mail views (issue 8): `/instellingen/mailboxen/{id}/berichten` (the fetched
//! messages, newest first, paged), `/…/berichten/{message_id}` (one message with its
//! attachments), the "Mail" section of the mailbox page and the mail columns of the list.

mod fetch;
mod list;
mod message;
mod problem;
mod section;

pub use list::MessagesPage;
pub use message::MessagePage;
pub use section::{load_status, MailSection};

use leptos::prelude::*;

use crate::components::PageShell;
use crate::pages::NotFoundPage;
use rules::i18n::{Lang, MailMsg, Msg};

/// A mail page once its data has loaded: the content, a 404 for a mailbox or message that
/// does not exist, or the reason it could not be loaded.
fn loaded<T, V: IntoView + 'static>(
    data: Result<Option<T>, ServerFnError>,
    title: Msg,
    lang: Lang,
    content: impl FnOnce(T) -> V,
) -> AnyView {
    match data {
        Ok(Some(data)) => {
            let content = content(data);
            view! { <PageShell title crumb=title>{content}</PageShell> }.into_any()
        }
        Ok(None) => view! { <NotFoundPage/> }.into_any(),
        Err(_) => view! {
            <PageShell title crumb=title>
                <p class="alert alert--error" role="alert">{MailMsg::LoadFailed.text(lang)}</p>
            </PageShell>
        }
        .into_any(),
    }
}

/// The mailbox id of a page's `:id` segment.
fn mailbox_id(segment: Option<String>) -> Option<i32> {
    rules::mailbox_form::MailboxTarget::from_segment(&segment?)?.id()
}
