//! Texts with a number in them, in the right grammatical number: "1 mailbox getoond",
//! "2 mailboxen getoond". Dutch and English both use the singular for exactly one and the
//! plural otherwise (zero included), so one rule serves both.

use super::Lang;

/// `one` for exactly one, else `many`, with `{n}` replaced by the number. The list's island
/// calls this with words it got from the server, so its bundle carries no catalogue.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    let form = if n == 1 { one } else { many };
    form.replace("{n}", &n.to_string())
}

/// A counted text of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counted {
    /// Under the list's filter.
    MailboxesShown,
    /// The navigation's badge, for screen readers.
    MailboxesNeedingAttention,
    /// A mailbox's fetched messages.
    Messages,
    /// The outcome of "Nu ophalen".
    NewMessagesFetched,
    /// While "Nu ophalen" runs.
    FetchRunning,
}

impl Counted {
    /// The text for `n`, in `lang`.
    pub fn text(self, n: u64, lang: Lang) -> String {
        let (one, many) = self.forms(lang);
        plural(n, one, many)
    }

    /// The (singular, plural) forms in `lang`, each with `{n}` where the number goes.
    pub fn forms(self, lang: Lang) -> (&'static str, &'static str) {
        use Counted::*;
        match (self, lang) {
            (MailboxesShown, Lang::Nl) => ("{n} mailbox getoond", "{n} mailboxen getoond"),
            (MailboxesShown, Lang::En) => ("{n} mailbox shown", "{n} mailboxes shown"),
            (MailboxesNeedingAttention, Lang::Nl) => (
                "{n} mailbox vraagt aandacht",
                "{n} mailboxen vragen aandacht",
            ),
            (MailboxesNeedingAttention, Lang::En) => (
                "{n} mailbox needs attention",
                "{n} mailboxes need attention",
            ),
            (Messages, Lang::Nl) => ("{n} bericht", "{n} berichten"),
            (Messages, Lang::En) => ("{n} message", "{n} messages"),
            (NewMessagesFetched, Lang::Nl) => (
                "Opgehaald: {n} nieuw bericht.",
                "Opgehaald: {n} nieuwe berichten.",
            ),
            (NewMessagesFetched, Lang::En) => {
                ("Fetched: {n} new message.", "Fetched: {n} new messages.")
            }
            (FetchRunning, Lang::Nl) => (
                "Bezig met ophalen… {n} bericht opgehaald",
                "Bezig met ophalen… {n} berichten opgehaald",
            ),
            (FetchRunning, Lang::En) => (
                "Fetching… {n} message fetched so far",
                "Fetching… {n} messages fetched so far",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        let shown = |n| Counted::MailboxesShown.text(n, Lang::Nl);
        assert_eq!(shown(1), "1 mailbox getoond");
        assert_eq!(shown(0), "0 mailboxen getoond");
        assert_eq!(shown(2), "2 mailboxen getoond");
        assert_eq!(shown(21), "21 mailboxen getoond");
        assert_eq!(Counted::Messages.text(1, Lang::En), "1 message");
        assert_eq!(Counted::Messages.text(0, Lang::En), "0 messages");
        assert_eq!(
            Counted::NewMessagesFetched.text(1, Lang::Nl),
            "Opgehaald: 1 nieuw bericht."
        );
        assert_eq!(
            Counted::MailboxesNeedingAttention.text(3, Lang::Nl),
            "3 mailboxen vragen aandacht"
        );
    }

    #[test]
    fn every_form_has_a_place_for_the_number() {
        use Counted::*;
        for counted in [
            MailboxesShown,
            MailboxesNeedingAttention,
            Messages,
            NewMessagesFetched,
            FetchRunning,
        ] {
            for lang in [Lang::Nl, Lang::En] {
                let (one, many) = counted.forms(lang);
                assert!(
                    one.contains("{n}") && many.contains("{n}"),
                    "{counted:?} {lang:?}"
                );
                assert_ne!(one, many, "{counted:?} {lang:?}");
            }
        }
    }
}
