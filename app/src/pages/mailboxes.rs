//! `/instellingen/mailboxen`: the list with its name and Actief filters.
//!
//! The filter lives in the URL. Without JavaScript the form is a plain GET and the server
//! renders the filtered rows. The table is rendered on the server only: the rows the filter
//! shows in its body, the others kept in a `<template>` beside it. The filter form and the
//! row count are the page's one island; it gets each row's name and Actief (not the rows)
//! and, once its WASM runs, typing shows the matching rows of that table at once and only
//! replaces the URL, so no page load and no server round trip.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use leptos::tachys::html::InertElement;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::api::list_mailboxes;
use crate::api::mail::list_mail_summaries;
use crate::components::browser::{control_values, follow_rows, replace_url, ControlValue};
use crate::components::{clock, ChangeOnly, PageShell};
use rules::i18n::{plural, BasicAuthMsg, Counted, Lang, MailMsg, Msg};
use rules::mail::MailSummaryRow;
use rules::mailbox_form::DELETED_PARAM;
use rules::mailbox_list::{ActiveFilter, MailboxFilter, MailboxRow};
use rules::time::{Clock, Shown};

mod rows;

const LIST_PATH: &str = "/instellingen/mailboxen";
/// The table body the island fills with the matching rows.
const SHOWN_ROWS_ID: &str = "mailbox-rows";
/// The `<template>` that keeps the rows the server's filter left out.
const KEPT_ROWS_ID: &str = "mailbox-rows-kept";
/// The row saying no mailbox matches, in the body or kept.
const NO_MATCH_ID: &str = "mailbox-no-match";

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
    // `Suspense` builds its children up to three times on the server (to find their resources,
    // to check once more, to render): the list is built and rendered once per request.
    let rendered = Arc::new(OnceLock::<String>::new());

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
                    let (filter, rendered) = (filter.clone(), rendered.clone());
                    Suspend::new(async move {
                        // Once rendered, both resources are loaded: nothing left to wait for.
                        if let Some(html) = rendered.get() {
                            return InertElement::new(html.clone());
                        }
                        let (mail, rows) = (mail.await, mailboxes.await);
                        let html =
                            rendered.get_or_init(|| list_html(rows, mail, filter, &clock, lang));
                        InertElement::new(html.clone())
                    })
                }}
            </Suspense>
        </PageShell>
    }
}

/// The filter, the row count and the table; or the list's empty state or load failure, as
/// HTML. Each part is rendered straight from its own view type: erasing them to one
/// `AnyView` first copied every static text and attribute of the table into an owned string
/// (bench/RESULTS.md §2).
fn list_html(
    rows: Result<Vec<MailboxRow>, ServerFnError>,
    mail: Result<Vec<MailSummaryRow>, ServerFnError>,
    filter: MailboxFilter,
    clock: &Clock,
    lang: Lang,
) -> String {
    let Ok(rows) = rows else {
        return view! {
            <p class="alert alert--error" role="alert">{Msg::LoadFailed.text(lang)}</p>
        }
        .to_html();
    };
    // Without the mail columns' data the list still shows (with "–").
    let mail: HashMap<i32, MailSummaryRow> = mail
        .unwrap_or_default()
        .into_iter()
        .map(|row| (row.mailbox_id, row))
        .collect();
    let rows: Vec<ListRow> = rows
        .into_iter()
        .map(|row| {
            let mail = mail.get(&row.id);
            ListRow::worded(row, mail, clock, lang)
        })
        .collect();
    let filtered = rows
        .iter()
        .map(|row| (row.name.clone(), row.is_active))
        .collect();
    let words = FilterTexts::new(lang).into_words();
    let empty = rows.is_empty();
    let mut html =
        view! { <FilteredMailboxes rows=filtered filter=filter.clone() words/> }.to_html();
    if empty {
        html.push_str(
            &view! { <p class="empty" data-testid="empty-state">{Msg::EmptyNoMailboxes.text(lang)}</p> }
                .to_html(),
        );
    } else {
        html.push_str(&view! { <MailboxTable rows filter lang/> }.to_html());
    }
    html
}

/// One row as the table shows it, worded on the server.
struct ListRow {
    id: i32,
    name: String,
    email: String,
    is_active: bool,
    is_primary: bool,
    incoming: &'static str,
    outgoing: &'static str,
    status: String,
    status_class: &'static str,
    /// Worded against the request's "now".
    last_fetched: Shown,
    messages: String,
    last_error: String,
    failing: bool,
    /// The mark of a mailbox on a password at Microsoft 365 (issue 23) and its tooltip.
    basic_auth: Option<(&'static str, &'static str)>,
    /// "Verloopt over 12 dagen": the app registration's credential ends soon (issue 19).
    expiry: Option<(String, &'static str)>,
}

impl ListRow {
    /// `mail`: the row's mail columns, for a mailbox fetched over Graph ("–" otherwise).
    fn worded(
        row: MailboxRow,
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
            is_active: row.is_active,
            is_primary: row.is_primary,
            incoming: row.incoming.label().text(lang),
            outgoing: row.outgoing.label().text(lang),
            status: row.status.text(lang),
            status_class: row.status.css_class(),
            last_fetched,
            messages: mail.map_or_else(|| NONE.to_string(), |mail| mail.message_count.to_string()),
            last_error: mail
                .and_then(|mail| mail.last_error.clone())
                .unwrap_or_else(|| NONE.to_string()),
            failing: mail.is_some_and(|mail| mail.failing),
            expiry: row.credential_expiry.map(|expiry| {
                let class = match expiry {
                    rules::app_registrations::Expiry::Soon { .. } => "mark mark--warn",
                    _ => "mark mark--bad",
                };
                (rules::i18n::expiry_text(expiry, lang), class)
            }),
            basic_auth: row.basic_auth_ending.then(|| {
                (
                    BasicAuthMsg::ListMark.text(lang),
                    BasicAuthMsg::ListMarkTitle.text(lang),
                )
            }),
            name: row.name,
            email: row.email,
        }
    }
}

/// The island's words, in the admin's language.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FilterTexts {
    filter_name: String,
    filter_placeholder: String,
    filter_active: String,
    /// The Actief choices: Alle, Ja, Nee.
    choices: Vec<String>,
    apply: String,
    /// "{n} mailbox getoond" and "{n} mailboxen getoond".
    count_one: String,
    count_many: String,
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
    const ALL: [Column; 6] = [
        Column::Status,
        Column::LastError,
        Column::Name,
        Column::Incoming,
        Column::Outgoing,
        Column::Messages,
    ];

    fn text(self, lang: Lang) -> &'static str {
        match self {
            Column::Status => Msg::ColStatus.text(lang),
            Column::LastError => MailMsg::ColLastError.text(lang),
            Column::Name => Msg::ColName.text(lang),
            Column::Incoming => Msg::ColIncoming.text(lang),
            Column::Outgoing => Msg::ColOutgoing.text(lang),
            Column::Messages => MailMsg::ColMessages.text(lang),
        }
    }
}

impl FilterTexts {
    fn new(lang: Lang) -> FilterTexts {
        let t = |msg: Msg| msg.text(lang).to_string();
        let (count_one, count_many) = Counted::MailboxesShown.forms(lang);
        FilterTexts {
            filter_name: t(Msg::FilterName),
            filter_placeholder: t(Msg::FilterNamePlaceholder),
            filter_active: t(Msg::FilterActive),
            choices: vec![t(Msg::FilterAll), t(Msg::Yes), t(Msg::No)],
            apply: t(Msg::ApplyFilter),
            count_one: count_one.to_string(),
            count_many: count_many.to_string(),
        }
    }

    /// The words as the island's prop: one list, because a struct would cost the bundle a
    /// deserializer of its own. [`FilterTexts::from_words`] reads them in this order.
    fn into_words(self) -> Vec<String> {
        let FilterTexts {
            filter_name,
            filter_placeholder,
            filter_active,
            choices,
            apply,
            count_one,
            count_many,
        } = self;
        [filter_name, filter_placeholder, filter_active, apply]
            .into_iter()
            .chain([count_one, count_many])
            .chain(choices)
            .collect()
    }

    fn from_words(words: Vec<String>) -> FilterTexts {
        let mut words = words.into_iter();
        let mut next = || words.next().unwrap_or_default();
        // Fields are evaluated in the order written: the order of `into_words`.
        FilterTexts {
            filter_name: next(),
            filter_placeholder: next(),
            filter_active: next(),
            apply: next(),
            count_one: next(),
            count_many: next(),
            choices: (0..3).map(|_| next()).collect(),
        }
    }
}

/// The filter form and the row count: the list page's one island. `rows`: each row's name
/// and Actief, in the order of the table beside it ([`MailboxTable`]), whose rows it shows.
#[island]
fn FilteredMailboxes(
    rows: Vec<(String, bool)>,
    filter: MailboxFilter,
    words: Vec<String>,
) -> impl IntoView {
    let filter = RwSignal::new(filter);
    let texts = StoredValue::new(FilterTexts::from_words(words));
    let none = rows.is_empty();
    let rows = StoredValue::new(rows);
    let shown = Memo::new(move |_| {
        let filter = filter.get();
        rows.with_value(|rows| {
            rows.iter()
                .map(|(name, is_active)| filter.matches(name, *is_active))
                .collect::<Vec<_>>()
        })
    });
    follow_rows(SHOWN_ROWS_ID, KEPT_ROWS_ID, NO_MATCH_ID, shown);
    let count = move || {
        let count = shown.with(|shown| shown.iter().filter(|shown| **shown).count()) as u64;
        texts.with_value(|t| plural(count, &t.count_one, &t.count_many))
    };
    view! {
        <FilterForm filter texts/>
        {(!none).then(|| view! {
            <p class="muted" aria-live="polite" data-testid="row-count">{count}</p>
        })}
    }
}

/// A GET form; in the island every keystroke and choice filters and replaces the URL.
#[component]
fn FilterForm(filter: RwSignal<MailboxFilter>, texts: StoredValue<FilterTexts>) -> impl IntoView {
    let text = move |pick: fn(&FilterTexts) -> &String| texts.with_value(|t| pick(t).clone());
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

/// The table, rendered on the server only: the rows `filter` shows in its body (or the row
/// saying none does), the others kept in a `<template>` after it, for the island to show.
#[component]
fn MailboxTable(rows: Vec<ListRow>, filter: MailboxFilter, lang: Lang) -> impl IntoView {
    let (shown, kept): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|row| filter.matches(&row.name, row.is_active));
    let no_match = move || {
        view! {
            <tr id=NO_MATCH_ID>
                <td colspan=Column::ALL.len().to_string() class="empty" data-testid="empty-filter">
                    {Msg::EmptyNoMatch.text(lang)}
                </td>
            </tr>
        }
        .to_html()
    };
    let (no_match_shown, no_match_kept) = if shown.is_empty() {
        (Some(no_match()), None)
    } else {
        (None, Some(no_match()))
    };
    // The rows as HTML (`rows`), then the row saying none matches where it belongs.
    let rows = |rows: Vec<ListRow>, no_match: Option<String>| {
        let mut html = String::with_capacity((rows.len() + 1) * rows::ROW_BYTES);
        for row in &rows {
            rows::write_row(&mut html, row, lang);
        }
        if let Some(no_match) = no_match {
            html.push_str(&no_match);
        }
        html
    };
    view! {
        <div class="table-wrap">
            <table class="table table--mailboxes" data-testid="mailbox-table">
                <thead>
                    <tr>
                        {Column::ALL.map(|column| view! { <th scope="col">{column.text(lang)}</th> })}
                    </tr>
                </thead>
                <tbody id=SHOWN_ROWS_ID inner_html=rows(shown, no_match_shown)></tbody>
            </table>
            <template id=KEPT_ROWS_ID inner_html=rows(kept, no_match_kept)></template>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_reach_the_island_in_their_places() {
        for lang in [Lang::Nl, Lang::En] {
            let texts = FilterTexts::new(lang);
            assert_eq!(FilterTexts::from_words(texts.clone().into_words()), texts);
        }
    }
}
