//! The one catalogue of validation texts. Dutch is the product's language; English is a
//! translation for logs and tests. Step numbers refer to the chapter "App registratie
//! aanmaken" of the Microsoft API manual (seeds/handleiding-microsoft-api.txt).

// One language type for the whole app: the screens' catalogue (`i18n`) and this one.
pub use crate::i18n::Lang;

use super::form::Field;
use super::issue::IssueCode;

impl IssueCode {
    /// The advice shown next to the field.
    pub fn message(self, lang: Lang) -> &'static str {
        let (nl, en) = texts(self);
        match lang {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }
}

type Texts = (&'static str, &'static str);

fn required(field: Field) -> Texts {
    match field {
        Field::Name => ("Vul een weergavenaam in.", "Enter a display name."),
        Field::Email => (
            "Vul het e-mailadres van de mailbox in.",
            "Enter the mailbox's e-mail address.",
        ),
        Field::IncomingType => (
            "Kies het inkomende mail type: IMAP of Microsoft Api.",
            "Choose the incoming mail type: IMAP or Microsoft Api.",
        ),
        Field::OutgoingType => (
            "Kies het uitgaande mail type: SMTP of Microsoft Api.",
            "Choose the outgoing mail type: SMTP or Microsoft Api.",
        ),
        Field::ImapHost => (
            "Vul de IMAP host in, bijvoorbeeld imap.jouwprovider.nl.",
            "Enter the IMAP host, for example imap.yourprovider.com.",
        ),
        Field::ImapPort => (
            "Vul de IMAP poort in (meestal 993).",
            "Enter the IMAP port (usually 993).",
        ),
        Field::SmtpHost => (
            "Vul de SMTP host in, bijvoorbeeld smtp.jouwprovider.nl.",
            "Enter the SMTP host, for example smtp.yourprovider.com.",
        ),
        Field::SmtpPort => (
            "Vul de SMTP poort in (meestal 587 of 465).",
            "Enter the SMTP port (usually 587 or 465).",
        ),
        Field::Username => (
            "Vul de gebruikersnaam voor de mailserver in (vaak het e-mailadres).",
            "Enter the user name for the mail server (often the e-mail address).",
        ),
        Field::Password => (
            "Vul het wachtwoord voor de mailserver in.",
            "Enter the password for the mail server.",
        ),
        Field::ClientId => (
            "Vul de Client id in: het Application (client) ID op de overzichtspagina (Overview) van de app-registratie (handleiding, stap 15).",
            "Enter the Client id: the Application (client) ID on the app registration's Overview page (manual, step 15).",
        ),
        Field::TenantId => (
            "Vul de Tenant ID in: het Directory (tenant) ID op de overzichtspagina (Overview) van de app-registratie (handleiding, stap 15).",
            "Enter the Tenant ID: the Directory (tenant) ID on the app registration's Overview page (manual, step 15).",
        ),
        Field::ClientSecret => (
            "Vul de Client secret waarde in: de Waarde (Value) van het client secret die je in stap 14 van de handleiding hebt opgeslagen.",
            "Enter the Client secret value: the secret's Value you saved in step 14 of the manual.",
        ),
        Field::ObjectId => (
            "Vul de Object ID in van de gebruiker van deze mailbox: Microsoft Entra ID > Gebruikers > gebruiker openen (handleiding, stap 16–18).",
            "Enter the Object ID of this mailbox's user: Microsoft Entra ID > Users > open the user (manual, steps 16–18).",
        ),
        _ => ("Dit veld is verplicht.", "This field is required."),
    }
}

fn texts(code: IssueCode) -> Texts {
    match code {
        IssueCode::Required(field) => required(field),
        IssueCode::TooLong => ("Maximaal 255 tekens.", "At most 255 characters."),
        IssueCode::UnknownChoice => (
            "Kies een van de opties uit de lijst.",
            "Choose one of the options in the list.",
        ),
        IssueCode::IncomingNoneNeedsOnlyOutgoing => (
            "Kies IMAP of Microsoft Api. N.v.t. kan alleen bij een mailbox voor alleen uitgaande emails.",
            "Choose IMAP or Microsoft Api. N/A is only for a mailbox for outgoing mail only.",
        ),
        IssueCode::EmailWhitespace => (
            "Een e-mailadres mag geen spaties bevatten.",
            "An e-mail address cannot contain spaces.",
        ),
        IssueCode::EmailTooLong => (
            "Een e-mailadres is hooguit 254 tekens lang.",
            "An e-mail address is at most 254 characters long.",
        ),
        IssueCode::EmailAtSign => (
            "Een e-mailadres bevat precies één @, bijvoorbeeld info@energiecooperatie.nl.",
            "An e-mail address contains exactly one @, for example info@energycooperative.org.",
        ),
        IssueCode::EmailLocalPart => (
            "Het deel vóór de @ is ongeldig: gebruik letters, cijfers en tekens als . - _ +, hooguit 64 tekens, niet beginnend of eindigend met een punt en zonder twee punten achter elkaar.",
            "The part before the @ is invalid: use letters, digits and characters such as . - _ +, at most 64 characters, not starting or ending with a dot and without two dots in a row.",
        ),
        IssueCode::EmailDomain => (
            "Na de @ hoort een domeinnaam met een punt, bijvoorbeeld energiecooperatie.nl.",
            "After the @ comes a domain name with a dot, for example energycooperative.org.",
        ),
        IssueCode::HostInvalid => (
            "Vul alleen de servernaam in, zonder spaties, https://, gebruikersnaam of poort, bijvoorbeeld imap.jouwprovider.nl. De poort heeft een eigen veld.",
            "Enter the server name only, without spaces, https://, user name or port, for example imap.yourprovider.com. The port has a field of its own.",
        ),
        IssueCode::PortNotNumber => (
            "Een poort bestaat alleen uit cijfers, bijvoorbeeld 993.",
            "A port consists of digits only, for example 993.",
        ),
        IssueCode::PortOutOfRange => (
            "Een poort is een getal van 1 tot en met 65535.",
            "A port is a number from 1 to 65535.",
        ),
        IssueCode::ClientIdNotGuid => (
            "Een Client id bestaat uit 32 tekens 0-9 en a-f in groepjes 8-4-4-4-12, zoals 1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901. Kopieer het Application (client) ID van de overzichtspagina van de app-registratie (handleiding, stap 15).",
            "A Client id consists of 32 characters 0-9 and a-f grouped 8-4-4-4-12, such as 1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901. Copy the Application (client) ID from the app registration's Overview page (manual, step 15).",
        ),
        IssueCode::ObjectIdNotGuid => (
            "Een Object ID bestaat uit 32 tekens 0-9 en a-f in groepjes 8-4-4-4-12. Kopieer de Object ID van de gebruiker van deze mailbox: Microsoft Entra ID > Gebruikers > gebruiker openen (handleiding, stap 16–18).",
            "An Object ID consists of 32 characters 0-9 and a-f grouped 8-4-4-4-12. Copy the Object ID of this mailbox's user: Microsoft Entra ID > Users > open the user (manual, steps 16–18).",
        ),
        IssueCode::TenantIdInvalid => (
            "Vul het Directory (tenant) ID in (32 tekens 0-9 en a-f in groepjes 8-4-4-4-12, handleiding stap 15) of een domein van jullie organisatie, zoals jullieorganisatie.onmicrosoft.com.",
            "Enter the Directory (tenant) ID (32 characters 0-9 and a-f grouped 8-4-4-4-12, manual step 15) or a domain of your organisation, such as yourorganisation.onmicrosoft.com.",
        ),
        IssueCode::NilGuid => (
            "00000000-0000-0000-0000-000000000000 is een voorbeeldwaarde, geen echt ID. Kopieer het echte ID uit Azure (handleiding, stap 15 of 18).",
            "00000000-0000-0000-0000-000000000000 is a placeholder, not a real ID. Copy the real ID from Azure (manual, step 15 or 18).",
        ),
        IssueCode::TenantIsConsumerTenant => (
            "Dit is de tenant van persoonlijke Microsoft-accounts (outlook.com, hotmail.com). Vul het Directory (tenant) ID van jullie eigen organisatie in (handleiding, stap 15).",
            "This is the tenant of personal Microsoft accounts (outlook.com, hotmail.com). Enter your own organisation's Directory (tenant) ID (manual, step 15).",
        ),
        IssueCode::TenantIsCommon => (
            "'common' is geen tenant. Een app voor één organisatie krijgt daarmee fout AADSTS50194, en een token ophalen met de client secret vraagt altijd een specifieke tenant. Vul het Directory (tenant) ID in (handleiding, stap 15).",
            "'common' is not a tenant. A single-tenant app fails with AADSTS50194 on it, and getting a token with the client secret always needs a specific tenant. Enter the Directory (tenant) ID (manual, step 15).",
        ),
        IssueCode::TenantIsOrganizations => (
            "'organizations' staat voor de werk- en schoolaccounts van alle organisaties, niet voor die van jullie. Een token ophalen met de client secret vraagt een specifieke tenant: vul het Directory (tenant) ID in (handleiding, stap 15).",
            "'organizations' stands for the work and school accounts of every organisation, not yours. Getting a token with the client secret needs a specific tenant: enter the Directory (tenant) ID (manual, step 15).",
        ),
        IssueCode::TenantIsConsumers => (
            "'consumers' staat voor persoonlijke Microsoft-accounts en werkt niet voor de mailboxen van een organisatie. Vul het Directory (tenant) ID in (handleiding, stap 15).",
            "'consumers' stands for personal Microsoft accounts and does not work for an organisation's mailboxes. Enter the Directory (tenant) ID (manual, step 15).",
        ),
        IssueCode::ClientIdEqualsTenantId => (
            "Client id en Tenant ID zijn gelijk, maar horen te verschillen: één van beide is verkeerd gekopieerd. Op de overzichtspagina van de app-registratie (handleiding, stap 15) hoort het Application (client) ID bij Client id en het Directory (tenant) ID bij Tenant ID.",
            "Client id and Tenant ID are equal but should differ: one of them was copied wrongly. On the app registration's Overview page (manual, step 15) the Application (client) ID goes into Client id and the Directory (tenant) ID into Tenant ID.",
        ),
        IssueCode::ClientIdEqualsObjectId => (
            "Object ID en Client id zijn gelijk; waarschijnlijk is de Object ID verkeerd. De Object ID is die van de gebruiker van deze mailbox (Microsoft Entra ID > Gebruikers > gebruiker openen, handleiding stap 16–18), niet die van de app-registratie. De Client id is het Application (client) ID (stap 15).",
            "Object ID and Client id are equal; the Object ID is probably wrong. The Object ID is that of this mailbox's user (Microsoft Entra ID > Users > open the user, manual steps 16–18), not the app registration's. The Client id is the Application (client) ID (step 15).",
        ),
        IssueCode::ObjectIdEqualsTenantId => (
            "Object ID en Tenant ID zijn gelijk; waarschijnlijk is de Object ID verkeerd. De Object ID is die van de gebruiker van deze mailbox (handleiding, stap 16–18); het Directory (tenant) ID staat op de overzichtspagina van de app-registratie (stap 15).",
            "Object ID and Tenant ID are equal; the Object ID is probably wrong. The Object ID is that of this mailbox's user (manual, steps 16–18); the Directory (tenant) ID is on the app registration's Overview page (step 15).",
        ),
        IssueCode::ObjectIdInUse => (
            "Deze Object ID is al in gebruik bij een andere mailbox. De Object ID verschilt per mailadres: zoek de gebruiker van dit mailadres op in Microsoft Entra ID > Gebruikers (handleiding, stap 17–18).",
            "Another mailbox already uses this Object ID. The Object ID differs per address: look up this address's user in Microsoft Entra ID > Users (manual, steps 17–18).",
        ),
        IssueCode::ClientIdDiffersFromOthers => (
            "Let op: andere Microsoft-mailboxen gebruiken een andere Client id. Volgens de handleiding gebruiken alle mailboxen dezelfde app-registratie; controleer of dit de bedoeling is.",
            "Note: other Microsoft mailboxes use a different Client id. The manual uses one app registration for all mailboxes; check that this is intended.",
        ),
        IssueCode::TenantIdDiffersFromOthers => (
            "Let op: andere Microsoft-mailboxen gebruiken een andere Tenant ID. Volgens de handleiding gebruiken alle mailboxen dezelfde app-registratie; controleer of dit de bedoeling is.",
            "Note: other Microsoft mailboxes use a different Tenant ID. The manual uses one app registration for all mailboxes; check that this is intended.",
        ),
        IssueCode::SecretIsSecretId => (
            "Dit is de Secret ID (een GUID), niet de waarde. Vul de Waarde (Value) van het client secret in: die zie je maar één keer, direct na het aanmaken, in de kolom Waarde/Value (handleiding, stap 14). Kwijt? Maak een nieuw client secret aan (stap 13–14).",
            "This is the Secret ID (a GUID), not the value. Enter the client secret's Value: it is shown only once, right after creating the secret, in the Value column (manual, step 14). Lost it? Create a new client secret (steps 13–14).",
        ),
        IssueCode::SecretEqualsClientId => (
            "De Client secret waarde is gelijk aan de Client id. Vul de Waarde (Value) van het client secret in, die je direct na het aanmaken hebt opgeslagen (handleiding, stap 14).",
            "The Client secret value equals the Client id. Enter the client secret's Value, which you saved right after creating it (manual, step 14).",
        ),
        IssueCode::SecretEqualsTenantId => (
            "De Client secret waarde is gelijk aan de Tenant ID. Vul de Waarde (Value) van het client secret in, die je direct na het aanmaken hebt opgeslagen (handleiding, stap 14).",
            "The Client secret value equals the Tenant ID. Enter the client secret's Value, which you saved right after creating it (manual, step 14).",
        ),
        IssueCode::SecretLength => (
            "Een client secret waarde van Microsoft is 16 tot 64 tekens lang (meestal 40). Kopieer de volledige Waarde (Value) uit stap 14 van de handleiding.",
            "A Microsoft client secret value is 16 to 64 characters long (usually 40). Copy the complete Value from step 14 of the manual.",
        ),
        IssueCode::SecretUnknownShape => (
            "Let op: dit lijkt geen client secret waarde van Microsoft (die is meestal 40 tekens met 8Q~ op plaats 4 tot en met 6). Controleer of je de Waarde (Value) uit stap 14 van de handleiding hebt gekopieerd.",
            "Note: this does not look like a Microsoft client secret value (usually 40 characters with 8Q~ at positions 4 to 6). Check that you copied the Value from step 14 of the manual.",
        ),
    }
}

#[cfg(test)]
mod tests {
    // In the browser build the same tests run under wasm-bindgen-test (make test runs them
    // in Node): this attribute then stands in for `#[test]`.
    use super::super::issue::tests::EVERY_CODE;
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_code_has_distinct_texts_in_both_languages() {
        let mut seen = std::collections::HashSet::new();
        for code in EVERY_CODE {
            for lang in [Lang::Nl, Lang::En] {
                let text = code.message(lang);
                assert!(text.ends_with('.'), "{code:?} {lang:?}");
                assert!(seen.insert(text), "duplicate text for {code:?} {lang:?}");
            }
        }
    }

    #[test]
    fn required_texts_are_specific_for_the_fields_that_can_be_required() {
        let cases = [
            (Field::ClientId, "Application (client) ID"),
            (Field::TenantId, "Directory (tenant) ID"),
            (Field::ClientSecret, "stap 14"),
            (Field::ObjectId, "stap 16–18"),
            (Field::ImapPort, "993"),
            (Field::Email, "e-mailadres"),
        ];
        for (field, needle) in cases {
            let text = IssueCode::Required(field).message(Lang::Nl);
            assert!(text.contains(needle), "{field:?}: {text}");
        }
        assert_eq!(
            IssueCode::Required(Field::IsActive).message(Lang::Nl),
            "Dit veld is verplicht."
        );
        assert_eq!(Lang::default(), Lang::Nl);
    }

    #[test]
    fn messages_cite_the_manual_steps_from_the_issue() {
        let secret_id = IssueCode::SecretIsSecretId.message(Lang::Nl);
        assert!(secret_id.contains("stap 14") && secret_id.contains("Waarde"));
        assert!(IssueCode::TenantIsCommon
            .message(Lang::En)
            .contains("AADSTS50194"));
        assert!(IssueCode::ClientIdEqualsObjectId
            .message(Lang::Nl)
            .contains("stap 16–18"));
        assert!(IssueCode::ClientIdEqualsTenantId
            .message(Lang::Nl)
            .contains("stap 15"));
    }
}
