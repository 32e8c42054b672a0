//! Connecting without the mailbox's password (issue 18): the method, its status, the scope
//! check and its outcomes.

/// One text about the app-only connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordlessMsg {
    ConnectedAppOnly,
    PermissionInUse,
    ScopedPermission,
    CheckScope,
    ScopeLimited,
    ScopeTenantWide,
    ScopeOutside,
    ScopeScriptTitle,
    AddToScopeTitle,
    LeastPermissionsTitle,
    Needed,
    NotNeeded,
    OutcomeOutsideScope,
    OutcomeNotFoundByAddress,
    OutcomeAppTokenRefused,
    SwitchToAppOnly,
    SwitchToAppOnlyHelp,
    SwitchToDelegated,
    MethodSwitched,
    NoSignInNeeded,
    MethodAutomatic,
    HelpMethodAutomatic,
    ReasonChosen,
    ReasonAutoAppOnly,
    ReasonAutoDelegated,
    BlockedSignInAdvice,
}

impl PasswordlessMsg {
    pub fn text(self, lang: super::Lang) -> &'static str {
        lang.pick(self.pair())
    }

    pub(super) fn pair(self) -> (&'static str, &'static str) {
        use PasswordlessMsg::*;
        match self {
            ConnectedAppOnly => ("Verbonden (zonder wachtwoord)", "Connected (without password)"),
            PermissionInUse => ("Toestemming in gebruik", "Permission in use"),
            ScopedPermission => (
                "Exchange-rol op aangewezen mailboxen (RBAC for Applications)",
                "Exchange role on designated mailboxes (RBAC for Applications)",
            ),
            CheckScope => ("Bereik van de app", "The app's reach"),
            ScopeLimited => ("Beperkt tot aangewezen mailboxen", "Limited to designated mailboxes"),
            ScopeTenantWide => (
                "Organisatiebreed: de app kan elke mailbox lezen",
                "Organisation-wide: the app can read every mailbox",
            ),
            ScopeOutside => (
                "Deze mailbox valt buiten het bereik van de app",
                "This mailbox is outside the app's reach",
            ),
            ScopeScriptTitle => (
                "Exchange Online PowerShell om de app te beperken tot de mailboxen van het CRM",
                "Exchange Online PowerShell to limit the app to the CRM's mailboxes",
            ),
            AddToScopeTitle => (
                "Exchange Online PowerShell om deze mailbox aan de scope toe te voegen",
                "Exchange Online PowerShell to add this mailbox to the scope",
            ),
            LeastPermissionsTitle => (
                "Minimaal nodige toestemmingen (van de vijf uit de handleiding)",
                "Least permissions needed (of the manual's five)",
            ),
            Needed => ("nodig", "needed"),
            NotNeeded => ("niet nodig", "not needed"),
            OutcomeOutsideScope => ("Buiten het bereik van de app", "Outside the app's reach"),
            OutcomeNotFoundByAddress => (
                "Mailbox niet gevonden op e-mailadres",
                "Mailbox not found by e-mail address",
            ),
            OutcomeAppTokenRefused => (
                "Microsoft weigerde het token van de app",
                "Microsoft refused the app's token",
            ),
            SwitchToAppOnly => (
                "Verbinden zonder wachtwoord",
                "Connect without password",
            ),
            SwitchToAppOnlyHelp => (
                "Schakelt deze mailbox over op toepassingsmachtigingen: geen wachtwoord en geen inlogscherm nodig. Geschiedenis, opgehaalde mail en logboek blijven bewaard.",
                "Switches this mailbox to application permissions: no password and no sign-in screen needed. History, fetched mail and audit log are kept.",
            ),
            SwitchToDelegated => ("Inloggen als de mailbox", "Sign in as the mailbox"),
            MethodSwitched => ("Verbindingsmethode gewijzigd", "Connection method changed"),
            NoSignInNeeded => (
                "Zonder wachtwoord hoeft niemand bij Microsoft in te loggen: de app haalt de mail op met haar eigen toestemming.",
                "Without password nobody needs to sign in at Microsoft: the app fetches mail with its own permission.",
            ),
            MethodAutomatic => ("Automatisch (aanbevolen)", "Automatic (recommended)"),
            HelpMethodAutomatic => (
                "Bij het opslaan test de app de app-registratie. Kan de app deze mailbox met haar eigen toestemming lezen, dan wordt hij zonder wachtwoord verbonden; anders logt u in als de mailbox. Op de mailboxpagina staat welke methode gekozen is en waarom.",
                "Saving tests the app registration. If the app can read this mailbox with its own permission, it is connected without password; otherwise you sign in as the mailbox. The mailbox page says which method was chosen and why.",
            ),
            ReasonChosen => ("gekozen door een beheerder", "chosen by an administrator"),
            ReasonAutoAppOnly => (
                "automatisch gekozen: de test van de app-registratie kon deze mailbox met de eigen toestemming van de app lezen",
                "chosen automatically: the app registration test could read this mailbox with the app's own permission",
            ),
            ReasonAutoDelegated => (
                "automatisch gekozen: de test van de app-registratie kon deze mailbox niet met de eigen toestemming van de app lezen (zie de test hieronder). Geeft u de app toegang, kies dan \"Verbinden zonder wachtwoord\"",
                "chosen automatically: the app registration test could not read this mailbox with the app's own permission (see the test below). Once you give the app access, choose \"Connect without password\"",
            ),
            BlockedSignInAdvice => (
                "Kwam het inloggen niet terug van Microsoft, of heeft u het wachtwoord van deze mailbox niet? Bij een gedeelde mailbox is aanmelden meestal geblokkeerd, zoals Microsoft aanraadt: Microsoft toont dan AADSTS50057 (\"The user account is disabled\") op zijn eigen pagina en stuurt de browser niet terug. Verbind de mailbox dan zonder wachtwoord; dat werkt ook met geblokkeerde aanmelding.",
                "Did signing in never come back from Microsoft, or do you not have this mailbox's password? A shared mailbox usually has sign-in blocked, as Microsoft advises: Microsoft then shows AADSTS50057 (\"The user account is disabled\") on its own page and does not send the browser back. Connect the mailbox without password instead; that works with sign-in blocked too.",
            ),
        }
    }
}
