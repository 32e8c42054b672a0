//! "Geschiedenis van de verbinding": every attempt of the mailbox (connect, refresh,
//! preflight, admin consent, refused callbacks), newest first, filterable by outcome. The
//! filter is a GET form (`?uitkomst=…`); once hydrated a choice filters at once.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::connect::list_connection_history;
use crate::connection::AttemptProblem;
use crate::diagnostics::{kind_label, outcome_text, HistoryFilter};
use crate::i18n::{DiagMsg, Lang};
use crate::mailbox_form::MailboxTarget;

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
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| HistoryFilter::from_param(q.get(HistoryFilter::PARAM).as_deref()))
    });
    view! {
        <section class="history" aria-labelledby="history-title" data-testid="history">
            <h2 id="history-title">{DiagMsg::HistoryTitle.text(lang)}</h2>
            <FilterForm id filter lang/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(entries) if !entries.is_empty() => view! { <HistoryTable entries filter lang/> }.into_any(),
                        _ => view! { <p class="muted">{DiagMsg::HistoryEmpty.text(lang)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn FilterForm(id: i32, filter: Memo<HistoryFilter>, lang: Lang) -> impl IntoView {
    let path = MailboxTarget::Existing(id).path();
    let navigate = use_navigate();
    let apply = {
        let path = path.clone();
        move |next: HistoryFilter| {
            let url = match next {
                HistoryFilter::All => path.clone(),
                other => format!("{path}?{}={}", HistoryFilter::PARAM, other.param()),
            };
            let options = NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            };
            navigate(&url, options);
        }
    };
    let on_change = {
        let apply = apply.clone();
        move |ev| apply(HistoryFilter::from_param(Some(&event_target_value(&ev))))
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        // Hydrated: the choice already filtered; don't reload the page.
        ev.prevent_default();
        apply(filter.get_untracked());
    };
    view! {
        <form class="filters" method="get" action=path on:submit=on_submit data-testid="history-filter">
            <div class="field">
                <label for="history-uitkomst">{DiagMsg::HistoryFilter.text(lang)}</label>
                <select id="history-uitkomst" name=HistoryFilter::PARAM on:change=on_change
                    data-testid="history-filter-outcome">
                    {HistoryFilter::ALL.into_iter().map(|option| view! {
                        <option value=option.param() selected=move || filter.get() == option>
                            {option.label().text(lang)}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button" data-testid="history-filter-submit">
                {DiagMsg::ApplyFilter.text(lang)}
            </button>
        </form>
    }
}

#[component]
fn HistoryTable(
    entries: Vec<AttemptProblem>,
    filter: Memo<HistoryFilter>,
    lang: Lang,
) -> impl IntoView {
    let t = move |msg: DiagMsg| msg.text(lang);
    let entries = StoredValue::new(entries);
    let visible = move || {
        let filter = filter.get();
        entries.with_value(|all| {
            all.iter()
                .filter(|e| filter.matches(e))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{t(DiagMsg::ColWhen)}</th>
                        <th scope="col">{t(DiagMsg::ColKind)}</th>
                        <th scope="col">{t(DiagMsg::ColOutcome)}</th>
                        <th scope="col">{t(DiagMsg::ColCode)}</th>
                        <th scope="col">{t(DiagMsg::ColAdvice)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let rows = visible();
                        if rows.is_empty() {
                            return view! {
                                <tr><td colspan="5" class="empty" data-testid="history-empty">{t(DiagMsg::HistoryNoMatch)}</td></tr>
                            }.into_any();
                        }
                        rows.into_iter().map(|entry| {
                            let when = entry.at.get(..19).unwrap_or_default().replace('T', " ");
                            let advice = entry.advice.map(|advice| advice.text(lang));
                            view! {
                                <tr data-testid="history-entry" data-outcome=entry.outcome.clone()
                                    data-kind=entry.kind.clone()>
                                    <td data-label=t(DiagMsg::ColWhen)>
                                        <time datetime=entry.at.clone()>{when}</time>
                                    </td>
                                    <td data-label=t(DiagMsg::ColKind)>{kind_label(&entry.kind).text(lang)}</td>
                                    <td data-label=t(DiagMsg::ColOutcome)>{outcome_text(&entry.outcome, lang)}</td>
                                    <td data-label=t(DiagMsg::ColCode)>{entry.code()}</td>
                                    <td data-label=t(DiagMsg::ColAdvice)>{advice}</td>
                                </tr>
                            }
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
    }
}
