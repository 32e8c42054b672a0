//! The form itself: state, sections, the outcome of a save, and the page's notices. The
//! form is an island; the delete confirmation and the connection section around it are
//! server-rendered.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::basic_auth::{BasicAuthNotice, SwitchedNotice};
use super::connection::ConnectionSection;
use super::delete::DeleteConfirmation;
use super::fields::FormState;
use super::mail_servers::MailServerSection;
use super::sections::{
    GeneralSection, ImapSection, LoginSection, MicrosoftSection, ServerSection, SmtpSection,
};
use crate::api::mailbox_form::SaveMailbox;
use crate::components::browser::control_values;
use rules::basic_auth::SWITCHED_PARAM;
use rules::i18n::{AccessMsg, DiagMsg, FormMsg, Lang};
use rules::mailbox_form::{MailboxFormData, MailboxTarget, DELETE_PARAM, SAVED_PARAM};
use rules::validation::{Issue, MailboxForm, ValidationContext};

/// What the page says about the last save.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Notice {
    Saved,
    /// Refused for the issues shown at the fields.
    NotSaved,
    /// Refused by the server, which never keeps secrets: they must be typed again.
    NotSavedRetypeSecrets,
    Conflict,
    Failed,
}

impl Notice {
    fn at_load(data: &MailboxFormData, saved: bool) -> Option<Notice> {
        let has_errors = data.issues.iter().any(Issue::is_error);
        match () {
            _ if data.conflict => Some(Notice::Conflict),
            _ if data.save_failed => Some(Notice::Failed),
            _ if data.from_attempt && has_errors => Some(Notice::NotSavedRetypeSecrets),
            _ if saved => Some(Notice::Saved),
            _ => None,
        }
    }
}

/// The delete confirmation (when asked for), the form, and the connection section.
#[component]
pub(super) fn MailboxPageBody(data: MailboxFormData) -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let (saved, confirm_delete, switched) = use_query_map().with_untracked(|q| {
        (
            q.get(SAVED_PARAM).is_some(),
            q.get(DELETE_PARAM).is_some(),
            q.get(SWITCHED_PARAM),
        )
    });
    let switched = switched.map(|value| view! { <SwitchedNotice value lang/> });
    let basic_auth = data
        .id
        .filter(|_| data.basic_auth_ending)
        .map(|id| view! { <BasicAuthNotice id can_change=data.can_change lang/> });
    let connection = match (data.id, data.connection.clone()) {
        (Some(id), Some(view)) => {
            let form = &data.form;
            let context = vec![
                (DiagMsg::Mailbox.text(lang), form.email.clone()),
                (FormMsg::TenantId.text(lang), form.tenant_id.clone()),
                (FormMsg::ClientId.text(lang), form.client_id.clone()),
                (FormMsg::ObjectId.text(lang), form.object_id.clone()),
                (DiagMsg::RedirectUri.text(lang), view.redirect_uri.clone()),
            ];
            Some(view! { <ConnectionSection id view context lang/> })
        }
        _ => None,
    };
    let mail_servers = data
        .id
        .zip(data.mail_servers.clone())
        .map(|(id, view)| view! { <MailServerSection id view lang/> });
    let delete = data
        .id
        .filter(|_| confirm_delete && data.can_change)
        .map(|id| view! { <DeleteConfirmation id name=data.form.name.clone() lang/> });
    let notice = Notice::at_load(&data, saved);
    // A `lezer` sees the form disabled, without Opslaan and Verwijderen; the server
    // refuses their saves anyway.
    let read_only = (!data.can_change).then(|| {
        view! {
            <p class="alert alert--warn" role="status" data-testid="read-only">
                {AccessMsg::ReadOnly.text(lang)}
            </p>
        }
    });
    // The island gets what the form shows and checks, nothing of the connection.
    view! {
        {delete}
        {switched}
        {basic_auth}
        {read_only}
        <MailboxEditor id=data.id version=data.version form=data.form context=data.context
            issues=data.issues notice can_change=data.can_change redirect_uri=data.redirect_uri
            secret_hint=data.client_secret_hint reconnect_needed=data.reconnect_needed lang/>
        {connection}
        {mail_servers}
    }
}

/// The form with its notices. The browser posts it to `save_mailbox` itself, and the
/// server answers with a 303: to Microsoft's sign-in, to the saved mailbox, or back here
/// with the values and the server's issues. Before that the island checks every field with
/// the rules the server applies, so a mistake is shown at its field and nothing typed is
/// lost; only what the server alone can refuse (a conflicting change, a failure) comes back
/// without the secrets.
#[island]
#[allow(
    clippy::too_many_arguments,
    reason = "an island's props are its arguments"
)]
fn MailboxEditor(
    id: Option<i32>,
    version: i32,
    form: MailboxForm,
    context: ValidationContext,
    issues: Vec<Issue>,
    notice: Option<Notice>,
    can_change: bool,
    redirect_uri: String,
    secret_hint: Option<String>,
    reconnect_needed: bool,
    lang: Lang,
) -> impl IntoView {
    let notice = RwSignal::new(notice);
    let state = FormState {
        form: RwSignal::new(form),
        context: StoredValue::new(context),
        server_issues: RwSignal::new(issues),
        live: RwSignal::new(Vec::new()),
        lang,
    };
    let saving = RwSignal::new(false);
    // What the fields held before the bundle ran (typed, or filled by the browser) counts.
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if form_ref.get().is_some() {
            state.adopt(control_values(form_ref));
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        // And so does anything an input event did not report (autofill in some browsers).
        state.adopt(control_values(form_ref));
        if saving.get_untracked() {
            // Pressed again while the browser posts: one save, not two mailboxes.
            ev.prevent_default();
        } else if state.check_all() {
            saving.set(true);
        } else {
            ev.prevent_default();
            notice.set(Some(Notice::NotSaved));
        }
    };

    let target = id.map_or(MailboxTarget::New, MailboxTarget::Existing);
    view! {
        <NoticeBanner notice path=target.path() lang/>
        <div class="mailbox-form" data-testid="mailbox-form">
            <form method="post" action=SaveMailbox::url() on:submit=on_submit node_ref=form_ref>
                {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string()/> })}
                <input type="hidden" name="version" value=version.to_string()/>
                <p class="muted"><span aria-hidden="true">"* "</span>{FormMsg::Required.text(lang)}</p>
                <FormSections state can_change redirect_uri secret_hint reconnect_needed/>
                {can_change.then(|| view! {
                <div class="form-actions">
                    <button type="submit" class="button button--primary" data-testid="save"
                        aria-disabled=move || saving.get().then_some("true")>
                        {move || if saving.get() { FormMsg::Saving.text(lang) } else { FormMsg::Save.text(lang) }}
                    </button>
                    {id.map(|_| view! {
                        <a class="button button--danger-outline" data-testid="delete"
                            href=format!("{}?{DELETE_PARAM}=1", target.path())>
                            {FormMsg::Delete.text(lang)}
                        </a>
                    })}
                </div>
                })}
            </form>
        </div>
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
}

/// The message about the last save, at the top of the form.
#[component]
fn NoticeBanner(notice: RwSignal<Option<Notice>>, path: String, lang: Lang) -> impl IntoView {
    move || {
        notice.get().map(|current| {
            let (testid, lines): (_, &[FormMsg]) = match current {
                Notice::Saved => ("save-success", &[FormMsg::Saved]),
                Notice::NotSavedRetypeSecrets => {
                    ("save-invalid", &[FormMsg::NotSaved, FormMsg::RetypeSecrets])
                }
                Notice::NotSaved => ("save-invalid", &[FormMsg::NotSaved]),
                Notice::Conflict => ("save-conflict", &[FormMsg::Conflict]),
                Notice::Failed => ("save-failed", &[FormMsg::SaveFailed]),
            };
            let ok = current == Notice::Saved;
            view! {
                <div class=if ok { "alert alert--ok" } else { "alert alert--error" }
                    role=if ok { "status" } else { "alert" } data-testid=testid>
                    {lines.iter().map(|line| view! { <p>{line.text(lang)}</p> }).collect_view()}
                    // A full page load, so the current data and version are fetched.
                    {(current == Notice::Conflict).then(|| view! {
                        <p><a href=path.clone() rel="external">{FormMsg::ReloadCurrent.text(lang)}</a></p>
                    })}
                </div>
            }
        })
    }
}
