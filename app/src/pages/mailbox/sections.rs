//! The form's sections, as in Econobis. The server and Microsoft sections show only what
//! the chosen mail types use ([`needs_imap`], [`needs_smtp`], [`needs_microsoft`]).

use leptos::prelude::*;

use super::fields::{CheckboxField, FormState, Kind, SelectField, TextField};
use rules::i18n::FormMsg;
use rules::validation::{needs_imap, needs_microsoft, needs_smtp, Field};

/// Weergave naam, E-mail and the three switches.
#[component]
pub(super) fn GeneralSection(state: FormState) -> impl IntoView {
    view! {
        <fieldset class="form-section" data-testid="section-general">
            <legend>{FormMsg::SectionGeneral.text(state.lang)}</legend>
            <TextField state field=Field::Name label=FormMsg::Name required=true/>
            <TextField state field=Field::Email label=FormMsg::Email required=true/>
            <CheckboxField state field=Field::OnlyOutgoing label=FormMsg::OnlyOutgoing
                help=FormMsg::HelpOnlyOutgoing/>
            <CheckboxField state field=Field::IsActive label=FormMsg::IsActive/>
            <CheckboxField state field=Field::IsPrimary label=FormMsg::IsPrimary/>
        </fieldset>
    }
}

/// Inkomende and Uitgaande mail type.
#[component]
pub(super) fn ServerSection(state: FormState) -> impl IntoView {
    let only_outgoing = Signal::derive(move || state.form.with(|form| form.only_outgoing));
    view! {
        <fieldset class="form-section" data-testid="section-server">
            <legend>{FormMsg::SectionServer.text(state.lang)}</legend>
            <SelectField state field=Field::IncomingType label=FormMsg::IncomingType required=true
                disabled=only_outgoing
                options=vec![
                    ("imap", FormMsg::TypeImap),
                    ("ms-oauth", FormMsg::TypeMicrosoftApi),
                    ("none", FormMsg::TypeNone),
                ]/>
            <SelectField state field=Field::OutgoingType label=FormMsg::OutgoingType required=true
                options=vec![("smtp", FormMsg::TypeSmtp), ("ms-oauth", FormMsg::TypeMicrosoftApi)]/>
        </fieldset>
    }
}

fn encryption_options() -> Vec<(&'static str, FormMsg)> {
    vec![
        ("", FormMsg::EncryptionNone),
        ("ssl", FormMsg::EncryptionSsl),
        ("tls", FormMsg::EncryptionTls),
    ]
}

/// IMAP host, poort, encryption, inbox prefix, mark as seen: for incoming type IMAP.
#[component]
pub(super) fn ImapSection(state: FormState) -> impl IntoView {
    let shown = shown(move || state.form.with(needs_imap));
    view! {
        {move || shown.get().then(|| view! {
            <fieldset class="form-section" data-testid="section-imap">
                <legend>{FormMsg::SectionImap.text(state.lang)}</legend>
                <TextField state field=Field::ImapHost label=FormMsg::ImapHost required=true/>
                <TextField state field=Field::ImapPort label=FormMsg::ImapPort required=true
                    kind=Kind::Number/>
                <SelectField state field=Field::ImapEncryption label=FormMsg::ImapEncryption
                    options=encryption_options()/>
                <TextField state field=Field::ImapInboxPrefix label=FormMsg::ImapInboxPrefix/>
                <CheckboxField state field=Field::EmailMarkAsSeen label=FormMsg::EmailMarkAsSeen/>
            </fieldset>
        })}
    }
}

/// SMTP host, poort, encryption: for outgoing type SMTP.
#[component]
pub(super) fn SmtpSection(state: FormState) -> impl IntoView {
    let shown = shown(move || state.form.with(needs_smtp));
    view! {
        {move || shown.get().then(|| view! {
            <fieldset class="form-section" data-testid="section-smtp">
                <legend>{FormMsg::SectionSmtp.text(state.lang)}</legend>
                <TextField state field=Field::SmtpHost label=FormMsg::SmtpHost required=true/>
                <TextField state field=Field::SmtpPort label=FormMsg::SmtpPort required=true
                    kind=Kind::Number/>
                <SelectField state field=Field::SmtpEncryption label=FormMsg::SmtpEncryption
                    options=encryption_options()/>
            </fieldset>
        })}
    }
}

/// Gebruikersnaam and Wachtwoord, shared by IMAP and SMTP.
#[component]
pub(super) fn LoginSection(state: FormState) -> impl IntoView {
    let lang = state.lang;
    let password_stored = state.context.with_value(|ctx| ctx.password_stored);
    let stored = password_stored.then(|| {
        format!(
            "{} {}",
            FormMsg::PasswordStored.text(lang),
            FormMsg::LeaveEmptyToKeep.text(lang)
        )
    });
    let shown = shown(move || state.form.with(|form| needs_imap(form) || needs_smtp(form)));
    view! {
        {move || shown.get().then(|| view! {
            <fieldset class="form-section" data-testid="section-login">
                <legend>{FormMsg::SectionLogin.text(lang)}</legend>
                <TextField state field=Field::Username label=FormMsg::Username required=true/>
                <TextField state field=Field::Password label=FormMsg::Password
                    required=!password_stored kind=Kind::Secret stored=stored.clone()/>
            </fieldset>
        })}
    }
}

/// The Microsoft Azure api instellingen, with the Redirect url to register in Azure.
#[component]
pub(super) fn MicrosoftSection(
    state: FormState,
    redirect_uri: String,
    secret_hint: Option<String>,
    reconnect_needed: bool,
) -> impl IntoView {
    let lang = state.lang;
    // Stored for this mailbox, or for the app registration a new mailbox is added to.
    let secret_stored = state
        .context
        .with_value(|ctx| ctx.secret_stored || ctx.registration_secret);
    let stored = secret_stored.then(|| {
        let hint = secret_hint.unwrap_or_default();
        format!(
            "{} {hint}…. {}",
            FormMsg::SecretStored.text(lang),
            FormMsg::LeaveEmptyToKeep.text(lang)
        )
    });
    let redirect_uri = StoredValue::new(redirect_uri);
    let shown = shown(move || state.form.with(needs_microsoft));
    view! {
        {move || shown.get().then(|| view! {
            <fieldset class="form-section" data-testid="section-microsoft">
                <legend>{FormMsg::SectionMicrosoft.text(lang)}</legend>
                {reconnect_needed.then(|| view! {
                    <p class="alert alert--warn" data-testid="reconnect-needed">
                        {FormMsg::ReconnectNeeded.text(lang)}
                    </p>
                })}
                <TextField state field=Field::ClientId label=FormMsg::ClientId required=true
                    help=FormMsg::HelpClientId/>
                <TextField state field=Field::TenantId label=FormMsg::TenantId required=true
                    help=FormMsg::HelpTenantId/>
                <TextField state field=Field::ClientSecret label=FormMsg::ClientSecret
                    required=!secret_stored kind=Kind::Secret help=FormMsg::HelpClientSecret
                    stored=stored.clone()/>
                <super::fields::MethodField state/>
                <TextField state field=Field::ObjectId label=FormMsg::ObjectId
                    help=FormMsg::HelpObjectId/>
                <super::redirect_url::RedirectUrl uri=redirect_uri.get_value() lang/>
            </fieldset>
        })}
    }
}

/// Whether a section shows, as a memo: the section is built again only when that changes,
/// not on every keystroke in the form (which would take the focus away).
fn shown(condition: impl Fn() -> bool + Send + Sync + 'static) -> Memo<bool> {
    Memo::new(move |_| condition())
}
