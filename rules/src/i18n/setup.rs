//! "Microsoft 365 koppelen", the guided setup (issue 19). Rendered on the server only: no
//! island reads these, so they cost the browser bundle nothing.

use crate::setup::answer::SetupAnswer;
use crate::setup::Step;

/// One text of the guided setup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupMsg {
    Title,
    Intro,
    Start,
    Unfinished,
    Resume,
    StepOf,
    StepDone,
    StepCurrent,
    StepLater,
    CheckAgain,
    Check,
    Copy,
    Copied,
    CheckApp,
    CheckConsent,
    CheckedAt,
    // Step 1
    TenantHow,
    TenantField,
    TenantHelp,
    // Step 2
    AppPortal,
    AppName,
    AppAccounts,
    AppAccountsWhy,
    AppRedirect,
    AppRedirectWhy,
    AppRegister,
    ClientIdField,
    // Step 3
    CredentialHow,
    CertificateRecommended,
    CertificateUpload,
    SecretAlternative,
    SecretHow,
    CredentialAccepted,
    // Step 4
    ConsentHow,
    ConsentPermissions,
    ConsentGrant,
    ConsentRbacOnly,
    ConsentSkip,
    ConsentSkipped,
    // Step 5
    ScopeHow,
    AddressesField,
    AddressesHelp,
    ScopeScriptTitle,
    ScopeScriptHow,
    ScopeWait,
    // Step 6
    MailboxesHow,
    AddMailboxes,
    MailboxAdded,
    MailboxNotReachable,
    Done,
    DoneHow,
    ToMailboxes,
    // Refusals
    TenantInvalid,
    ClientIdInvalid,
    NoAddresses,
    AddressInvalid,
    TooManyAddresses,
    StepNotOpen,
    NotFound,
}

impl SetupMsg {
    pub fn text(self, lang: super::Lang) -> &'static str {
        lang.pick(self.pair())
    }

    /// The step's title.
    pub fn step_title(step: Step, lang: super::Lang) -> &'static str {
        lang.pick(match step {
            Step::Tenant => ("Tenant", "Tenant"),
            Step::App => ("App registreren", "Register the app"),
            Step::Credential => ("Certificaat of geheim", "Certificate or secret"),
            Step::Consent => ("Toestemming", "Consent"),
            Step::Scope => ("Welke mailboxen", "Which mailboxes"),
            Step::Mailboxes => ("Mailboxen toevoegen", "Add the mailboxes"),
            Step::Done => ("Klaar", "Done"),
        })
    }

    /// The words for a refused form.
    pub fn answer(answer: SetupAnswer) -> SetupMsg {
        match answer {
            SetupAnswer::TenantInvalid => SetupMsg::TenantInvalid,
            SetupAnswer::ClientIdInvalid => SetupMsg::ClientIdInvalid,
            SetupAnswer::NoAddresses => SetupMsg::NoAddresses,
            SetupAnswer::AddressInvalid => SetupMsg::AddressInvalid,
            SetupAnswer::TooManyAddresses => SetupMsg::TooManyAddresses,
            SetupAnswer::StepNotOpen => SetupMsg::StepNotOpen,
            SetupAnswer::NotFound => SetupMsg::NotFound,
        }
    }

    fn pair(self) -> (&'static str, &'static str) {
        use SetupMsg::*;
        match self {
            Title => ("Microsoft 365 koppelen", "Connect Microsoft 365"),
            Intro => (
                "In zes stappen koppelt u de mailboxen van uw organisatie, zonder hun wachtwoorden: de app leest alleen de mailboxen die u aanwijst. Elke stap wordt direct bij Microsoft gecontroleerd. U kunt stoppen en later verdergaan.",
                "Six steps connect your organisation's mailboxes, without their passwords: the app reads only the mailboxes you designate. Each step is checked with Microsoft right away. You can stop and continue later.",
            ),
            Start => ("Beginnen", "Start"),
            Unfinished => ("Nog niet afgemaakt", "Not finished yet"),
            Resume => ("Verdergaan", "Continue"),
            StepOf => ("Stap {n} van 6", "Step {n} of 6"),
            StepDone => ("gelukt", "done"),
            StepCurrent => ("nu aan de beurt", "current"),
            StepLater => ("later", "later"),
            CheckAgain => ("Opnieuw controleren", "Check again"),
            Check => ("Controleren", "Check"),
            Copy => ("Kopiëren", "Copy"),
            Copied => ("Gekopieerd", "Copied"),
            CheckApp => ("App bestaat in deze tenant", "App exists in this tenant"),
            CheckConsent => (
                "Beheerderstoestemming voor de toepassingsmachtigingen",
                "Admin consent for the application permissions",
            ),
            CheckedAt => ("Gecontroleerd", "Checked"),
            TenantHow => (
                "Open portal.azure.com, ga naar Microsoft Entra ID > Overzicht en kopieer de Tenant-ID. Een domeinnaam van uw organisatie (zoals energiedemo.onmicrosoft.com) mag ook: die wordt omgezet in de Tenant-ID.",
                "Open portal.azure.com, go to Microsoft Entra ID > Overview and copy the Tenant ID. A domain of your organisation (such as energiedemo.onmicrosoft.com) works too: it is resolved to the Tenant ID.",
            ),
            TenantField => ("Tenant ID", "Tenant ID"),
            TenantHelp => (
                "Directory (tenant) ID: 36 tekens met streepjes, of een domeinnaam.",
                "Directory (tenant) ID: 36 characters with dashes, or a domain name.",
            ),
            AppPortal => (
                "Ga in de Azure-portal naar Microsoft Entra ID > App-registraties > Nieuwe registratie en vul in:",
                "In the Azure portal go to Microsoft Entra ID > App registrations > New registration and enter:",
            ),
            AppName => ("Naam", "Name"),
            AppAccounts => (
                "Ondersteunde accounttypen: Alleen accounts in deze organisatiemap (één tenant).",
                "Supported account types: Accounts in this organizational directory only (single tenant).",
            ),
            AppAccountsWhy => (
                "Eén tenant is de veiligste keuze: alleen uw eigen organisatie kan de app gebruiken. Een multitenant-app kan ook in andere organisaties toestemming krijgen, en dat heeft een CRM voor uw eigen mailboxen nooit nodig.",
                "Single tenant is the safer choice: only your own organisation can use the app. A multi-tenant app can be granted consent in other organisations too, which a CRM for your own mailboxes never needs.",
            ),
            AppRedirect => ("Omleidings-URI: platform Web,", "Redirect URI: platform Web,"),
            AppRedirectWhy => (
                "Alleen nodig voor mailboxen die met hun eigen wachtwoord inloggen; kies Web, niet Single-page application.",
                "Only needed for mailboxes that sign in with their own password; choose Web, not Single-page application.",
            ),
            AppRegister => (
                "Klik op Registreren en kopieer op de overzichtspagina de Toepassings-ID (client), Application (client) ID.",
                "Click Register and copy the Application (client) ID from the overview page.",
            ),
            ClientIdField => ("Client id", "Client id"),
            CredentialHow => (
                "De app bewijst bij elke aanvraag wie hij is, met een certificaat of een geheim. Het wordt hier één keer bewaard en geldt voor al zijn mailboxen.",
                "The app proves who it is with every request, with a certificate or a secret. It is stored here once and serves all its mailboxes.",
            ),
            CertificateRecommended => (
                "Certificaat (aangeraden door Microsoft): de sleutel verlaat deze server niet, er valt niets over te typen en de verloopdatum is bekend.",
                "Certificate (Microsoft's advice): the key never leaves this server, nothing is typed over and its end date is known.",
            ),
            CertificateUpload => (
                "Download het certificaat, upload het in Azure bij Certificaten en geheimen > Certificaten > Certificaat uploaden, en klik dan hier op Controleren.",
                "Download the certificate, upload it in Azure under Certificates & secrets > Certificates > Upload certificate, then click Check here.",
            ),
            SecretAlternative => ("Of een clientgeheim", "Or a client secret"),
            SecretHow => (
                "Certificaten en geheimen > Clientgeheimen > Nieuw clientgeheim. Kopieer de Waarde (niet de Geheim-ID; de waarde is maar één keer zichtbaar) en de datum in de kolom Verloopt.",
                "Certificates & secrets > Client secrets > New client secret. Copy the Value (not the Secret ID; the value is shown only once) and the date in the column Expires.",
            ),
            CredentialAccepted => ("Microsoft accepteert", "Microsoft accepts"),
            ConsentHow => (
                "Ga in de app-registratie naar API-machtigingen > Een machtiging toevoegen > Microsoft Graph > Toepassingsmachtigingen en kies:",
                "In the app registration go to API permissions > Add a permission > Microsoft Graph > Application permissions and choose:",
            ),
            ConsentPermissions => (
                "Mail.ReadWrite (lezen en als gelezen markeren) en Mail.Send (uitgaande mail).",
                "Mail.ReadWrite (reading and marking as read) and Mail.Send (outgoing mail).",
            ),
            ConsentGrant => (
                "Klik daarna op Beheerderstoestemming verlenen voor uw organisatie. Deze machtigingen gelden eerst voor álle mailboxen; de volgende stap beperkt ze.",
                "Then click Grant admin consent for your organisation. These permissions first cover every mailbox; the next step limits them.",
            ),
            ConsentRbacOnly => (
                "Regelt u de toegang alleen in Exchange (RBAC voor toepassingen), zonder Entra-machtigingen? Sla deze stap dan over: de volgende stap controleert of de app de mailboxen bereikt.",
                "Do you grant access only in Exchange (RBAC for Applications), without Entra permissions? Then skip this step: the next step checks that the app reaches the mailboxes.",
            ),
            ConsentSkip => ("Overslaan: alleen Exchange RBAC", "Skip: Exchange RBAC only"),
            ConsentSkipped => (
                "Overgeslagen: de toegang loopt alleen via Exchange RBAC.",
                "Skipped: access is granted through Exchange RBAC only.",
            ),
            ScopeHow => (
                "Vul de adressen in van de mailboxen die het CRM mag lezen. De controle leest de inbox van elk adres met het eigen token van de app en kijkt of de app niet méér mag.",
                "Enter the addresses of the mailboxes the CRM may read. The check reads each address's inbox with the app's own token and looks whether the app may do more.",
            ),
            AddressesField => ("Mailboxadressen", "Mailbox addresses"),
            AddressesHelp => (
                "Eén adres per regel, hoogstens 50. Gedeelde mailboxen zonder eigen aanmelding werken ook.",
                "One address per line, at most 50. Shared mailboxes without their own sign-in work too.",
            ),
            ScopeScriptTitle => (
                "Beperk de app tot deze mailboxen",
                "Limit the app to these mailboxes",
            ),
            ScopeScriptHow => (
                "Voer dit uit in Exchange Online PowerShell als Exchange-beheerder, verwijder daarna in Azure de toepassingsmachtigingen Mail.* en controleer opnieuw.",
                "Run this in Exchange Online PowerShell as an Exchange administrator, then remove the application permissions Mail.* in Azure and check again.",
            ),
            ScopeWait => (
                "Exchange past nieuwe rollen soms pas na een half uur tot twee uur toe: een mailbox die nog geweigerd wordt, kan later wel lukken.",
                "Exchange sometimes applies new roles only after half an hour to two hours: a mailbox still refused may work later.",
            ),
            MailboxesHow => (
                "Deze mailboxen worden toegevoegd als Microsoft Api, zonder wachtwoord, met deze app-registratie; het ophalen begint meteen. Naam en instellingen kunt u daarna per mailbox aanpassen.",
                "These mailboxes are added as Microsoft Api, without password, with this app registration; fetching starts at once. You can change each mailbox's name and settings afterwards.",
            ),
            AddMailboxes => ("Mailboxen toevoegen", "Add the mailboxes"),
            MailboxAdded => ("toegevoegd", "added"),
            MailboxNotReachable => (
                "niet bereikbaar: eerst stap 5 laten slagen",
                "not reachable: make step 5 pass first",
            ),
            Done => (
                "Klaar: de mailboxen zijn gekoppeld zonder wachtwoord.",
                "Done: the mailboxes are connected without password.",
            ),
            DoneHow => (
                "Het geheim of certificaat en zijn verloopdatum staan onder App-registraties; 30 dagen voor het einde waarschuwt het CRM.",
                "The secret or certificate and its end date are under App registrations; the CRM warns 30 days before it ends.",
            ),
            ToMailboxes => ("Naar de mailboxen", "To the mailboxes"),
            TenantInvalid => (
                "Vul een Tenant-ID in (36 tekens met streepjes) of een domeinnaam van uw organisatie.",
                "Enter a Tenant ID (36 characters with dashes) or a domain of your organisation.",
            ),
            ClientIdInvalid => (
                "De Client id is een GUID van 36 tekens met streepjes: de Application (client) ID van de overzichtspagina, niet de Object ID of de naam.",
                "The Client id is a 36-character GUID with dashes: the Application (client) ID of the overview page, not the Object ID or the name.",
            ),
            NoAddresses => ("Vul minstens één mailboxadres in.", "Enter at least one mailbox address."),
            AddressInvalid => (
                "Dit is geen e-mailadres: verbeter het en controleer opnieuw.",
                "This is not an e-mail address: correct it and check again.",
            ),
            TooManyAddresses => (
                "Hoogstens 50 adressen per keer.",
                "At most 50 addresses at a time.",
            ),
            StepNotOpen => (
                "Deze stap is nog niet aan de beurt: een eerdere stap is nog niet gelukt.",
                "This step is not open yet: an earlier step has not passed.",
            ),
            NotFound => (
                "Deze koppeling bestaat niet (meer).",
                "This setup does not exist (any more).",
            ),
        }
    }
}
