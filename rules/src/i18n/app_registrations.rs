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
    AddMailbox,
    Name,
    SaveName,
    Renamed,
    NameInvalid,
    Conflict,
    SecretVerified,
    SecretMissing,
    SecretIsId,
    CertificateMade,
    VerifiedNow,
    VerifyFailed,
    TakenIntoUse,
    MustCheckFirst,
    Removed,
    StillInUse,
    RegistrationDeleted,
    NewCredential,
    NewCredentialHelp,
    SecretValue,
    ExpiryRequiredHelp,
    AddSecret,
    MakeCertificate,
    CertificateHelp,
    Download,
    Check,
    TakeIntoUse,
    Remove,
    DeleteRegistration,
    Actions,
    ChooseExisting,
    ChooseHelp,
    OrGuidedSetup,
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
            ChooseExisting => (
                "Een app-registratie die al is ingevoerd gebruiken:",
                "Use an app registration entered before:",
            ),
            ChooseHelp => (
                "Tenant ID en Client id worden dan ingevuld en het opgeslagen geheim of certificaat wordt gebruikt. Of vul hieronder de gegevens van een nieuwe app-registratie in.",
                "Tenant ID and Client id are then filled in and the stored secret or certificate is used. Or enter a new app registration's details below.",
            ),
            OrGuidedSetup => (
                "Nog geen app-registratie in Azure? Stap voor stap, zonder wachtwoorden van mailboxen:",
                "No app registration in Azure yet? Step by step, without mailbox passwords:",
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
            SecretVerified => (
                "Het nieuwe geheim is opgeslagen en Microsoft accepteert het. Neem het in gebruik voor alle mailboxen van deze app-registratie.",
                "The new secret is stored and Microsoft accepts it. Take it into use for all mailboxes of this app registration.",
            ),
            SecretMissing => (
                "Vul de waarde van het geheim in (kolom Value in Azure, alleen zichtbaar direct na het aanmaken).",
                "Enter the secret's value (column Value in Azure, shown only right after it is created).",
            ),
            SecretIsId => (
                "Dit is de Secret ID, niet de waarde. Kopieer in Azure de kolom Value; is die niet meer zichtbaar, maak dan een nieuw geheim.",
                "This is the Secret ID, not the value. Copy the column Value in Azure; if it is no longer shown, create a new secret.",
            ),
            CertificateMade => (
                "Het certificaat is gemaakt. Download het, upload het in Azure bij Certificates & secrets > Certificates > Upload certificate, en klik daarna op Controleren.",
                "The certificate has been made. Download it, upload it in Azure under Certificates & secrets > Certificates > Upload certificate, then click Check.",
            ),
            VerifiedNow => ("Microsoft accepteert dit geheim of certificaat.", "Microsoft accepts this secret or certificate."),
            VerifyFailed => ("Microsoft weigert dit geheim of certificaat.", "Microsoft refuses this secret or certificate."),
            TakenIntoUse => (
                "Alle mailboxen van deze app-registratie gebruiken nu dit geheim of certificaat. Het vorige blijft bewaard tot u het hier verwijdert; verwijder het daarna ook in Azure.",
                "Every mailbox of this app registration now uses this secret or certificate. The previous one is kept until you remove it here; then remove it in Azure too.",
            ),
            MustCheckFirst => (
                "Alleen een geheim of certificaat dat Microsoft accepteert kan in gebruik genomen worden: klik eerst op Controleren.",
                "Only a secret or certificate Microsoft accepts can be taken into use: click Check first.",
            ),
            Removed => ("Verwijderd.", "Removed."),
            StillInUse => (
                "Nog in gebruik bij mailboxen: neem eerst een ander geheim of certificaat in gebruik, of verwijder die mailboxen. Er is niets verwijderd.",
                "Still used by mailboxes: take another secret or certificate into use first, or delete those mailboxes. Nothing was removed.",
            ),
            RegistrationDeleted => ("De app-registratie is verwijderd.", "The app registration has been deleted."),
            Name => ("Naam", "Name"),
            SaveName => ("Naam opslaan", "Save name"),
            Renamed => ("De naam is opgeslagen.", "The name has been saved."),
            NameInvalid => (
                "Vul een naam in van hoogstens 255 tekens.",
                "Enter a name of at most 255 characters.",
            ),
            Conflict => (
                "Iemand anders heeft deze app-registratie intussen gewijzigd. Hieronder staat de nieuwe stand; uw naam staat nog in het veld: sla hem opnieuw op als hij moet blijven.",
                "Someone else changed this app registration in the meantime. The page shows the new state; your name is still in the field: save it again if it should stay.",
            ),
            AddMailbox => (
                "Mailbox van deze app-registratie toevoegen",
                "Add a mailbox of this app registration",
            ),
            NewCredential => ("Nieuw geheim of certificaat", "New secret or certificate"),
            NewCredentialHelp => (
                "Een nieuw geheim of certificaat komt naast het huidige. Het wordt eerst bij Microsoft gecontroleerd en pas gebruikt als u het in gebruik neemt: zo stopt geen mailbox tijdens de wissel.",
                "A new secret or certificate comes beside the current one. It is checked with Microsoft first and used only once you take it into use: no mailbox stops during the change.",
            ),
            SecretValue => ("Client secret waarde", "Client secret value"),
            ExpiryRequiredHelp => (
                "Verplicht: de datum uit de kolom Expires in Azure. Daarmee waarschuwt deze pagina 30 dagen voordat het geheim stopt.",
                "Required: the date in Azure's column Expires. With it this page warns 30 days before the secret stops working.",
            ),
            AddSecret => ("Geheim toevoegen", "Add secret"),
            MakeCertificate => ("Certificaat maken", "Make certificate"),
            CertificateHelp => (
                "Aanbevolen door Microsoft: de sleutel verlaat deze server nooit en er hoeft niets geheims gekopieerd te worden. Geldig voor een jaar.",
                "Recommended by Microsoft: the key never leaves this server and nothing secret needs to be copied. Valid for a year.",
            ),
            Download => ("Certificaat downloaden", "Download certificate"),
            Check => ("Controleren", "Check"),
            TakeIntoUse => ("In gebruik nemen", "Take into use"),
            Remove => ("Verwijderen", "Remove"),
            DeleteRegistration => ("App-registratie verwijderen", "Delete app registration"),
            Actions => ("Acties", "Actions"),
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
