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
    /// Every password-check slot was busy.
    SignInBusy,
    SignedInAs,
    RoleBeheerder,
    RolePostlezer,
    RoleLezer,
    NotSignedIn,
    /// Refused: only a beheerder may change this.
    Forbidden,
    /// Refused: the role may not read fetched mail.
    MailForbidden,
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
    /// Why a request needing `required` is refused to a role below it.
    pub fn forbidden(required: crate::access::Role) -> AccessMsg {
        match required {
            crate::access::Role::Postlezer => AccessMsg::MailForbidden,
            _ => AccessMsg::Forbidden,
        }
    }

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
            SignInBusy => (
                "Er wordt nu veel tegelijk ingelogd; probeer het zo opnieuw. Je wachtwoord is \
                 niet gecontroleerd en telt niet als poging.",
                "Many sign-ins are being checked right now; try again in a moment. Your password \
                 was not checked and does not count as an attempt.",
            ),
            SignedInAs => ("Ingelogd als", "Signed in as"),
            RoleBeheerder => ("beheerder", "administrator"),
            RolePostlezer => ("postlezer", "mail reader"),
            RoleLezer => ("lezer", "reader"),
            NotSignedIn => (
                "Je bent niet ingelogd of je sessie is verlopen. Log opnieuw in.",
                "You are not signed in or your session has expired. Sign in again.",
            ),
            Forbidden => (
                "Alleen een beheerder mag dit wijzigen; je hebt leesrechten.",
                "Only an administrator may change this; you have read access.",
            ),
            MailForbidden => (
                "Je rol (lezer) toont instellingen en diagnose, geen opgehaalde berichten of \
                 bijlagen. Vraag een beheerder om de rol postlezer als je mail moet lezen.",
                "Your role (reader) shows settings and diagnostics, not fetched messages or \
                 attachments. Ask an administrator for the mail reader role if you need to read mail.",
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
