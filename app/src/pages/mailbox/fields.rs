//! The form's controls. Every control has a visible `<label for>`, `name` = the
//! [`Field`]'s name and `data-testid="field-<name>"`; its messages render next to it as
//! `error-<name>` / `warning-<name>`, linked by `aria-describedby`.

use leptos::prelude::*;

use crate::components::browser::ControlValue;
use rules::i18n::{FormMsg, Lang, PasswordlessMsg};
use rules::passwordless::{chosen_method, ConnectionMethod, AUTOMATIC};
use rules::validation::{
    validate_field, validate_mailbox, Field, Issue, MailboxForm, ValidationContext,
};

/// The form's state, shared by its controls.
#[derive(Clone, Copy)]
pub(super) struct FormState {
    /// The values as typed.
    pub form: RwSignal<MailboxForm>,
    /// What validation needs beyond the form (from the server).
    pub context: StoredValue<ValidationContext>,
    /// The issues the server reported (at load or after a save).
    pub server_issues: RwSignal<Vec<Issue>>,
    /// Fields checked in the browser as they change; the others show the server's issues.
    pub live: RwSignal<Vec<Field>>,
    pub lang: Lang,
}

impl FormState {
    /// The issues to show at `field`: live once it was edited, else the server's.
    fn issues(self, field: Field) -> Vec<Issue> {
        if self.live.with(|live| live.contains(&field)) {
            let form = self.form;
            return self
                .context
                .with_value(|ctx| form.with(|form| validate_field(field, form, ctx)));
        }
        self.server_issues.with(|issues| {
            let issues = issues.iter().filter(|issue| issue.field == field);
            issues.copied().collect()
        })
    }

    /// From the first edit on, the edited field and every field showing a server issue are
    /// checked live, so that rules spanning fields update at all of them.
    fn mark_live(self, field: Field) {
        let with_issues: Vec<Field> = self
            .server_issues
            .with_untracked(|issues| issues.iter().map(|issue| issue.field).collect());
        self.live.update(|live| {
            for field in std::iter::once(field).chain(with_issues) {
                if !live.contains(&field) {
                    live.push(field);
                }
            }
        });
    }

    /// Checks every field as saving will, showing each issue at its field. True when
    /// nothing blocks the save.
    pub(super) fn check_all(self) -> bool {
        let validation = self
            .context
            .with_value(|ctx| self.form.with(|form| validate_mailbox(form, ctx)));
        self.live.update(|live| {
            for issue in &validation.issues {
                if !live.contains(&issue.field) {
                    live.push(issue.field);
                }
            }
        });
        !validation.has_errors()
    }

    /// Takes what the page's controls hold ([`crate::components::browser::control_values`]):
    /// a value that differs from the island's state replaces it and, like an edit, is checked
    /// live from then on. Nothing typed before the bundle ran is treated as empty.
    pub(super) fn adopt(self, controls: Vec<(String, ControlValue)>) {
        for (name, value) in controls {
            let Some(field) = Field::from_name(&name) else {
                continue;
            };
            match value {
                ControlValue::Text(text) => {
                    let differs = self
                        .form
                        .with_untracked(|form| form.text(field).is_some_and(|held| held != text));
                    if differs {
                        self.edit_text(field, text);
                    }
                }
                ControlValue::Checked(checked) => {
                    let differs = self.form.with_untracked(|form| {
                        form.flag(field).is_some_and(|held| held != checked)
                    });
                    if differs {
                        self.edit_flag(field, checked);
                    }
                }
            }
        }
    }

    fn edit_text(self, field: Field, value: String) {
        self.form.update(|form| {
            if let Some(text) = form.text_mut(field) {
                *text = value;
            }
        });
        self.mark_live(field);
    }

    fn edit_flag(self, field: Field, value: bool) {
        self.form.update(|form| {
            if let Some(flag) = form.flag_mut(field) {
                *flag = value;
            }
        });
    }
}

/// How a text control looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Kind {
    #[default]
    Text,
    /// Digits only: a text input with a numeric keyboard, so our own message speaks
    /// rather than the browser's.
    Number,
    /// Never shows a value; empty keeps the stored one.
    Secret,
}

/// A text input with its label, help and messages.
#[component]
pub(super) fn TextField(
    state: FormState,
    field: Field,
    label: FormMsg,
    #[prop(optional)] kind: Kind,
    #[prop(optional)] required: bool,
    #[prop(optional)] help: Option<FormMsg>,
    /// Shown for a secret that is stored ("Opgeslagen; begint met abc…").
    #[prop(default = None)]
    stored: Option<String>,
) -> impl IntoView {
    let lang = state.lang;
    let name = field.as_str();
    let initial = match kind {
        Kind::Secret => String::new(),
        _ => state
            .form
            .with_untracked(|form| form.text(field).unwrap_or_default().to_string()),
    };
    let (input_type, inputmode, autocomplete) = match kind {
        Kind::Text => ("text", None, "off"),
        Kind::Number => ("text", Some("numeric"), "off"),
        Kind::Secret => ("password", None, "new-password"),
    };
    let issues = Memo::new(move |_| state.issues(field));
    let has_error = move || issues.with(|issues| issues.iter().any(Issue::is_error));
    let has_stored = stored.is_some();
    let described_by = move || {
        let mut ids = Vec::new();
        if help.is_some() {
            ids.push(format!("help-{name}"));
        }
        if has_stored {
            ids.push(format!("stored-{name}"));
        }
        issues.with(|issues| {
            if issues.iter().any(Issue::is_error) {
                ids.push(format!("error-{name}"));
            }
            if issues.iter().any(|issue| !issue.is_error()) {
                ids.push(format!("warning-{name}"));
            }
        });
        (!ids.is_empty()).then(|| ids.join(" "))
    };

    view! {
        <div class="field" class:field--invalid=has_error>
            <Label field label required lang/>
            <input id=format!("field-{name}") name=name type=input_type value=initial
                inputmode=inputmode autocomplete=autocomplete spellcheck="false"
                data-testid=format!("field-{name}")
                aria-required=required.then_some("true")
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described_by
                on:input=move |ev| state.edit_text(field, event_target_value(&ev))
                on:blur=move |_| state.mark_live(field)/>
            {help.map(|help| view! { <p id=format!("help-{name}") class="field__help">{help.text(lang)}</p> })}
            {stored.map(|note| view! {
                <p id=format!("stored-{name}") class="field__stored" data-testid=format!("stored-{name}")>{note}</p>
            })}
            <Messages field issues lang/>
        </div>
    }
}

/// A select with its label and messages; `options` are (code, text).
#[component]
pub(super) fn SelectField(
    state: FormState,
    field: Field,
    label: FormMsg,
    options: Vec<(&'static str, FormMsg)>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let lang = state.lang;
    let name = field.as_str();
    let initial = state
        .form
        .with_untracked(|form| form.text(field).unwrap_or_default().to_string());
    let issues = Memo::new(move |_| state.issues(field));
    let has_error = move || issues.with(|issues| issues.iter().any(Issue::is_error));
    let options = options
        .into_iter()
        .map(|(code, text)| {
            view! { <option value=code selected=initial == code>{text.text(lang)}</option> }
        })
        .collect_view();

    view! {
        <div class="field" class:field--invalid=has_error>
            <Label field label required lang/>
            <select id=format!("field-{name}") name=name data-testid=format!("field-{name}")
                disabled=move || disabled.get()
                aria-required=required.then_some("true")
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=move || has_error().then(|| format!("error-{name}"))
                on:change=move |ev| state.edit_text(field, event_target_value(&ev))>
                {options}
            </select>
            <Messages field issues lang/>
        </div>
    }
}

/// The connection method of a Microsoft Api mailbox (issue 18): radio buttons, each with its
/// visible label and help. Mailboxes without stored Microsoft settings also get
/// "Automatisch" (checked for a new mailbox): the save's preflight then decides. Choosing
/// one checks the Object ID again.
#[component]
pub(super) fn MethodField(state: FormState) -> impl IntoView {
    let lang = state.lang;
    let initial = state
        .form
        .with_untracked(|form| chosen_method(&form.connection_method));
    let automatic_offered = !state.context.with_value(|ctx| ctx.secret_stored);
    let automatic = automatic_offered.then_some((
        AUTOMATIC,
        None,
        PasswordlessMsg::MethodAutomatic.text(lang),
        PasswordlessMsg::HelpMethodAutomatic.text(lang),
    ));
    let options = automatic.into_iter().chain([
        (
            ConnectionMethod::AppOnly.as_str(),
            Some(ConnectionMethod::AppOnly),
            FormMsg::MethodAppOnly.text(lang),
            FormMsg::HelpMethodAppOnly.text(lang),
        ),
        (
            ConnectionMethod::Delegated.as_str(),
            Some(ConnectionMethod::Delegated),
            FormMsg::MethodDelegated.text(lang),
            FormMsg::HelpMethodDelegated.text(lang),
        ),
    ]);
    view! {
        <fieldset class="field field--radios" data-testid="field-connection_method">
            <legend>{FormMsg::ConnectionMethod.text(lang)}</legend>
            {options.map(|(value, method, label, help)| {
                let id = format!("field-connection_method-{value}");
                let help_id = format!("help-connection_method-{value}");
                view! {
                    <div class="field--check">
                        <input id=id.clone() name="connection_method" type="radio"
                            value=value checked=initial == method
                            data-testid=format!("method-{value}")
                            aria-describedby=help_id.clone()
                            on:change=move |_| {
                                state.form.update(|form| {
                                    form.connection_method = value.to_string();
                                });
                                state.mark_live(Field::ObjectId);
                            }/>
                        <label for=id>{label}</label>
                        <p id=help_id class="field__help">{help}</p>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A checkbox with its label (after it) and optional help.
#[component]
pub(super) fn CheckboxField(
    state: FormState,
    field: Field,
    label: FormMsg,
    #[prop(optional)] help: Option<FormMsg>,
) -> impl IntoView {
    let lang = state.lang;
    let name = field.as_str();
    let initial = state
        .form
        .with_untracked(|form| form.flag(field).unwrap_or_default());
    view! {
        <div class="field field--check">
            <input id=format!("field-{name}") name=name type="checkbox" value="on" checked=initial
                data-testid=format!("field-{name}")
                aria-describedby=help.map(|_| format!("help-{name}"))
                on:change=move |ev| state.edit_flag(field, event_target_checked(&ev))/>
            <label for=format!("field-{name}")>{label.text(lang)}</label>
            {help.map(|help| view! { <p id=format!("help-{name}") class="field__help">{help.text(lang)}</p> })}
        </div>
    }
}

#[component]
fn Label(field: Field, label: FormMsg, required: bool, lang: Lang) -> impl IntoView {
    view! {
        <label for=format!("field-{}", field.as_str())>
            {label.text(lang)}
            {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
        </label>
    }
}

/// The field's errors and warnings, each list with its own id and test id.
#[component]
fn Messages(field: Field, issues: Memo<Vec<Issue>>, lang: Lang) -> impl IntoView {
    let name = field.as_str();
    let texts = move |errors: bool| {
        issues.with(|issues| {
            let matching = issues.iter().filter(|issue| issue.is_error() == errors);
            matching
                .map(|issue| issue.message(lang))
                .collect::<Vec<_>>()
        })
    };
    view! {
        {move || {
            let errors = texts(true);
            (!errors.is_empty()).then(|| view! {
                <div id=format!("error-{name}") class="field__error" data-testid=format!("error-{name}")>
                    {errors.into_iter().map(|text| view! { <p>{text}</p> }).collect_view()}
                </div>
            })
        }}
        {move || {
            let warnings = texts(false);
            (!warnings.is_empty()).then(|| view! {
                <div id=format!("warning-{name}") class="field__warning" data-testid=format!("warning-{name}")>
                    {warnings.into_iter().map(|text| view! { <p>{text}</p> }).collect_view()}
                </div>
            })
        }}
    }
}
