//! The message catalogue: every text the screens show, in Dutch (the product's language) and
//! English. Components ask for a [`Msg`] in the current [`Lang`]; no literals in views.

mod access;
mod app_registrations;
mod basic_auth;
mod connect;
mod count;
mod diagnostics;
mod form;
mod mail;
mod passwordless;
mod setup;

use serde::{Deserialize, Serialize};

pub use access::AccessMsg;
pub use app_registrations::{expiry_text, AppRegMsg};
pub use basic_auth::BasicAuthMsg;
pub use connect::ConnectMsg;
pub use count::{plural, Counted};
pub use diagnostics::DiagMsg;
pub use form::FormMsg;
pub use mail::MailMsg;
pub use passwordless::PasswordlessMsg;
pub use setup::SetupMsg;

/// Interface language. Dutch is the default, as in Econobis.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    /// The cookie that carries an admin's choice of language.
    pub const COOKIE: &'static str = "taal";

    /// The value of the `lang` attribute of `<html>` and of the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim() {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language chosen in a `Cookie` header; Dutch when none (or nonsense) was chosen.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| name.trim() == Self::COOKIE)
            .and_then(|(_, value)| Lang::from_code(value))
            .unwrap_or_default()
    }

    /// Of a message's `(Dutch, English)` texts, the one in this language. Every catalogue
    /// resolves its own texts: an island that words only form messages ships only the form
    /// catalogue, not every message of the app.
    pub fn pick(self, (nl, en): (&'static str, &'static str)) -> &'static str {
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    /// The other language, offered by the switch in the top bar.
    pub fn other(self) -> Lang {
        match self {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }
}

/// One entry of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    AppName,
    SkipToContent,
    NavMain,
    NavSettings,
    NavMailboxes,
    NavAppRegistrations,
    AppRegistrationsTitle,
    SetupTitle,
    NavSetup,
    Breadcrumb,
    MailboxesTitle,
    MailboxesIntro,
    AddMailbox,
    FilterLegend,
    FilterName,
    FilterNamePlaceholder,
    FilterActive,
    FilterAll,
    Yes,
    No,
    ApplyFilter,
    ColName,
    ColEmail,
    ColIncoming,
    ColOutgoing,
    ColPrimary,
    ColActive,
    ColStatus,
    /// Beside the name of a mailbox that is not active.
    MarkInactive,
    EmptyNoMailboxes,
    EmptyNoMatch,
    Loading,
    LoadFailed,
    StatusConnected,
    StatusConnectedAppOnly,
    StatusReconnectNeeded,
    StatusError,
    StatusNotConnected,
    StatusUnchecked,
    NotFoundTitle,
    NotFoundText,
    BackToMailboxes,
    DemoBanner,
    /// The language switch's button: the name of the other language, in that language.
    SwitchLanguage,
    SwitchLanguageLabel,
    MailboxDeleted,
    /// The mailbox page's texts.
    Form(FormMsg),
    /// Connecting with Microsoft.
    Connect(ConnectMsg),
    Diag(DiagMsg),
    /// Signing in and out, roles, the Wijzigingslog.
    Access(AccessMsg),
    /// Fetched messages, "Nu ophalen", "Stuur testmail".
    Mail(MailMsg),
}

impl Msg {
    /// The text of this entry in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        lang.pick(self.pair())
    }

    fn pair(self) -> (&'static str, &'static str) {
        use Msg::*;
        match self {
            AppName => ("Mailboxen koppelen", "Mailbox connections"),
            SkipToContent => ("Naar de inhoud", "Skip to content"),
            NavMain => ("Hoofdmenu", "Main menu"),
            NavSettings => ("Instellingen", "Settings"),
            NavMailboxes => ("Mailboxen", "Mailboxes"),
            NavAppRegistrations => ("App-registraties", "App registrations"),
            AppRegistrationsTitle => ("App-registraties", "App registrations"),
            SetupTitle => ("Microsoft 365 koppelen", "Connect Microsoft 365"),
            NavSetup => ("Microsoft 365 koppelen", "Connect Microsoft 365"),
            Breadcrumb => ("Kruimelpad", "Breadcrumb"),
            MailboxesTitle => ("Mailboxen", "Mailboxes"),
            MailboxesIntro => (
                "Mailboxen waarmee het CRM e-mail ontvangt en verstuurt.",
                "Mailboxes the CRM receives and sends e-mail with.",
            ),
            AddMailbox => ("Mailbox toevoegen", "Add mailbox"),
            FilterLegend => ("Filter", "Filter"),
            FilterName => ("Naam", "Name"),
            FilterNamePlaceholder => ("Zoek op naam", "Search by name"),
            FilterActive => ("Actief", "Active"),
            FilterAll => ("Alle", "All"),
            Yes => ("Ja", "Yes"),
            No => ("Nee", "No"),
            ApplyFilter => ("Filteren", "Filter"),
            ColName => ("Weergavenaam", "Display name"),
            ColEmail => ("E-mail", "E-mail"),
            ColIncoming => ("Inkomend", "Incoming"),
            ColOutgoing => ("Uitgaand", "Outgoing"),
            ColPrimary => ("Primair", "Primary"),
            ColActive => ("Actief", "Active"),
            ColStatus => ("Status", "Status"),
            MarkInactive => ("Niet actief", "Not active"),
            EmptyNoMailboxes => (
                "Er zijn nog geen mailboxen. Voeg de eerste toe met \"Mailbox toevoegen\".",
                "There are no mailboxes yet. Add the first with \"Add mailbox\".",
            ),
            EmptyNoMatch => (
                "Geen mailboxen gevonden die aan het filter voldoen.",
                "No mailboxes match the filter.",
            ),
            Loading => ("Laden…", "Loading…"),
            LoadFailed => (
                "De mailboxen konden niet worden geladen.",
                "The mailboxes could not be loaded.",
            ),
            StatusConnected => ("Verbonden", "Connected"),
            StatusConnectedAppOnly => ("Verbonden (zonder wachtwoord)", "Connected (without password)"),
            StatusReconnectNeeded => ("Opnieuw verbinden nodig", "Reconnect needed"),
            StatusError => ("Fout", "Error"),
            StatusNotConnected => ("Niet verbonden", "Not connected"),
            StatusUnchecked => ("Niet gecontroleerd", "Not checked"),
            NotFoundTitle => ("Pagina niet gevonden", "Page not found"),
            NotFoundText => (
                "Deze pagina bestaat (nog) niet.",
                "This page does not exist (yet).",
            ),
            BackToMailboxes => ("Terug naar Mailboxen", "Back to Mailboxes"),
            SwitchLanguage => ("English", "Nederlands"),
            SwitchLanguageLabel => ("Taal", "Language"),
            DemoBanner => (
                "Demomodus: deze installatie praat met een nagebootste Microsoft-server, niet met Microsoft 365.",
                "Demo mode: this installation talks to a fake Microsoft server, not to Microsoft 365.",
            ),
            MailboxDeleted => ("De mailbox is verwijderd.", "The mailbox has been deleted."),
            Form(msg) => msg.pair(),
            Connect(msg) => msg.pair(),
            Diag(msg) => msg.pair(),
            Access(msg) => msg.pair(),
            Mail(msg) => msg.pair(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_is_the_default_language() {
        assert_eq!(Lang::default(), Lang::Nl);
        assert_eq!(Msg::ColName.text(Lang::default()), "Weergavenaam");
    }

    #[test]
    fn the_cookie_chooses_the_language() {
        let cases = [
            ("taal=en", Lang::En),
            ("a=b; taal=en; c=d", Lang::En),
            ("taal=nl", Lang::Nl),
            ("taal=fr", Lang::Nl),
            ("mytaal=en", Lang::Nl),
            ("", Lang::Nl),
        ];
        for (header, expected) in cases {
            assert_eq!(Lang::from_cookie_header(header), expected, "{header}");
        }
    }

    #[test]
    fn english_differs_where_a_translation_exists() {
        assert_eq!(Msg::NavSettings.text(Lang::En), "Settings");
        assert_eq!(Msg::NavSettings.text(Lang::Nl), "Instellingen");
    }
}
