//! Basic authentication ending at Microsoft 365 (issue 23): the mark on the list, the notice
//! on the mailbox page and the switch to Microsoft Api (docs/microsoft.md §10).

/// One text about basic authentication ending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BasicAuthMsg {
    /// The mark in the list's Status cell.
    ListMark,
    /// Its tooltip.
    ListMarkTitle,
    NoticeTitle,
    NoticeSmtp,
    NoticeImap,
    NoticeSource,
    NoticeWhat,
    Switch,
    SwitchHelp,
    /// After the switch, on the mailbox page.
    Switched,
    SwitchedPrefilled,
    SwitchFailed,
}

impl BasicAuthMsg {
    pub fn text(self, lang: super::Lang) -> &'static str {
        lang.pick(self.pair())
    }

    pub(super) fn pair(self) -> (&'static str, &'static str) {
        use BasicAuthMsg::*;
        match self {
            ListMark => ("Wachtwoord stopt", "Password ends"),
            ListMarkTitle => (
                "Microsoft 365 zet inloggen met wachtwoord (basic authentication) uit: stap over naar Microsoft Api",
                "Microsoft 365 turns signing in with a password (basic authentication) off: switch to Microsoft Api",
            ),
            NoticeTitle => (
                "Microsoft zet inloggen met wachtwoord uit",
                "Microsoft turns signing in with a password off",
            ),
            NoticeSmtp => (
                "Eind december 2026 zet Microsoft SMTP AUTH met basic authentication (gebruikersnaam en wachtwoord) standaard uit voor bestaande tenants; vanaf dan verstuurt deze mailbox niets meer, tenzij een beheerder het in Exchange Online weer aanzet. De definitieve einddatum maakt Microsoft in de tweede helft van 2027 bekend.",
                "At the end of December 2026 Microsoft turns SMTP AUTH with basic authentication (user name and password) off by default for existing tenants; from then on this mailbox sends nothing, unless an administrator turns it back on in Exchange Online. Microsoft announces the final removal date in the second half of 2027.",
            ),
            NoticeImap => (
                "IMAP met basic authentication heeft Microsoft al uitgezet (sinds oktober 2022): ophalen met een wachtwoord werkt bij Microsoft 365 niet meer.",
                "Microsoft already turned IMAP with basic authentication off (since October 2022): fetching with a password no longer works at Microsoft 365.",
            ),
            NoticeSource => (
                "Bron: aankondiging van het Exchange-team van Microsoft, 27 januari 2026",
                "Source: announcement by Microsoft's Exchange team, 27 January 2026",
            ),
            NoticeWhat => (
                "Stap over naar Microsoft Api: dezelfde mailbox haalt op en verstuurt via Microsoft Graph, zonder wachtwoord in het CRM.",
                "Switch to Microsoft Api: the same mailbox fetches and sends through Microsoft Graph, without a password in the CRM.",
            ),
            Switch => ("Overstappen naar Microsoft Api", "Switch to Microsoft Api"),
            SwitchHelp => (
                "Inkomend en uitgaand worden Microsoft Api. Geschiedenis, opgehaalde mail en wijzigingslog blijven bewaard; mail die al via IMAP is opgehaald wordt niet nog eens opgehaald. Vul daarna de Azure-gegevens aan en sla op.",
                "Incoming and outgoing become Microsoft Api. History, fetched mail and audit log are kept; mail already fetched over IMAP is not fetched again. Then complete the Azure details and save.",
            ),
            Switched => (
                "Overgestapt naar Microsoft Api. Vul de Azure-gegevens aan (Object ID) en sla op om te verbinden.",
                "Switched to Microsoft Api. Complete the Azure details (Object ID) and save to connect.",
            ),
            SwitchedPrefilled => (
                "De app-registratie van een andere mailbox is ingevuld (Tenant ID, Client ID en het opgeslagen Client secret).",
                "Another mailbox's app registration is filled in (Tenant ID, Client ID and the stored client secret).",
            ),
            SwitchFailed => (
                "Overstappen is niet gelukt: deze mailbox gebruikt geen Microsoft 365-server met een wachtwoord, of bestaat niet meer.",
                "Switching failed: this mailbox uses no Microsoft 365 server with a password, or no longer exists.",
            ),
        }
    }
}
