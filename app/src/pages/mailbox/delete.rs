//! Deleting a mailbox: a link opens this confirmation (`?verwijderen=1`), whose form does
//! the delete, so it works without JavaScript too.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::mailbox_form::DeleteMailbox;
use crate::i18n::{FormMsg, Lang};
use crate::mailbox_form::{DeleteOutcome, MailboxTarget, DELETED_PARAM, LIST_PATH};

/// "Mailbox verwijderen?" with "Ja, verwijderen" and "Annuleren".
#[component]
pub(super) fn DeleteConfirmation(id: i32, name: String, lang: Lang) -> impl IntoView {
    let delete = ServerAction::<DeleteMailbox>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = delete.value().get() {
            let url = match outcome {
                DeleteOutcome::Deleted => format!("{LIST_PATH}?{DELETED_PARAM}=1"),
                DeleteOutcome::NotFound => LIST_PATH.to_string(),
            };
            navigate(&url, Default::default());
        }
    });
    let failed = move || delete.value().with(|value| matches!(value, Some(Err(_))));
    view! {
        <section class="confirm" role="alertdialog" aria-labelledby="delete-title"
            aria-describedby="delete-question" data-testid="delete-confirmation">
            <h2 id="delete-title">{FormMsg::DeleteTitle.text(lang)}</h2>
            <p id="delete-question"><strong>{name}</strong>": "{FormMsg::DeleteQuestion.text(lang)}</p>
            {move || failed().then(|| view! {
                <p class="alert alert--error" role="alert">{FormMsg::DeleteFailed.text(lang)}</p>
            })}
            <ActionForm action=delete>
                <input type="hidden" name="id" value=id.to_string()/>
                <div class="form-actions">
                    <button type="submit" class="button button--danger" data-testid="delete-confirm">
                        {FormMsg::DeleteConfirm.text(lang)}
                    </button>
                    <a class="button" href=MailboxTarget::Existing(id).path() data-testid="delete-cancel">
                        {FormMsg::Cancel.text(lang)}
                    </a>
                </div>
            </ActionForm>
        </section>
    }
}
