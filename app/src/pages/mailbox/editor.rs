//! The form itself: state, sections, the outcome of a save, and the page's notices.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::connection::ConnectionSection;
use super::delete::DeleteConfirmation;
use super::fields::FormState;
use super::sections::{
    GeneralSection, ImapSection, LoginSection, MicrosoftSection, ServerSection, SmtpSection,
};
use crate::api::mailbox_form::SaveMailbox;
use crate::i18n::{AccessMsg, DiagMsg, FormMsg, Lang};
use crate::mailbox_form::{MailboxFormData, MailboxTarget, SaveOutcome, DELETE_PARAM, SAVED_PARAM};
use crate::validation::Issue;

/// What the page says about the last save.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Notice {
    Saved,
    NotSaved { retype_secrets: bool },
    Conflict,
    Gone,
    Failed,
}

impl Notice {
    fn at_load(data: &MailboxFormData, saved: bool) -> Option<Notice> {
        let has_errors = data.issues.iter().any(Issue::is_error);
        match () {
            _ if data.conflict => Some(Notice::Conflict),
            _ if data.from_attempt && has_errors => Some(Notice::NotSaved {
                retype_secrets: true,
            }),
            _ if saved => Some(Notice::Saved),
            _ => None,
        }
    }
}

#[component]
pub(super) fn MailboxEditor(
    data: MailboxFormData,
    reload: RwSignal<u32>,
    attempts_changed: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let query = use_query_map();
    let saved = query.with_untracked(|q| q.get(SAVED_PARAM).is_some());
    let notice = RwSignal::new(Notice::at_load(&data, saved));
    let state = FormState {
        form: RwSignal::new(data.form.clone()),
        context: StoredValue::new(data.context.clone()),
        server_issues: RwSignal::new(data.issues.clone()),
        live: RwSignal::new(HashSet::new()),
        lang,
    };
    let save = ServerAction::<SaveMailbox>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        let Some(result) = save.value().get() else {
            return;
        };
        match result {
            Ok(SaveOutcome::Saved {
                connect_url: Some(url),
                ..
            }) => super::connection::go_to(&url),
            Ok(SaveOutcome::Saved { id, .. }) => {
                let path = MailboxTarget::Existing(id).path();
                navigate(&format!("{path}?{SAVED_PARAM}=1"), Default::default());
                reload.update(|n| *n += 1);
            }
            Ok(SaveOutcome::Invalid { issues }) => {
                state.server_issues.set(issues);
                notice.set(Some(Notice::NotSaved {
                    retype_secrets: false,
                }));
            }
            Ok(SaveOutcome::Conflict) => notice.set(Some(Notice::Conflict)),
            Ok(SaveOutcome::NotFound) => notice.set(Some(Notice::Gone)),
            Err(_) => notice.set(Some(Notice::Failed)),
        }
    });

    let target = data.id.map_or(MailboxTarget::New, MailboxTarget::Existing);
    let confirm_delete = move || query.with(|q| q.get(DELETE_PARAM).is_some());
    let name = data.form.name.clone();
    // A `lezer` sees the form disabled, without Opslaan and Verwijderen; the server
    // refuses their saves anyway.
    let can_change = data.can_change;
    view! {
        <NoticeBanner notice path=target.path() lang/>
        {(!can_change).then(|| view! {
            <p class="alert alert--warn" role="status" data-testid="read-only">
                {AccessMsg::ReadOnly.text(lang)}
            </p>
        })}
        {move || match (data.id, confirm_delete() && can_change) {
            (Some(id), true) => Some(view! { <DeleteConfirmation id name=name.clone() lang/> }),
            _ => None,
        }}
        <div class="mailbox-form" data-testid="mailbox-form">
            <ActionForm action=save>
                {data.id.map(|id| view! { <input type="hidden" name="id" value=id.to_string()/> })}
                <input type="hidden" name="version" value=data.version.to_string()/>
                <p class="muted"><span aria-hidden="true">"* "</span>{FormMsg::Required.text(lang)}</p>
                <FormSections state can_change redirect_uri=data.redirect_uri.clone()
                    secret_hint=data.client_secret_hint.clone() reconnect_needed=data.reconnect_needed/>
                {can_change.then(|| view! {
                <div class="form-actions">
                    <button type="submit" class="button button--primary" data-testid="save"
                        disabled=move || save.pending().get()>
                        {move || if save.pending().get() { FormMsg::Saving.text(lang) } else { FormMsg::Save.text(lang) }}
                    </button>
                    {data.id.map(|_| view! {
                        <a class="button button--danger-outline" data-testid="delete"
                            href=format!("{}?{DELETE_PARAM}=1", target.path())>
                            {FormMsg::Delete.text(lang)}
                        </a>
                    })}
                </div>
                }.into_any())}
            </ActionForm>
        </div>
        {match (data.id, data.connection.clone()) {
            (Some(id), Some(view)) => {
                let form = &data.form;
                let context = vec![
                    (DiagMsg::Mailbox.text(lang), form.email.clone()),
                    (FormMsg::TenantId.text(lang), form.tenant_id.clone()),
                    (FormMsg::ClientId.text(lang), form.client_id.clone()),
                    (FormMsg::ObjectId.text(lang), form.object_id.clone()),
                    (DiagMsg::RedirectUri.text(lang), view.redirect_uri.clone()),
                ];
                Some(view! { <ConnectionSection id view context attempts_changed lang/> })
            }
            _ => None,
        }}
    }
}

/// Every section, disabled as a whole for a user who may not change mailboxes.
#[component]
fn FormSections(
    state: FormState,
    can_change: bool,
    redirect_uri: String,
    secret_hint: Option<String>,
    reconnect_needed: bool,
) -> impl IntoView {
    view! {
        <fieldset class="form-fieldset" disabled=!can_change>
            <GeneralSection state/>
            <ServerSection state/>
            <ImapSection state/>
            <SmtpSection state/>
            <LoginSection state/>
            <MicrosoftSection state redirect_uri secret_hint reconnect_needed/>
        </fieldset>
    }
    .into_any()
}

/// The message about the last save, at the top of the form.
#[component]
fn NoticeBanner(notice: RwSignal<Option<Notice>>, path: String, lang: Lang) -> impl IntoView {
    move || {
        notice.get().map(|current| match current {
            Notice::Saved => view! {
                <p class="alert alert--ok" role="status" data-testid="save-success">
                    {FormMsg::Saved.text(lang)}
                </p>
            }
            .into_any(),
            Notice::NotSaved { retype_secrets } => view! {
                <div class="alert alert--error" role="alert" data-testid="save-invalid">
                    <p>{FormMsg::NotSaved.text(lang)}</p>
                    {retype_secrets.then(|| view! { <p>{FormMsg::RetypeSecrets.text(lang)}</p> })}
                </div>
            }
            .into_any(),
            Notice::Conflict => view! {
                <div class="alert alert--error" role="alert" data-testid="save-conflict">
                    <p>{FormMsg::Conflict.text(lang)}</p>
                    // A full page load, so the current data and version are fetched.
                    <p><a href=path.clone() rel="external">{FormMsg::ReloadCurrent.text(lang)}</a></p>
                </div>
            }
            .into_any(),
            Notice::Gone => view! {
                <p class="alert alert--error" role="alert" data-testid="save-gone">{FormMsg::Gone.text(lang)}</p>
            }
            .into_any(),
            Notice::Failed => view! {
                <p class="alert alert--error" role="alert" data-testid="save-failed">{FormMsg::SaveFailed.text(lang)}</p>
            }
            .into_any(),
        })
    }
}
