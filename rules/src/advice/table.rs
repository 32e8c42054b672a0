//! The advice table itself (docs/microsoft.md §7 for AADSTS numbers, §6 for Graph errors), in the
//! order it is searched: the first row whose trigger matches gives the advice.

use super::Advice::*;
use super::ManualPart::{AppRegistration as App, Mailbox};
use super::Trigger::{Aadsts, Error, Graph, Named, Outcome, Preflight};
use super::{Entry, ManualStep};

const fn app(steps: &'static str) -> Option<ManualStep> {
    Some(ManualStep { part: App, steps })
}

const fn mailbox(steps: &'static str) -> Option<ManualStep> {
    Some(ManualStep {
        part: Mailbox,
        steps,
    })
}

pub const TABLE: &[Entry] = &[
    Entry {
        advice: RedirectUriMismatch,
        trigger: Aadsts(&[50011]),
        step: app("7"),
        nl: "De Redirect url die deze app meestuurt staat niet (precies zo) in de app-registratie. Voeg hem toe onder Authentication als platformtype Web, letter voor letter gelijk aan de Redirect url op deze pagina.",
        en: "The Redirect url this app sends is not registered (exactly) in the app registration. Add it under Authentication as platform type Web, character for character as shown on this page.",
    },
    Entry {
        advice: NoReplyAddress,
        trigger: Aadsts(&[500113, 900971]),
        step: app("7"),
        nl: "De app-registratie heeft nog geen Redirect url. Voeg de Redirect url van deze pagina toe als platformtype Web.",
        en: "The app registration has no Redirect url yet. Add the Redirect url shown on this page as platform type Web.",
    },
    Entry {
        advice: SpaPlatform,
        trigger: Aadsts(&[9002325]),
        step: app("7"),
        nl: "De Redirect url staat geregistreerd als Single-page application. Verwijder hem daar en voeg hem toe onder platformtype Web.",
        en: "The Redirect url is registered as a Single-page application. Remove it there and add it under platform type Web.",
    },
    Entry {
        advice: RedirectUriChanged,
        trigger: Aadsts(&[500112]),
        step: app("7"),
        nl: "De Redirect url verschilde tussen het inloggen en het ophalen van de tokens. Gebruik één vast https-adres voor deze installatie (PUBLIC_BASE_URL) en registreer precies dat adres.",
        en: "The Redirect url differed between signing in and fetching the tokens. Use one fixed https address for this installation (PUBLIC_BASE_URL) and register exactly that address.",
    },
    Entry {
        advice: AppNotInTenant,
        trigger: Aadsts(&[700016]),
        step: app("15"),
        nl: "Microsoft kent deze app niet in deze tenant. Kopieer het Application (client) ID en het Directory (tenant) ID opnieuw van de overzichtspagina van dezelfde app-registratie.",
        en: "Microsoft does not know this app in this tenant. Copy the Application (client) ID and the Directory (tenant) ID again from the Overview page of the same app registration.",
    },
    Entry {
        advice: TenantNotFound,
        trigger: Aadsts(&[90002, 900023]),
        step: app("15"),
        nl: "Deze tenant bestaat niet. Vul bij Tenant ID het Directory (tenant) ID van de overzichtspagina in (of het .onmicrosoft.com-domein van de organisatie).",
        en: "This tenant does not exist. Fill in the Directory (tenant) ID from the Overview page as Tenant ID (or the organisation's .onmicrosoft.com domain).",
    },
    Entry {
        advice: ClientIdNotGuid,
        trigger: Aadsts(&[90112]),
        step: app("15"),
        nl: "Het Client id is geen GUID. Kopieer het Application (client) ID van de overzichtspagina, niet de naam van de app.",
        en: "The Client id is no GUID. Copy the Application (client) ID from the Overview page, not the app's name.",
    },
    Entry {
        advice: SingleTenantOnCommon,
        trigger: Aadsts(&[50194]),
        step: app("6"),
        nl: "De app-registratie is alleen voor één organisatie bedoeld en er is geen tenant meegestuurd. Vul het Tenant ID in, of kies bij Supported account types voor multitenant.",
        en: "The app registration is for one organisation only and no tenant was sent. Fill in the Tenant ID, or choose multitenant under Supported account types.",
    },
    Entry {
        advice: SecretWrong,
        trigger: Aadsts(&[7000215]),
        step: app("14"),
        nl: "Het client secret is onjuist. Vul de Waarde (Value) van het secret in, niet de Secret ID. De waarde is maar één keer zichtbaar: maak zo nodig een nieuw secret aan.",
        en: "The client secret is wrong. Fill in the secret's Value, not the Secret ID. The value is shown only once: create a new secret if needed.",
    },
    Entry {
        advice: SecretExpired,
        trigger: Aadsts(&[7000222]),
        step: app("13–14"),
        nl: "Het client secret is verlopen. Maak bij Certificates & secrets een nieuw secret aan en vul de Waarde hier in.",
        en: "The client secret has expired. Create a new secret under Certificates & secrets and fill in its Value here.",
    },
    Entry {
        advice: SecretMissing,
        trigger: Aadsts(&[7000218]),
        step: app("14"),
        nl: "Er is geen client secret meegestuurd. Vul het Client secret (de Waarde) in en sla op.",
        en: "No client secret was sent. Fill in the Client secret (its Value) and save.",
    },
    Entry {
        advice: ConsentMissing,
        trigger: Aadsts(&[65001]),
        step: app("12"),
        nl: "Er is nog geen toestemming gegeven voor deze app. Laat een beheerder van de tenant op \"Beheerderstoestemming geven\" klikken (of in Azure op \"Grant admin consent\") en verbind opnieuw.",
        en: "No consent has been given for this app yet. Have a tenant administrator press \"Grant admin consent\" here (or in Azure) and connect again.",
    },
    Entry {
        advice: ConsentDeclined,
        trigger: Aadsts(&[65004]),
        step: app("12"),
        nl: "De aanmelding is afgebroken of de gevraagde toestemming is geweigerd. Verbind opnieuw en klik bij Microsoft op Accepteren; vraagt Microsoft om goedkeuring door een beheerder, laat die dan eerst toestemming geven.",
        en: "The sign-in was cancelled or the requested consent was declined. Connect again and press Accept at Microsoft; if Microsoft asks for an administrator's approval, have one grant consent first.",
    },
    Entry {
        advice: AdminApprovalRequired,
        trigger: Aadsts(&[90094, 90095]),
        step: app("12"),
        nl: "Alleen een beheerder mag deze app toestemming geven. Laat een beheerder van de tenant \"Beheerderstoestemming geven\" doen en verbind daarna opnieuw.",
        en: "Only an administrator may consent to this app. Have a tenant administrator use \"Grant admin consent\", then connect again.",
    },
    Entry {
        advice: PermissionMissing,
        trigger: Aadsts(&[650057, 650056, 65005]),
        step: app("9–12"),
        nl: "De app-registratie mist een Microsoft Graph-recht. Voeg bij API permissions de toepassingsmachtigingen (Application permissions) Mail.Read, Mail.ReadWrite en Mail.Send toe en geef beheerderstoestemming.",
        en: "The app registration lacks a Microsoft Graph permission. Add the Application permissions Mail.Read, Mail.ReadWrite and Mail.Send under API permissions and grant admin consent.",
    },
    Entry {
        advice: OtherTenantAccount,
        trigger: Aadsts(&[50020]),
        step: mailbox("13"),
        nl: "Er is ingelogd met een account van een andere organisatie. Log in met het account van deze mailbox (kies bij Microsoft \"Ander account gebruiken\").",
        en: "An account of another organisation signed in. Sign in with this mailbox's account (choose \"Use another account\" at Microsoft).",
    },
    Entry {
        advice: UserNotAssigned,
        trigger: Aadsts(&[50105]),
        step: None,
        nl: "De gebruiker is niet aan de app toegewezen. Wijs de gebruiker toe bij Enterprise applications > Users and groups, of zet \"Assignment required\" uit.",
        en: "The user is not assigned to the app. Assign the user under Enterprise applications > Users and groups, or turn off \"Assignment required\".",
    },
    Entry {
        advice: ConditionalAccess,
        trigger: Aadsts(&[53003]),
        step: None,
        nl: "Een beleid voor voorwaardelijke toegang (Conditional Access) blokkeert deze aanmelding. Zoek de aanmelding op in de aanmeldlogboeken van Entra ID met de Correlation ID hieronder en pas het beleid aan.",
        en: "A Conditional Access policy blocks this sign-in. Find it in Entra ID's sign-in logs with the Correlation ID below and adjust the policy.",
    },
    Entry {
        advice: MfaReconnect,
        trigger: Aadsts(&[50076, 50079, 50078]),
        step: mailbox("13–15"),
        nl: "Microsoft vraagt om (nieuwe) meervoudige verificatie. Verbind opnieuw met \"Forceer reconnect\" en doorloop de verificatie.",
        en: "Microsoft asks for (renewed) multi-factor authentication. Connect again with \"Force reconnect\" and complete the verification.",
    },
    Entry {
        advice: TokenExpired,
        trigger: Aadsts(&[70008, 700082]),
        step: mailbox("13–15"),
        nl: "De inlogcode of het vernieuwingstoken is verlopen. Verbind de mailbox opnieuw.",
        en: "The sign-in code or refresh token has expired. Connect the mailbox again.",
    },
    Entry {
        advice: GrantRevoked,
        trigger: Aadsts(&[50173]),
        step: mailbox("13–15"),
        nl: "De toegang is ingetrokken, meestal doordat het wachtwoord van de mailbox is gewijzigd. Verbind opnieuw met \"Forceer reconnect\".",
        en: "Access was revoked, usually because the mailbox's password changed. Connect again with \"Force reconnect\".",
    },
    Entry {
        advice: SignInFrequency,
        trigger: Aadsts(&[70043]),
        step: mailbox("13–15"),
        nl: "Een beleid voor aanmeldfrequentie vraagt om opnieuw inloggen. Verbind opnieuw, of pas het beleid aan voor deze mailbox.",
        en: "A sign-in frequency policy requires signing in again. Connect again, or adjust the policy for this mailbox.",
    },
    Entry {
        advice: CodeReused,
        trigger: Aadsts(&[54005]),
        step: mailbox("13–15"),
        nl: "Deze inlogcode was al gebruikt. Start het verbinden opnieuw en herlaad de terugkeerpagina niet.",
        en: "This sign-in code was already used. Start connecting again and do not reload the return page.",
    },
    Entry {
        advice: CodeOtherTenant,
        trigger: Aadsts(&[700005]),
        step: app("15"),
        nl: "De inlogcode hoort bij een andere tenant. Gebruik één Tenant ID: dat van de overzichtspagina van de app-registratie.",
        en: "The sign-in code belongs to another tenant. Use one Tenant ID: the one on the app registration's Overview page.",
    },
    Entry {
        advice: AppBug,
        trigger: Aadsts(&[70011, 1002012]),
        step: None,
        nl: "Deze app vroeg om een ongeldige scope. Dat is een fout in deze app, niet in uw instellingen: meld het met de technische gegevens hieronder.",
        en: "This app asked for an invalid scope. That is a bug in this app, not in your settings: report it with the technical details below.",
    },
    Entry {
        advice: InteractiveNeeded,
        trigger: Aadsts(&[50058]),
        step: mailbox("13"),
        nl: "Microsoft kon niet zonder inlogscherm aanmelden. Verbind opnieuw en log in bij Microsoft.",
        en: "Microsoft could not sign in without its sign-in screen. Connect again and sign in at Microsoft.",
    },
    Entry {
        advice: Cancelled,
        trigger: Error(&["access_denied"]),
        step: mailbox("13–15"),
        nl: "De aanmelding bij Microsoft is afgebroken. Start opnieuw en doorloop de schermen van Microsoft tot u terug bent in deze app.",
        en: "The Microsoft sign-in was cancelled. Start again and complete Microsoft's screens until you are back in this app.",
    },
    Entry {
        advice: Transient,
        trigger: Error(&[
            "server_error",
            "temporarily_unavailable",
            "timeout",
            "unreachable",
            "malformed_response",
            "ServiceUnavailable",
        ]),
        step: None,
        nl: "Een tijdelijke storing bij Microsoft of in het netwerk. Probeer het over een paar minuten opnieuw.",
        en: "A temporary problem at Microsoft or in the network. Try again in a few minutes.",
    },
    Entry {
        advice: StartAgain,
        trigger: Error(&["invalid_grant"]),
        step: mailbox("13–15"),
        nl: "Microsoft nam de aanmelding niet meer aan. Start het verbinden opnieuw.",
        en: "Microsoft no longer accepted the sign-in. Start connecting again.",
    },
    Entry {
        advice: GraphAccessPolicy,
        trigger: Graph {
            code: "ErrorAccessDenied",
            message_contains: Some("OData is disabled"),
        },
        step: None,
        nl: "Een Application Access Policy in Exchange Online sluit deze mailbox uit. Neem de mailbox op in de beveiligingsgroep van het beleid (of pas het beleid aan); een wijziging kan tot een uur duren.",
        en: "An Application Access Policy in Exchange Online excludes this mailbox. Add the mailbox to the policy's security group (or change the policy); a change may take up to an hour.",
    },
    Entry {
        advice: GraphAccessDenied,
        trigger: Graph {
            code: "ErrorAccessDenied",
            message_contains: None,
        },
        step: app("9–12"),
        nl: "De app mag deze mailbox niet lezen: de Mail-rechten ontbreken, zijn als Delegated in plaats van Application toegevoegd, of de beheerderstoestemming is niet gegeven. Controleer API permissions en klik op \"Grant admin consent\".",
        en: "The app may not read this mailbox: the Mail permissions are missing, were added as Delegated instead of Application, or admin consent was not granted. Check API permissions and press \"Grant admin consent\".",
    },
    Entry {
        advice: GraphInvalidUser,
        trigger: Graph {
            code: "ErrorInvalidUser",
            message_contains: None,
        },
        step: app("17–18"),
        nl: "Microsoft kent geen gebruiker met dit Object ID in deze tenant. Kopieer het Object ID van de gebruiker van deze mailbox (Entra ID > Users), niet het Client id of een ID uit een andere tenant.",
        en: "Microsoft knows no user with this Object ID in this tenant. Copy the Object ID of this mailbox's user (Entra ID > Users), not the Client id or an ID from another tenant.",
    },
    Entry {
        advice: GraphNoMailbox,
        trigger: Graph {
            code: "MailboxNotEnabledForRESTAPI",
            message_contains: None,
        },
        step: app("17"),
        nl: "Deze gebruiker heeft geen Exchange Online-mailbox: geen licentie, een gastaccount, een on-premises of verwijderde mailbox. Wijs een licentie met Exchange Online toe of kies de juiste gebruiker.",
        en: "This user has no Exchange Online mailbox: no licence, a guest account, an on-premises or deleted mailbox. Assign a licence with Exchange Online or choose the right user.",
    },
    Entry {
        advice: GraphTokenInvalid,
        trigger: Graph {
            code: "InvalidAuthenticationToken",
            message_contains: None,
        },
        step: mailbox("13–15"),
        nl: "Microsoft Graph nam het token niet aan (verlopen of ongeldig). Probeer opnieuw; blijft het, verbind de mailbox dan opnieuw.",
        en: "Microsoft Graph did not accept the token (expired or invalid). Try again; if it persists, connect the mailbox again.",
    },
    Entry {
        advice: GraphThrottled,
        trigger: Graph {
            code: "TooManyRequests",
            message_contains: None,
        },
        step: None,
        nl: "Microsoft remt het aantal verzoeken voor deze mailbox af. Wacht de aangegeven tijd; de app probeert het daarna zelf opnieuw.",
        en: "Microsoft is throttling requests for this mailbox. Wait the time it asks; the app then tries again by itself.",
    },
    Entry {
        advice: WrongAccount,
        trigger: Outcome(&["wrong_account"]),
        step: mailbox("13"),
        nl: "Er is ingelogd met een ander account dan dat van deze mailbox. Verbind opnieuw en kies bij Microsoft \"Ander account gebruiken\" als het verkeerde account wordt voorgesteld.",
        en: "Another account than this mailbox's signed in. Connect again and choose \"Use another account\" at Microsoft if the wrong one is offered.",
    },
    Entry {
        advice: NotReturned,
        trigger: Outcome(&["expired", "not_returned"]),
        step: app("6, 7, 15"),
        nl: "Microsoft stuurde de browser niet terug. Toonde Microsoft een foutpagina, kijk dan naar de code: AADSTS50057 — de account van de mailbox is geblokkeerd voor aanmelden (zo hoort het bij een gedeelde mailbox): kies \"Zonder wachtwoord\" hieronder; AADSTS50011 — de Redirect url is niet (precies zo) als platformtype Web geregistreerd (stap 7); AADSTS700016 — Client id of Tenant ID hoort niet bij deze app-registratie (stap 15); AADSTS90002 — de tenant bestaat niet (stap 15); AADSTS50194 — de app is single-tenant en er is geen Tenant ID ingevuld (stap 6).",
        en: "Microsoft did not send the browser back. If Microsoft showed an error page, look at its code: AADSTS50057 — the mailbox's account has sign-in blocked (as it should for a shared mailbox): choose \"Without password\" below; AADSTS50011 — the Redirect url is not registered (exactly) as platform type Web (step 7); AADSTS700016 — Client id or Tenant ID does not belong to this app registration (step 15); AADSTS90002 — the tenant does not exist (step 15); AADSTS50194 — the app is single-tenant and no Tenant ID was filled in (step 6).",
    },
    Entry {
        advice: InvalidIdToken,
        trigger: Outcome(&["invalid_id_token"]),
        step: app("15"),
        nl: "Het antwoord van Microsoft hoort niet bij deze app of tenant. Controleer Client id en Tenant ID op de overzichtspagina.",
        en: "Microsoft's answer does not belong to this app or tenant. Check Client id and Tenant ID on the Overview page.",
    },
    Entry {
        advice: RedirectUriNotHttps,
        trigger: Preflight,
        step: app("7"),
        nl: "Microsoft accepteert voor platformtype Web alleen https-adressen (behalve localhost). Zet PUBLIC_BASE_URL op het https-adres van deze installatie.",
        en: "Microsoft accepts only https addresses for platform type Web (except localhost). Set PUBLIC_BASE_URL to this installation's https address.",
    },
    Entry {
        advice: SecretLooksLikeSecretId,
        trigger: Preflight,
        step: app("14"),
        nl: "Het opgeslagen client secret heeft de vorm van een Secret ID (een GUID). Vul de Waarde (Value) van het secret in, niet de Secret ID.",
        en: "The stored client secret has the shape of a Secret ID (a GUID). Fill in the secret's Value, not the Secret ID.",
    },
    Entry {
        advice: AccountDisabled,
        trigger: Aadsts(&[50057]),
        step: None,
        nl: "De account van deze mailbox is geblokkeerd voor aanmelden (AADSTS50057). Microsoft raadt dat aan voor gedeelde mailboxen: laat de blokkade staan en verbind de mailbox zonder wachtwoord (toepassingsmachtigingen).",
        en: "This mailbox's account has sign-in blocked (AADSTS50057). Microsoft advises that for shared mailboxes: keep it blocked and connect the mailbox without password (application permissions).",
    },
    Entry {
        advice: AppOnlyOutsideScope,
        trigger: Named(&["outside_scope"]),
        step: None,
        nl: "Microsoft Graph weigert deze mailbox (403) en het token van de app bevat geen organisatiebrede Mail-toestemming. De mailbox valt dus buiten de Exchange-scope van de app (RBAC for Applications): voeg hem toe aan de management scope (Set-ManagementScope, zie de test van de app-registratie). Of er is nog geen toestemming: geef de app de Exchange-rol Application Mail.ReadWrite op een scope met deze mailbox. Een wijziging kan bij Microsoft tot twee uur duren.",
        en: "Microsoft Graph refuses this mailbox (403) and the app's token holds no organisation-wide Mail permission. So the mailbox is outside the app's Exchange scope (RBAC for Applications): add it to the management scope (Set-ManagementScope, see the app registration test). Or there is no permission yet: give the app the Exchange role Application Mail.ReadWrite on a scope with this mailbox. A change may take up to two hours at Microsoft.",
    },
    Entry {
        advice: AppOnlyNotFoundByAddress,
        trigger: Named(&["not_found_by_address"]),
        step: app("16–18"),
        nl: "Microsoft vindt geen gebruiker met dit e-mailadres als aanmeldnaam (UPN): het is waarschijnlijk een alias. Vul het Object ID van de mailbox in (Entra ID > Gebruikers > de mailbox > Object ID).",
        en: "Microsoft finds no user with this e-mail address as sign-in name (UPN): it is probably an alias. Fill in the mailbox's Object ID (Entra ID > Users > the mailbox > Object ID).",
    },
    Entry {
        advice: AppOnlyTenantWide,
        trigger: Preflight,
        step: app("10–12"),
        nl: "Let op: het token van de app bevat een organisatiebrede Mail-toestemming, dus de app kan elke mailbox van de organisatie lezen. Beperk haar tot de mailboxen van het CRM met het PowerShell-script hieronder (Exchange Online RBAC for Applications) en verwijder daarna de organisatiebrede toestemming.",
        en: "Note: the app's token holds an organisation-wide Mail permission, so the app can read every mailbox of the organisation. Limit it to the CRM's mailboxes with the PowerShell script below (Exchange Online RBAC for Applications) and then remove the organisation-wide permission.",
    },
];
