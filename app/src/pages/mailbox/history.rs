//! "Geschiedenis van de verbinding": every attempt of the mailbox (connect, refresh,
//! preflight, admin consent, refused callbacks), newest first, filterable by outcome. The
//! filter is a GET form (`?uitkomst=…`); the filter and the table are an island, in which
//! a choice filters at once.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::api::connect::list_connection_history;
use crate::components::browser::replace_url;
use crate::components::{clock, Time};
use rules::connection::AttemptProblem;
use rules::diagnostics::{kind_label, outcome_text, HistoryFilter};
use rules::i18n::{DiagMsg, Lang};
use rules::mailbox_form::MailboxTarget;
use rules::time::{Clock, Shown};

/// The history of the mailbox page's `segment`; none for a new mailbox.
pub(super) async fn load(segment: String) -> Result<Vec<AttemptProblem>, ServerFnError> {
    match MailboxTarget::from_segment(&segment).and_then(MailboxTarget::id) {
        Some(id) => list_connection_history(id).await,
        None => Ok(Vec::new()),
    }
}

#[component]
pub(super) fn History(
    id: i32,
    entries: Resource<Result<Vec<AttemptProblem>, ServerFnError>>,
) -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let clock = clock();
    let filter = use_query_map()
        .with_untracked(|q| HistoryFilter::from_param(q.get(HistoryFilter::PARAM).as_deref()));
    view! {
        <section class="history" aria-labelledby="history-title" data-testid="history">
            <h2 id="history-title">{DiagMsg::HistoryTitle.text(lang)}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let rows = entries.await.unwrap_or_default().iter()
                        .map(|entry| HistoryRow::worded(entry, &clock, lang)).collect();
                    view! { <FilteredHistory id rows filter words=HistoryTexts::new(lang).into_words()/> }
                })}
            </Suspense>
        </section>
    }
}

/// One attempt as the history shows it, worded on the server: the browser's bundle
/// carries no message catalogue or advice table for it, and its time is worded against the
/// server's "now".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    at: Shown,
    outcome: String,
    kind: String,
    kind_text: String,
    outcome_text: String,
    code: Option<String>,
    advice: Option<String>,
}

impl HistoryRow {
    fn worded(entry: &AttemptProblem, clock: &Clock, lang: Lang) -> HistoryRow {
        HistoryRow {
            at: clock.show_text(&entry.at, lang),
            outcome: entry.outcome.clone(),
            kind: entry.kind.clone(),
            kind_text: kind_label(&entry.kind).text(lang).to_string(),
            outcome_text: outcome_text(&entry.outcome, lang).to_string(),
            code: entry.code(),
            advice: entry.advice.map(|advice| advice.text(lang).to_string()),
        }
    }
}

/// The history's fixed words, in the admin's language.
#[derive(Clone, Debug, PartialEq, Eq)]
struct HistoryTexts {
    /// Column headers: when, kind, outcome, code, advice.
    columns: Vec<String>,
    filter: String,
    /// The filter's choices, in [`HistoryFilter::ALL`]'s order.
    choices: Vec<String>,
    apply: String,
    empty: String,
    no_match: String,
}

impl HistoryTexts {
    fn new(lang: Lang) -> HistoryTexts {
        let t = |msg: DiagMsg| msg.text(lang).to_string();
        HistoryTexts {
            columns: vec![
                t(DiagMsg::ColWhen),
                t(DiagMsg::ColKind),
                t(DiagMsg::ColOutcome),
                t(DiagMsg::ColCode),
                t(DiagMsg::ColAdvice),
            ],
            filter: t(DiagMsg::HistoryFilter),
            choices: HistoryFilter::ALL.map(|choice| t(choice.label())).to_vec(),
            apply: t(DiagMsg::ApplyFilter),
            empty: t(DiagMsg::HistoryEmpty),
            no_match: t(DiagMsg::HistoryNoMatch),
        }
    }

    /// The words as the island's prop: one list, because a struct would cost the bundle a
    /// deserializer of its own. [`HistoryTexts::from_words`] reads them in this order.
    fn into_words(self) -> Vec<String> {
        let HistoryTexts {
            columns,
            filter,
            choices,
            apply,
            empty,
            no_match,
        } = self;
        [filter, apply, empty, no_match]
            .into_iter()
            .chain(columns)
            .chain(choices)
            .collect()
    }

    fn from_words(words: Vec<String>) -> HistoryTexts {
        let mut words = words.into_iter();
        let mut next = || words.next().unwrap_or_default();
        // Fields are evaluated in the order written: the order of `into_words`.
        HistoryTexts {
            filter: next(),
            apply: next(),
            empty: next(),
            no_match: next(),
            columns: (0..5).map(|_| next()).collect(),
            choices: HistoryFilter::ALL.map(|_| next()).to_vec(),
        }
    }
}

/// The filter and the entries: the history's island.
#[island]
fn FilteredHistory(
    id: i32,
    rows: Vec<HistoryRow>,
    filter: HistoryFilter,
    words: Vec<String>,
) -> impl IntoView {
    let filter = RwSignal::new(filter);
    let texts = StoredValue::new(HistoryTexts::from_words(words));
    let empty = rows.is_empty();
    view! {
        <FilterForm id filter texts/>
        {empty.then(|| view! { <p class="muted">{texts.with_value(|t| t.empty.clone())}</p> })}
        {(!empty).then(|| view! { <HistoryTable rows filter texts/> })}
    }
}

#[component]
fn FilterForm(
    id: i32,
    filter: RwSignal<HistoryFilter>,
    texts: StoredValue<HistoryTexts>,
) -> impl IntoView {
    let path = MailboxTarget::Existing(id).path();
    let apply = {
        let path = path.clone();
        move |next: HistoryFilter| {
            replace_url(&match next {
                HistoryFilter::All => path.clone(),
                other => format!("{path}?{}={}", HistoryFilter::PARAM, other.param()),
            });
            filter.set(next);
        }
    };
    let on_change = {
        let apply = apply.clone();
        move |ev| apply(HistoryFilter::from_param(Some(&event_target_value(&ev))))
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        // With the island running the choice already filtered; no page load.
        ev.prevent_default();
        apply(filter.get_untracked());
    };
    let text = move |pick: fn(&HistoryTexts) -> &String| texts.with_value(|t| pick(t).clone());
    view! {
        <form class="filters" method="get" action=path on:submit=on_submit data-testid="history-filter">
            <div class="field">
                <label for="history-uitkomst">{text(|t| &t.filter)}</label>
                <select id="history-uitkomst" name=HistoryFilter::PARAM on:change=on_change
                    data-testid="history-filter-outcome">
                    {HistoryFilter::ALL.into_iter().enumerate().map(|(i, option)| view! {
                        <option value=option.param() selected=move || filter.get() == option>
                            {texts.with_value(|t| t.choices.get(i).cloned().unwrap_or_default())}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button" data-testid="history-filter-submit">
                {text(|t| &t.apply)}
            </button>
        </form>
    }
}

#[component]
fn HistoryTable(
    rows: Vec<HistoryRow>,
    filter: RwSignal<HistoryFilter>,
    texts: StoredValue<HistoryTexts>,
) -> impl IntoView {
    let column =
        move |i: usize| texts.with_value(|t| t.columns.get(i).cloned().unwrap_or_default());
    let rows = StoredValue::new(rows);
    let visible = move || {
        let filter = filter.get();
        rows.with_value(|all| {
            all.iter()
                .filter(|row| filter.matches(&row.outcome))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        {texts.with_value(|t| t.columns.clone()).into_iter()
                            .map(|text| view! { <th scope="col">{text}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let rows = visible();
                        let none = rows.is_empty().then(|| view! {
                            <tr><td colspan="5" class="empty" data-testid="history-empty">
                                {texts.with_value(|t| t.no_match.clone())}
                            </td></tr>
                        });
                        let entries = rows.into_iter().map(|row| {
                            view! {
                                <tr data-testid="history-entry" data-outcome=row.outcome data-kind=row.kind>
                                    <td data-label=column(0)><Time shown=row.at/></td>
                                    <td data-label=column(1)>{row.kind_text}</td>
                                    <td data-label=column(2)>{row.outcome_text}</td>
                                    <td data-label=column(3)>{row.code}</td>
                                    <td data-label=column(4)>{row.advice}</td>
                                </tr>
                            }
                        }).collect_view();
                        (none, entries)
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
            let texts = HistoryTexts::new(lang);
            assert_eq!(HistoryTexts::from_words(texts.clone().into_words()), texts);
        }
    }
}
