//! `/instellingen/mailboxen/{id}/berichten/{message_id}`: one message with its headers, its
//! body and its attachments (a download link, or why it was not stored).
//!
//! An HTML body was made safe when it was fetched; it is shown in a sandboxed frame all
//! the same (no scripts, no forms, an origin of its own), so a gap in that cleaning still
//! cannot run anything on this site.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::mail::get_mail_message;
use crate::components::{shown, Time};
use rules::i18n::{Lang, MailMsg, Msg};
use rules::mail::{human_size, messages_path, AttachmentRow, MessageDetail};

#[component]
pub fn MessagePage() -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let params = use_params_map();
    let data = Resource::new(
        move || {
            params.with(|p| {
                let id = super::mailbox_id(p.get("id"));
                let message_id = p.get("message_id").and_then(|m| m.parse::<i32>().ok());
                id.zip(message_id)
            })
        },
        |ids| async move {
            match ids {
                Some((id, message_id)) => get_mail_message(id, message_id).await,
                None => Ok(None),
            }
        },
    );
    let title = Msg::Mail(MailMsg::MessageTitle);
    view! {
        <Suspense fallback=move || view! { <p class="muted">{Msg::Loading.text(lang)}</p> }>
            {move || Suspend::new(async move {
                super::loaded(data.await, title, lang, |message| view! { <Message message lang/> })
            })}
        </Suspense>
    }
}

#[component]
fn Message(message: MessageDetail, lang: Lang) -> impl IntoView {
    let t = move |msg: MailMsg| msg.text(lang);
    let subject = if message.subject.trim().is_empty() {
        t(MailMsg::NoSubject).to_string()
    } else {
        message.subject.clone()
    };
    let headers: Vec<(MailMsg, String, &'static str)> = [
        (MailMsg::ColFrom, Some(message.from.clone()), "message-from"),
        (MailMsg::To, Some(message.to.join(", ")), "message-to"),
        (
            MailMsg::Cc,
            Some(message.cc.join(", ")).filter(|cc| !cc.is_empty()),
            "message-cc",
        ),
        (MailMsg::ColSubject, Some(subject), "message-subject"),
    ]
    .into_iter()
    .filter_map(|(label, value, testid)| value.map(|value| (label, value, testid)))
    .collect();
    let body = if message.body_is_html {
        view! {
            // No `allow-*` tokens: no scripts, forms, pop-ups or same-origin access.
            <iframe class="mail-body mail-body--html" sandbox="" srcdoc=message.body.clone()
                title=t(MailMsg::BodyFrameTitle) data-testid="message-body"></iframe>
        }
        .into_any()
    } else {
        view! { <pre class="mail-body" data-testid="message-body">{message.body.clone()}</pre> }
            .into_any()
    };
    view! {
        <p><a href=messages_path(message.mailbox_id) data-testid="back-to-messages">
            {t(MailMsg::BackToMessages)} " (" {message.mailbox_name.clone()} ")"
        </a></p>
        {message.removed.then(|| view! {
            <p class="alert alert--warn" role="status" data-testid="message-removed">{t(MailMsg::Removed)}</p>
        })}
        <dl class="diagnostics message-headers" data-testid="message-headers">
            {headers.into_iter().map(|(label, value, testid)| view! {
                <dt>{label.text(lang)}</dt><dd data-testid=testid>{value}</dd>
            }).collect_view()}
            <dt>{t(MailMsg::ColReceived)}</dt>
            <dd data-testid="message-received"><Time shown=shown(&message.received_at)/></dd>
        </dl>
        <section aria-labelledby="message-body-title">
            <h2 id="message-body-title">{t(MailMsg::Body)}</h2>
            {body}
        </section>
        <Attachments attachments=message.attachments.clone() lang/>
    }
    .into_any()
}

#[component]
fn Attachments(attachments: Vec<AttachmentRow>, lang: Lang) -> impl IntoView {
    let t = move |msg: MailMsg| msg.text(lang);
    view! {
        <section aria-labelledby="attachments-title" data-testid="attachments">
            <h2 id="attachments-title">{t(MailMsg::Attachments)}</h2>
            {if attachments.is_empty() {
                view! { <p class="muted" data-testid="no-attachments">{t(MailMsg::NoAttachments)}</p> }.into_any()
            } else {
                view! {
                    <ul class="attachments">
                        {attachments.into_iter().map(|a| view! { <Attachment attachment=a lang/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Attachment(attachment: AttachmentRow, lang: Lang) -> impl IntoView {
    let t = move |msg: MailMsg| msg.text(lang);
    let size = human_size(attachment.size);
    let reason = attachment
        .skipped_reason
        .as_deref()
        .map(|reason| skip_reason(reason).map_or_else(|| reason.to_string(), |m| t(m).to_string()));
    view! {
        <li data-testid="attachment" data-name=attachment.name.clone()>
            {match attachment.download_path {
                Some(path) => view! {
                    <a href=path download=attachment.name.clone() rel="external" data-testid="attachment-download">
                        {attachment.name.clone()}
                    </a>
                }.into_any(),
                None => view! { <span>{attachment.name.clone()}</span> }.into_any(),
            }}
            " " <span class="muted">"(" {size} ", " {attachment.content_type.clone()} ")"</span>
            {reason.map(|reason| view! {
                " — " <span data-testid="attachment-skipped">{t(MailMsg::NotStored)} ": " {reason}</span>
            })}
        </li>
    }
}

/// The words for a stored skip reason; an unknown reason is shown as stored.
fn skip_reason(reason: &str) -> Option<MailMsg> {
    Some(match reason {
        "too_large" => MailMsg::SkippedTooLarge,
        "item_attachment" => MailMsg::SkippedItem,
        "reference_attachment" => MailMsg::SkippedReference,
        "message_budget" => MailMsg::SkippedMessageBudget,
        "run_budget" => MailMsg::SkippedRunBudget,
        "unreadable" => MailMsg::SkippedUnreadable,
        _ => return None,
    })
}
