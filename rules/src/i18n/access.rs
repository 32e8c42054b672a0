//! Signing in and out, what a role may do, and the Wijzigingslog.

/// One text about access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessMsg {
    SignInTitle,
    SignInIntro,
    /// Demo mode: the account to sign in with.
    DemoAccount,
    DemoPasswordChosen,
    Email,
    Password,
    SignIn,
    SignOut,
    Rejected,
    Throttled,
    SignedInAs,
    RoleBeheerder,
    RoleLezer,
    NotSignedIn,
    Forbidden,
    CrossOrigin,
    ReadOnly,
    AuditTitle,
    AuditEmpty,
    AuditWho,
    AuditWhen,
    AuditWhat,
    AuditFields,
    ActionCreated,
    ActionUpdated,
    ActionDeleted,
    ActionConnected,
    ActionDisconnected,
}

impl AccessMsg {
    /// The text in `lang`.
    pub fn text(self, lang: super::Lang) -> &'static str {
        lang.pick(self.pair())
    }

    pub(super) fn pair(self) -> (&'static str, &'static str) {
        use AccessMsg::*;
        match self {
            SignInTitle => ("Inloggen", "Sign in"),
            SignInIntro => (
                "Log in om de mailboxinstellingen te bekijken of te wijzigen.",
                "Sign in to view or change the mailbox settings.",
            ),
            DemoAccount => (
                "Demo: log in met het account dat make run heeft aangemaakt.",
                "Demo: sign in with the account make run created.",
            ),
            DemoPasswordChosen => (
                "het wachtwoord in BOOTSTRAP_ADMIN_PASSWORD",
                "the password in BOOTSTRAP_ADMIN_PASSWORD",
            ),
            Email => ("E-mailadres", "E-mail address"),
            Password => ("Wachtwoord", "Password"),
            SignIn => ("Inloggen", "Sign in"),
            SignOut => ("Uitloggen", "Sign out"),
            Rejected => ("E-mailadres of wachtwoord onjuist.", "E-mail address or password incorrect."),
            Throttled => (
                "Te veel pogingen, probeer het over enkele minuten opnieuw.",
                "Too many attempts, try again in a few minutes.",
            ),
            SignedInAs => ("Ingelogd als", "Signed in as"),
            RoleBeheerder => ("beheerder", "administrator"),
            RoleLezer => ("lezer", "reader"),
            NotSignedIn => (
                "Je bent niet ingelogd of je sessie is verlopen. Log opnieuw in.",
                "You are not signed in or your session has expired. Sign in again.",
            ),
            Forbidden => (
                "Alleen een beheerder mag dit wijzigen; je hebt leesrechten.",
                "Only an administrator may change this; you have read access.",
            ),
            CrossOrigin => (
                "Verzoek geweigerd: het komt niet van deze site.",
                "Request refused: it does not come from this site.",
            ),
            ReadOnly => (
                "Je kunt deze instellingen bekijken maar niet wijzigen: daarvoor is de rol beheerder nodig.",
                "You can view these settings but not change them: that needs the administrator role.",
            ),
            AuditTitle => ("Wijzigingslog", "Change log"),
            AuditEmpty => ("Nog geen wijzigingen vastgelegd.", "No changes recorded yet."),
            AuditWho => ("Wie", "Who"),
            AuditWhen => ("Wanneer", "When"),
            AuditWhat => ("Wat", "What"),
            AuditFields => ("Velden", "Fields"),
            ActionCreated => ("Aangemaakt", "Created"),
            ActionUpdated => ("Gewijzigd", "Changed"),
            ActionDeleted => ("Verwijderd", "Deleted"),
            ActionConnected => ("Verbonden met Microsoft", "Connected to Microsoft"),
            ActionDisconnected => ("Verbinding met Microsoft verbroken", "Disconnected from Microsoft"),
        }
    }
}
