//! Deleting a mailbox: a link opens this confirmation (`?verwijderen=1`), whose plain form
//! does the delete; the server answers with a 303 to the list ("verwijderd").

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::mailbox_form::DeleteMailbox;
use rules::i18n::{FormMsg, Lang};
use rules::mailbox_form::{MailboxTarget, DELETE_FAILED_PARAM};

/// "Mailbox verwijderen?" with "Ja, verwijderen" and "Annuleren".
#[component]
pub(super) fn DeleteConfirmation(id: i32, name: String, lang: Lang) -> impl IntoView {
    let delete = ServerAction::<DeleteMailbox>::new();
    let failed = use_query_map().with_untracked(|q| q.get_str(DELETE_FAILED_PARAM).is_some());
    view! {
        <section class="confirm" role="alertdialog" aria-labelledby="delete-title"
            aria-describedby="delete-question" data-testid="delete-confirmation">
            <h2 id="delete-title">{FormMsg::DeleteTitle.text(lang)}</h2>
            <p id="delete-question"><strong>{name}</strong>": "{FormMsg::DeleteQuestion.text(lang)}</p>
            {failed.then(|| view! {
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
