//! `/instellingen/mailboxen/{id}/berichten`: the mailbox's fetched messages, newest first
//! (from, subject, received), paged with plain links (`?pagina=n`).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::mail::list_mail_messages;
use crate::components::{shown, Time};
use rules::i18n::{Counted, Lang, MailMsg, Msg};
use rules::mail::{message_path, messages_path, MessageList, PAGE_PARAM};
use rules::mailbox_form::MailboxTarget;

#[component]
pub fn MessagesPage() -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let id = super::mailbox_id(params.with(|p| p.get("id")));
            let page = query.with(|q| q.get(PAGE_PARAM).and_then(|p| p.parse::<u32>().ok()));
            (id, page.unwrap_or(1))
        },
        |(id, page)| async move {
            match id {
                Some(id) => list_mail_messages(id, page).await,
                None => Ok(None),
            }
        },
    );
    let title = Msg::Mail(MailMsg::MessagesTitle);
    view! {
        <Suspense fallback=move || view! { <p class="muted">{Msg::Loading.text(lang)}</p> }>
            {move || Suspend::new(async move {
                super::loaded(data.await, title, lang, |list| view! { <MessageTable list lang/> })
            })}
        </Suspense>
    }
}

#[component]
fn MessageTable(list: MessageList, lang: Lang) -> impl IntoView {
    let t = move |msg: MailMsg| msg.text(lang);
    let id = list.mailbox_id;
    let rows = if list.messages.is_empty() {
        view! {
            <tr><td colspan="3" class="empty" data-testid="messages-empty">{t(MailMsg::NoMessages)}</td></tr>
        }
        .into_any()
    } else {
        list.messages
            .into_iter()
            .map(|message| {
                let subject = if message.subject.trim().is_empty() {
                    t(MailMsg::NoSubject).to_string()
                } else {
                    message.subject
                };
                view! {
                    <tr data-testid="message-row">
                        <td data-label=t(MailMsg::ColFrom)>{message.from}</td>
                        <td data-label=t(MailMsg::ColSubject)>
                            <a href=message_path(id, message.id) data-testid="message-link">{subject}</a>
                            {message.has_attachments.then(|| view! {
                                " " <span class="muted" data-testid="has-attachments">
                                    "(" {t(MailMsg::HasAttachments)} ")"
                                </span>
                            })}
                        </td>
                        <td data-label=t(MailMsg::ColReceived)>
                            <Time shown=shown(&message.received_at)/>
                        </td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <p class="lead" data-testid="messages-of">
            {t(MailMsg::MessagesOf)} " " <strong>{list.mailbox_name}</strong>
            " (" {list.mailbox_email} ") — " {Counted::Messages.text(list.total, lang)}
        </p>
        <p><a href=MailboxTarget::Existing(id).path() data-testid="back-to-mailbox">{t(MailMsg::BackToMailbox)}</a></p>
        <div class="table-wrap">
            <table class="table" data-testid="messages-table">
                <thead>
                    <tr>
                        <th scope="col">{t(MailMsg::ColFrom)}</th>
                        <th scope="col">{t(MailMsg::ColSubject)}</th>
                        <th scope="col">{t(MailMsg::ColReceived)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager id page=list.page pages=list.pages lang/>
    }
    .into_any()
}

/// "Vorige" / "Pagina 2 van 5" / "Volgende", as plain links.
#[component]
fn Pager(id: i32, page: u32, pages: u32, lang: Lang) -> impl IntoView {
    let t = move |msg: MailMsg| msg.text(lang);
    let link = move |to: u32| format!("{}?{PAGE_PARAM}={to}", messages_path(id));
    (pages > 1).then(|| view! {
        <nav class="pager" aria-label=t(MailMsg::Pages) data-testid="pager">
            {(page > 1).then(|| view! {
                <a href=link(page - 1) rel="prev" data-testid="page-previous">{t(MailMsg::Previous)}</a>
            })}
            " " <span>{t(MailMsg::PageOf).replace("{page}", &page.to_string()).replace("{pages}", &pages.to_string())}</span> " "
            {(page < pages).then(|| view! {
                <a href=link(page + 1) rel="next" data-testid="page-next">{t(MailMsg::Next)}</a>
            })}
        </nav>
    })
}
