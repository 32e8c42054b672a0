//! The app registrations page (issue 19). Rendered on the server only: no island reads
//! these, so they cost the browser bundle nothing.

use crate::app_registrations::{Expiry, ExpiryDateError};

/// One text of the app registrations page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppRegMsg {
    Intro,
    Empty,
    TenantId,
    ClientId,
    Credentials,
    Mailboxes,
    NoMailboxes,
    Secret,
    Certificate,
    Expires,
    Verified,
    NotVerified,
    UsedBy,
    SecretsDiffer,
    ExpiryUnknown,
    ExpiryValid,
    Expired,
    ExpiredAdvice,
    SoonAdvice,
    UnknownAdvice,
    SetExpiry,
    ExpiryDate,
    ExpirySaved,
    DateNotADate,
    DateInThePast,
    DateTooFar,
    DateMissing,
    NotFound,
}

impl AppRegMsg {
    pub fn text(self, lang: super::Lang) -> &'static str {
        lang.pick(self.pair())
    }

    fn pair(self) -> (&'static str, &'static str) {
        use AppRegMsg::*;
        match self {
            Intro => (
                "Een app-registratie in Azure (Tenant ID + Client id) wordt door al haar mailboxen gedeeld: het geheim of certificaat staat hier één keer.",
                "An app registration in Azure (Tenant ID + Client id) is shared by all its mailboxes: its secret or certificate is stored here once.",
            ),
            Empty => (
                "Nog geen app-registraties. Ze ontstaan zodra een mailbox van het type Microsoft Api wordt opgeslagen.",
                "No app registrations yet. One appears as soon as a mailbox of type Microsoft Api is saved.",
            ),
            TenantId => ("Tenant ID", "Tenant ID"),
            ClientId => ("Client id", "Client id"),
            Credentials => ("Geheimen en certificaten", "Secrets and certificates"),
            Mailboxes => ("Mailboxen", "Mailboxes"),
            NoMailboxes => ("Geen mailboxen", "No mailboxes"),
            Secret => ("Client secret", "Client secret"),
            Certificate => ("Certificaat", "Certificate"),
            Expires => ("Verloopt", "Expires"),
            Verified => ("Laatst gelukt", "Last worked"),
            NotVerified => ("nog niet gebruikt", "not used yet"),
            UsedBy => ("In gebruik bij", "Used by"),
            SecretsDiffer => (
                "De mailboxen van deze app-registratie gebruiken verschillende geheimen. Ze zijn allemaal bewaard; controleer in Azure welke nog geldig zijn en vul bij de andere mailboxen dezelfde waarde in.",
                "The mailboxes of this app registration use different secrets. All of them were kept; check in Azure which are still valid and enter the same value for the other mailboxes.",
            ),
            ExpiryUnknown => ("onbekend", "unknown"),
            ExpiryValid => ("geldig", "valid"),
            Expired => ("Verlopen", "Expired"),
            ExpiredAdvice => (
                "Verlopen: Microsoft weigert dit geheim of certificaat (AADSTS7000222). Maak in Azure bij Certificates & secrets een nieuw aan en vul het hier in.",
                "Expired: Microsoft refuses this secret or certificate (AADSTS7000222). Create a new one in Azure under Certificates & secrets and enter it here.",
            ),
            SoonAdvice => (
                "Maak in Azure bij Certificates & secrets alvast een nieuw geheim of certificaat en vul het hier in; het oude blijft werken tot het verloopt.",
                "Create a new secret or certificate in Azure under Certificates & secrets now and enter it here; the old one keeps working until it expires.",
            ),
            UnknownAdvice => (
                "Vul de verloopdatum in die Azure bij Certificates & secrets toont (kolom Expires): dan waarschuwt deze pagina 30 dagen vooraf, in plaats van dat alle mailboxen tegelijk stoppen.",
                "Enter the expiry date Azure shows under Certificates & secrets (column Expires): this page then warns 30 days ahead, instead of every mailbox stopping at once.",
            ),
            SetExpiry => ("Verloopdatum opslaan", "Save expiry date"),
            ExpiryDate => ("Verloopt op", "Expires on"),
            ExpirySaved => ("De verloopdatum is opgeslagen.", "The expiry date has been saved."),
            DateNotADate => ("Vul een datum in als 2027-06-30.", "Enter a date such as 2027-06-30."),
            DateInThePast => (
                "Deze datum is al voorbij: een verlopen geheim werkt niet meer. Maak in Azure een nieuw geheim.",
                "This date has passed: an expired secret no longer works. Create a new secret in Azure.",
            ),
            DateTooFar => (
                "Azure maakt geen geheimen die langer dan 24 maanden geldig zijn: controleer de datum.",
                "Azure makes no secrets valid for longer than 24 months: check the date.",
            ),
            DateMissing => ("Vul de verloopdatum in.", "Enter the expiry date."),
            NotFound => (
                "Dit geheim of certificaat bestaat niet (meer).",
                "This secret or certificate does not exist (any more).",
            ),
        }
    }

    /// The words for a refused date.
    pub fn date_error(error: ExpiryDateError) -> AppRegMsg {
        match error {
            ExpiryDateError::NotADate => AppRegMsg::DateNotADate,
            ExpiryDateError::InThePast => AppRegMsg::DateInThePast,
            ExpiryDateError::TooFar => AppRegMsg::DateTooFar,
        }
    }
}

/// "Verloopt over 12 dagen" / "Verloopt vandaag" / "Verlopen" / …, for `expiry`.
pub fn expiry_text(expiry: Expiry, lang: super::Lang) -> String {
    match (expiry, lang) {
        (Expiry::Unknown, _) => AppRegMsg::ExpiryUnknown.text(lang).to_string(),
        (Expiry::Valid, _) => AppRegMsg::ExpiryValid.text(lang).to_string(),
        (Expiry::Expired, _) => AppRegMsg::Expired.text(lang).to_string(),
        (Expiry::Soon { days_left: n } | Expiry::Urgent { days_left: n }, super::Lang::Nl) => {
            match n {
                0 => "Verloopt vandaag".to_string(),
                1 => "Verloopt morgen".to_string(),
                n => format!("Verloopt over {n} dagen"),
            }
        }
        (Expiry::Soon { days_left: n } | Expiry::Urgent { days_left: n }, _) => match n {
            0 => "Expires today".to_string(),
            1 => "Expires tomorrow".to_string(),
            n => format!("Expires in {n} days"),
        },
    }
}
