//! The Wijzigingslog section: who changed which fields of this mailbox, and when.

use leptos::prelude::*;

use crate::api::list_audit_log;
use crate::components::{clock, Time};
use rules::audit_log::{field_label, AuditEntry};
use rules::i18n::{AccessMsg, Lang};
use rules::mailbox_form::MailboxTarget;
use rules::time::Clock;

/// The log of the mailbox page's `segment`; none for a new mailbox.
pub(super) async fn load(segment: String) -> Result<Vec<AuditEntry>, ServerFnError> {
    match MailboxTarget::from_segment(&segment).and_then(MailboxTarget::id) {
        Some(id) => list_audit_log(id).await,
        None => Ok(Vec::new()),
    }
}

/// The Wijzigingslog, refetched with the page after every save.
#[component]
pub(super) fn AuditLog(entries: Resource<Result<Vec<AuditEntry>, ServerFnError>>) -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let t = move |msg: AccessMsg| msg.text(lang);
    let clock = clock();
    view! {
        <section class="audit-log" aria-labelledby="audit-title" data-testid="audit-log">
            <h2 id="audit-title">{t(AccessMsg::AuditTitle)}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(entries) if !entries.is_empty() => view! { <AuditTable entries clock lang/> }.into_any(),
                        _ => view! { <p class="muted">{t(AccessMsg::AuditEmpty)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AuditTable(entries: Vec<AuditEntry>, clock: Clock, lang: Lang) -> impl IntoView {
    let t = move |msg: AccessMsg| msg.text(lang);
    let rows = entries
        .into_iter()
        .map(|entry| {
            let fields = entry
                .fields
                .iter()
                .map(|name| field_label(name).map_or(name.as_str(), |label| label.text(lang)))
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <tr data-testid="audit-entry">
                    <td data-label=t(AccessMsg::AuditWhen)><Time shown=clock.show(entry.recorded_at, lang)/></td>
                    <td data-label=t(AccessMsg::AuditWho)>{entry.user_email.clone()}</td>
                    <td data-label=t(AccessMsg::AuditWhat)>{entry.action.label().text(lang)}</td>
                    <td data-label=t(AccessMsg::AuditFields)>{fields}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{t(AccessMsg::AuditWhen)}</th>
                        <th scope="col">{t(AccessMsg::AuditWho)}</th>
                        <th scope="col">{t(AccessMsg::AuditWhat)}</th>
                        <th scope="col">{t(AccessMsg::AuditFields)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
