//! `/instellingen/mailboxen`: the list with its name and Actief filters.
//!
//! The filter lives in the URL. Without JavaScript the form is a plain GET and the server
//! renders the filtered rows. The filter and the table are one island: once its WASM runs,
//! typing filters the rows it was given at once and only replaces the URL, so no page load
//! and no server round trip. The rest of the page is server-rendered only.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use crate::api::list_mailboxes;
use crate::api::mail::list_mail_summaries;
use crate::components::browser::{control_values, replace_url, ControlValue};
use crate::components::{clock, ChangeOnly, PageShell, Time};
use rules::i18n::{plural, BasicAuthMsg, Counted, Lang, MailMsg, Msg};
use rules::mail::MailSummaryRow;
use rules::mailbox_form::DELETED_PARAM;
use rules::mailbox_list::{ActiveFilter, MailboxFilter, MailboxRow};
use rules::time::{Clock, Shown};

const LIST_PATH: &str = "/instellingen/mailboxen";

#[component]
pub fn MailboxesPage() -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let clock = clock();
    let query = use_query_map();
    let filter = query
        .with_untracked(|q| MailboxFilter::from_params(q.get_str("naam"), q.get_str("actief")));
    let mailboxes = Resource::new(|| (), |_| list_mailboxes());
    // One batch for every row's mail columns.
    let mail = Resource::new(|| (), |_| list_mail_summaries());
    let deleted = query.with_untracked(|q| q.get_str(DELETED_PARAM).is_some());

    view! {
        <PageShell title=Msg::MailboxesTitle crumb=Msg::NavMailboxes>
            {deleted.then(|| view! {
                <p class="alert alert--ok" role="status" data-testid="deleted-message">
                    {Msg::MailboxDeleted.text(lang)}
                </p>
            })}
            <div class="page-actions">
                <p class="lead">{Msg::MailboxesIntro.text(lang)}</p>
                <ChangeOnly>
                    <a class="button button--primary" href="/instellingen/mailboxen/nieuw"
                        data-testid="add-mailbox">
                        <span aria-hidden="true">"+ "</span>{Msg::AddMailbox.text(lang)}
                    </a>
                </ChangeOnly>
            </div>
            <Suspense fallback=move || view! { <p class="muted">{Msg::Loading.text(lang)}</p> }>
                {move || {
                    let filter = filter.clone();
                    Suspend::new(async move {
                        // Without the mail columns' data the list still shows (with "–").
                        let mail: HashMap<i32, MailSummaryRow> = mail.await.unwrap_or_default()
                            .into_iter().map(|row| (row.mailbox_id, row)).collect();
                        match mailboxes.await {
                            Ok(rows) => {
                                let rows = rows.into_iter()
                                    .map(|row| ListRow::worded(&row, mail.get(&row.id), &clock, lang))
                                    .collect();
                                view! { <FilteredMailboxes rows filter words=ListTexts::new(lang).into_words()/> }.into_any()
                            }
                            Err(_) => view! {
                                <p class="alert alert--error" role="alert">{Msg::LoadFailed.text(lang)}</p>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </PageShell>
    }
}

/// One row as the island gets it, worded on the server: the browser's bundle carries no
/// message catalogue for the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListRow {
    id: i32,
    name: String,
    email: String,
    is_active: bool,
    is_primary: bool,
    incoming: String,
    outgoing: String,
    status: String,
    status_class: String,
    /// Worded on the server, against its "now" (the island shows it as it is).
    last_fetched: Shown,
    messages: String,
    last_error: String,
    failing: bool,
    /// The mark of a mailbox on a password at Microsoft 365 (issue 23) and its tooltip.
    basic_auth: Option<(String, String)>,
}

impl ListRow {
    /// `mail`: the row's mail columns, for a mailbox fetched over Graph ("–" otherwise).
    fn worded(
        row: &MailboxRow,
        mail: Option<&MailSummaryRow>,
        clock: &Clock,
        lang: Lang,
    ) -> ListRow {
        const NONE: &str = "–";
        let last_fetched = mail.map_or_else(
            || Shown::plain(NONE),
            |mail| {
                mail.last_fetched_at.as_deref().map_or_else(
                    || Shown::plain(MailMsg::NeverFetched.text(lang)),
                    |at| clock.show_text(at, lang),
                )
            },
        );
        ListRow {
            id: row.id,
            name: row.name.clone(),
            email: row.email.clone(),
            is_active: row.is_active,
            is_primary: row.is_primary,
            incoming: row.incoming.label().text(lang).to_string(),
            outgoing: row.outgoing.label().text(lang).to_string(),
            status: row.status.text(lang),
            status_class: row.status.css_class().to_string(),
            last_fetched,
            messages: mail.map_or_else(|| NONE.to_string(), |mail| mail.message_count.to_string()),
            last_error: mail
                .and_then(|mail| mail.last_error.clone())
                .unwrap_or_else(|| NONE.to_string()),
            failing: mail.is_some_and(|mail| mail.failing),
            basic_auth: row.basic_auth_ending.then(|| {
                (
                    BasicAuthMsg::ListMark.text(lang).to_string(),
                    BasicAuthMsg::ListMarkTitle.text(lang).to_string(),
                )
            }),
        }
    }
}

/// The list's fixed words, in the admin's language.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ListTexts {
    filter_name: String,
    filter_placeholder: String,
    filter_active: String,
    /// The Actief choices: Alle, Ja, Nee.
    choices: Vec<String>,
    apply: String,
    /// Column headers, in table order ([`Column`]).
    columns: Vec<String>,
    /// "{n} mailbox getoond" and "{n} mailboxen getoond".
    count_one: String,
    count_many: String,
    no_mailboxes: String,
    no_match: String,
    /// The marks under a name: Primair, Niet actief.
    primary: String,
    inactive: String,
    /// "Laatst opgehaald", under the message count.
    last_fetched: String,
}

/// The table's columns, in order. Fewer than Econobis' list, so that it fits 1280 px: what
/// an admin looks for when something fails (status, last error) comes first; e-mail sits
/// under the name, Primair and Actief are marks beside it, the last fetch under the count.
#[derive(Clone, Copy)]
enum Column {
    Status,
    LastError,
    Name,
    Incoming,
    Outgoing,
    Messages,
}

impl Column {
    const COUNT: usize = 6;
}

impl ListTexts {
    fn new(lang: Lang) -> ListTexts {
        let t = |msg: Msg| msg.text(lang).to_string();
        let m = |msg: MailMsg| msg.text(lang).to_string();
        let (count_one, count_many) = Counted::MailboxesShown.forms(lang);
        ListTexts {
            filter_name: t(Msg::FilterName),
            filter_placeholder: t(Msg::FilterNamePlaceholder),
            filter_active: t(Msg::FilterActive),
            choices: vec![t(Msg::FilterAll), t(Msg::Yes), t(Msg::No)],
            apply: t(Msg::ApplyFilter),
            columns: vec![
                t(Msg::ColStatus),
                m(MailMsg::ColLastError),
                t(Msg::ColName),
                t(Msg::ColIncoming),
                t(Msg::ColOutgoing),
                m(MailMsg::ColMessages),
            ],
            count_one: count_one.to_string(),
            count_many: count_many.to_string(),
            no_mailboxes: t(Msg::EmptyNoMailboxes),
            no_match: t(Msg::EmptyNoMatch),
            primary: t(Msg::ColPrimary),
            inactive: t(Msg::MarkInactive),
            last_fetched: m(MailMsg::ColLastFetched),
        }
    }

    /// The words as the island's prop: one list, because a struct would cost the bundle a
    /// deserializer of its own. [`ListTexts::from_words`] reads them in this order.
    fn into_words(self) -> Vec<String> {
        let ListTexts {
            filter_name,
            filter_placeholder,
            filter_active,
            choices,
            apply,
            columns,
            count_one,
            count_many,
            no_mailboxes,
            no_match,
            primary,
            inactive,
            last_fetched,
        } = self;
        [filter_name, filter_placeholder, filter_active, apply]
            .into_iter()
            .chain([count_one, count_many, no_mailboxes, no_match])
            .chain([primary, inactive, last_fetched])
            .chain(choices)
            .chain(columns)
            .collect()
    }

    fn from_words(words: Vec<String>) -> ListTexts {
        let mut words = words.into_iter();
        let mut next = || words.next().unwrap_or_default();
        // Fields are evaluated in the order written: the order of `into_words`.
        ListTexts {
            filter_name: next(),
            filter_placeholder: next(),
            filter_active: next(),
            apply: next(),
            count_one: next(),
            count_many: next(),
            no_mailboxes: next(),
            no_match: next(),
            primary: next(),
            inactive: next(),
            last_fetched: next(),
            choices: (0..3).map(|_| next()).collect(),
            columns: (0..Column::COUNT).map(|_| next()).collect(),
        }
    }
}

/// The filter form and the table: the list page's one island.
#[island]
fn FilteredMailboxes(
    rows: Vec<ListRow>,
    filter: MailboxFilter,
    words: Vec<String>,
) -> impl IntoView {
    let filter = RwSignal::new(filter);
    let texts = StoredValue::new(ListTexts::from_words(words));
    let none = rows.is_empty();
    view! {
        <FilterForm filter texts/>
        {none.then(|| view! {
            <p class="empty" data-testid="empty-state">{texts.with_value(|t| t.no_mailboxes.clone())}</p>
        })}
        {(!none).then(|| view! { <MailboxTable rows filter texts/> })}
    }
}

/// A GET form; in the island every keystroke and choice filters and replaces the URL.
#[component]
fn FilterForm(filter: RwSignal<MailboxFilter>, texts: StoredValue<ListTexts>) -> impl IntoView {
    let text = move |pick: fn(&ListTexts) -> &String| texts.with_value(|t| pick(t).clone());
    let apply = move |next: MailboxFilter| {
        let query = next.to_query();
        replace_url(&if query.is_empty() {
            LIST_PATH.to_string()
        } else {
            format!("{LIST_PATH}?{query}")
        });
        filter.set(next);
    };
    let on_name = move |ev| {
        apply(MailboxFilter {
            name: event_target_value(&ev).trim().to_string(),
            ..filter.get_untracked()
        })
    };
    let on_active = move |ev| {
        let value = event_target_value(&ev);
        apply(MailboxFilter {
            active: ActiveFilter::from_param(Some(&value)),
            ..filter.get_untracked()
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        // With the island running the inputs already applied the filter; no page load.
        ev.prevent_default();
        apply(filter.get_untracked());
    };
    let active_option = move |value: ActiveFilter, choice: usize| {
        view! {
            <option value=value.param() selected=move || filter.get().active == value>
                {texts.with_value(|t| t.choices.get(choice).cloned().unwrap_or_default())}
            </option>
        }
    };
    let initial_name = filter.get_untracked().name;
    // A filter typed (or restored by the browser) before the bundle ran is applied too.
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if form_ref.get().is_none() {
            return;
        }
        let mut current = filter.get_untracked();
        for (name, value) in control_values(form_ref) {
            match (name.as_str(), value) {
                ("naam", ControlValue::Text(text)) => current.name = text.trim().to_string(),
                ("actief", ControlValue::Text(text)) => {
                    current.active = ActiveFilter::from_param(Some(&text));
                }
                _ => {}
            }
        }
        if current != filter.get_untracked() {
            apply(current);
        }
    });

    view! {
        <form class="filters" method="get" action=LIST_PATH role="search" on:submit=on_submit
            node_ref=form_ref
            data-testid="mailbox-filter">
            <div class="field">
                <label for="filter-naam">{text(|t| &t.filter_name)}</label>
                <input id="filter-naam" name="naam" type="search" autocomplete="off"
                    placeholder=text(|t| &t.filter_placeholder)
                    value=initial_name on:input=on_name data-testid="filter-name"/>
            </div>
            <div class="field">
                <label for="filter-actief">{text(|t| &t.filter_active)}</label>
                <select id="filter-actief" name="actief" on:change=on_active data-testid="filter-active">
                    {active_option(ActiveFilter::All, 0)}
                    {active_option(ActiveFilter::Active, 1)}
                    {active_option(ActiveFilter::Inactive, 2)}
                </select>
            </div>
            <button type="submit" class="button" data-testid="filter-submit">
                {text(|t| &t.apply)}
            </button>
        </form>
    }
}

#[component]
fn MailboxTable(
    rows: Vec<ListRow>,
    filter: RwSignal<MailboxFilter>,
    texts: StoredValue<ListTexts>,
) -> impl IntoView {
    let rows = StoredValue::new(rows);
    let visible = Memo::new(move |_| {
        let filter = filter.get();
        rows.with_value(|rows| {
            rows.iter()
                .filter(|row| filter.matches(&row.name, row.is_active))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let word = move |pick: fn(&ListTexts) -> &String| texts.with_value(|t| pick(t).clone());
    let column = move |column: Column| {
        texts.with_value(|t| t.columns.get(column as usize).cloned().unwrap_or_default())
    };
    let count = move || {
        let shown = visible.with(Vec::len) as u64;
        texts.with_value(|t| plural(shown, &t.count_one, &t.count_many))
    };

    view! {
        <p class="muted" aria-live="polite" data-testid="row-count">{count}</p>
        <div class="table-wrap">
            <table class="table table--mailboxes" data-testid="mailbox-table">
                <thead>
                    <tr>
                        {texts.with_value(|t| t.columns.clone()).into_iter()
                            .map(|text| view! { <th scope="col">{text}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let visible = visible.get();
                        let none = visible.is_empty().then(|| view! {
                            <tr><td colspan=Column::COUNT.to_string() class="empty" data-testid="empty-filter">
                                {word(|t| &t.no_match)}
                            </td></tr>
                        });
                        let rows = visible.into_iter().map(|row| {
                            let href = format!("{LIST_PATH}/{}", row.id);
                            view! {
                                <tr data-testid="mailbox-row">
                                    <td data-label=column(Column::Status)>
                                        <span class=row.status_class data-testid="mailbox-status">{row.status}</span>
                                        {row.basic_auth.map(|(mark, title)| view! {
                                            " " <span class="mark mark--warn" title=title
                                                data-testid="mailbox-basic-auth">{mark}</span>
                                        })}
                                    </td>
                                    <td data-label=column(Column::LastError) class="cell-error"
                                        data-testid="mailbox-last-error">
                                        <span class:error-text=row.failing>{row.last_error}</span>
                                    </td>
                                    <td data-label=column(Column::Name) class="cell-name">
                                        <div>
                                            <a href=href>{row.name}</a>
                                            {row.is_primary.then(|| view! {
                                                " " <span class="mark" data-testid="mailbox-primary">{word(|t| &t.primary)}</span>
                                            })}
                                            {(!row.is_active).then(|| view! {
                                                " " <span class="mark mark--off" data-testid="mailbox-inactive">{word(|t| &t.inactive)}</span>
                                            })}
                                            " " <span class="cell-sub" data-testid="mailbox-email">{row.email}</span>
                                        </div>
                                    </td>
                                    <td data-label=column(Column::Incoming) class="cell-type">{row.incoming}</td>
                                    <td data-label=column(Column::Outgoing) class="cell-type">{row.outgoing}</td>
                                    <td data-label=column(Column::Messages)>
                                        <div>
                                            <span data-testid="mailbox-message-count">{row.messages}</span>
                                            " " <span class="cell-sub">
                                                {word(|t| &t.last_fetched)} ": "
                                                <span data-testid="mailbox-last-fetched"><Time shown=row.last_fetched/></span>
                                            </span>
                                        </div>
                                    </td>
                                </tr>
                            }
                        }).collect_view();
                        (none, rows)
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_reach_the_island_in_their_places() {
        for lang in [Lang::Nl, Lang::En] {
            let texts = ListTexts::new(lang);
            assert_eq!(ListTexts::from_words(texts.clone().into_words()), texts);
        }
    }
}
