//! `/instellingen/mailboxen`: the list with its name and Actief filters.
//!
//! The filter lives in the URL. Without JavaScript the form is a plain GET and the server
//! renders the filtered rows; once hydrated, typing filters the already loaded rows at once
//! and only replaces the URL, so no page load and no server round trip.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use std::collections::HashMap;

use crate::api::list_mailboxes;
use crate::api::mail::{list_mail_summaries, short_time, MailSummaryRow};
use crate::components::{ChangeOnly, PageShell};
use crate::i18n::{Lang, MailMsg, Msg};
use crate::mailbox_form::DELETED_PARAM;
use crate::mailbox_list::{ActiveFilter, MailboxFilter, MailboxRow};

const LIST_PATH: &str = "/instellingen/mailboxen";

#[component]
pub fn MailboxesPage() -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| MailboxFilter::from_params(q.get_str("naam"), q.get_str("actief")))
    });
    let mailboxes = Resource::new(|| (), |_| list_mailboxes());
    // One batch for every row's mail columns.
    let mail = Resource::new(|| (), |_| list_mail_summaries());
    let deleted = move || query.with(|q| q.get_str(DELETED_PARAM).is_some());

    view! {
        <PageShell title=Msg::MailboxesTitle crumb=Msg::NavMailboxes>
            {move || deleted().then(|| view! {
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
            <FilterForm filter lang/>
            <Transition fallback=move || view! { <p class="muted">{Msg::Loading.text(lang)}</p> }>
                {move || Suspend::new(async move {
                    // Without the mail columns' data the list still shows (with "–").
                    let mail: HashMap<i32, MailSummaryRow> = mail.await.unwrap_or_default()
                        .into_iter().map(|row| (row.mailbox_id, row)).collect();
                    match mailboxes.await {
                        Ok(rows) => view! { <MailboxTable rows mail filter lang/> }.into_any(),
                        Err(_) => view! {
                            <p class="alert alert--error" role="alert">{Msg::LoadFailed.text(lang)}</p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </PageShell>
    }
}

/// A GET form; once hydrated every keystroke and choice replaces the URL instead.
#[component]
fn FilterForm(filter: Memo<MailboxFilter>, lang: Lang) -> impl IntoView {
    let navigate = use_navigate();
    let apply = move |next: MailboxFilter| {
        let query = next.to_query();
        let url = if query.is_empty() {
            LIST_PATH.to_string()
        } else {
            format!("{LIST_PATH}?{query}")
        };
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let on_name = {
        let apply = apply.clone();
        move |ev| {
            apply(MailboxFilter {
                name: event_target_value(&ev).trim().to_string(),
                ..filter.get_untracked()
            })
        }
    };
    let on_active = {
        let apply = apply.clone();
        move |ev| {
            let value = event_target_value(&ev);
            apply(MailboxFilter {
                active: ActiveFilter::from_param(Some(&value)),
                ..filter.get_untracked()
            })
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        // Hydrated: the inputs already applied the filter; don't reload the page.
        ev.prevent_default();
        apply(filter.get_untracked());
    };
    let active_option = move |value: ActiveFilter, label: Msg| {
        view! {
            <option value=value.param() selected=move || filter.get().active == value>
                {label.text(lang)}
            </option>
        }
    };
    let initial_name = filter.get_untracked().name;

    view! {
        <form class="filters" method="get" action=LIST_PATH role="search" on:submit=on_submit
            data-testid="mailbox-filter">
            <div class="field">
                <label for="filter-naam">{Msg::FilterName.text(lang)}</label>
                <input id="filter-naam" name="naam" type="search" autocomplete="off"
                    placeholder=Msg::FilterNamePlaceholder.text(lang)
                    value=initial_name on:input=on_name data-testid="filter-name"/>
            </div>
            <div class="field">
                <label for="filter-actief">{Msg::FilterActive.text(lang)}</label>
                <select id="filter-actief" name="actief" on:change=on_active data-testid="filter-active">
                    {active_option(ActiveFilter::All, Msg::FilterAll)}
                    {active_option(ActiveFilter::Active, Msg::Yes)}
                    {active_option(ActiveFilter::Inactive, Msg::No)}
                </select>
            </div>
            <button type="submit" class="button" data-testid="filter-submit">
                {Msg::ApplyFilter.text(lang)}
            </button>
        </form>
    }
}

#[component]
fn MailboxTable(
    rows: Vec<MailboxRow>,
    mail: HashMap<i32, MailSummaryRow>,
    filter: Memo<MailboxFilter>,
    lang: Lang,
) -> impl IntoView {
    let t = move |msg: Msg| msg.text(lang);
    let m = move |msg: MailMsg| msg.text(lang);
    let mail = StoredValue::new(mail);
    if rows.is_empty() {
        return view! { <p class="empty" data-testid="empty-state">{t(Msg::EmptyNoMailboxes)}</p> }
            .into_any();
    }
    let rows = StoredValue::new(rows);
    let visible = move || {
        let filter = filter.get();
        rows.with_value(|rows| {
            rows.iter()
                .filter(|row| filter.matches(row))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let yes_no = move |value: bool| if value { t(Msg::Yes) } else { t(Msg::No) };

    view! {
        {move || {
            let visible = visible();
            let count = visible.len();
            let body = if visible.is_empty() {
                view! {
                    <tr><td colspan="10" class="empty" data-testid="empty-filter">{t(Msg::EmptyNoMatch)}</td></tr>
                }.into_any()
            } else {
                visible.into_iter().map(|row| {
                    let href = format!("{LIST_PATH}/{}", row.id);
                    let summary = mail.with_value(|mail| mail.get(&row.id).cloned());
                    let cells = MailCells::of(summary.as_ref(), lang);
                    view! {
                        <tr data-testid="mailbox-row">
                            <td data-label=t(Msg::ColName)><a href=href>{row.name}</a></td>
                            <td data-label=t(Msg::ColEmail)>{row.email}</td>
                            <td data-label=t(Msg::ColIncoming)>{t(row.incoming.label())}</td>
                            <td data-label=t(Msg::ColOutgoing)>{t(row.outgoing.label())}</td>
                            <td data-label=t(Msg::ColPrimary)>{yes_no(row.is_primary)}</td>
                            <td data-label=t(Msg::ColActive)>{yes_no(row.is_active)}</td>
                            <td data-label=t(Msg::ColStatus)>
                                <span class=row.status.css_class() data-testid="mailbox-status">{row.status.text(lang)}</span>
                            </td>
                            <td data-label=m(MailMsg::ColLastFetched) data-testid="mailbox-last-fetched">{cells.last_fetched}</td>
                            <td data-label=m(MailMsg::ColMessages) data-testid="mailbox-message-count">{cells.messages}</td>
                            <td data-label=m(MailMsg::ColLastError) data-testid="mailbox-last-error"
                                class=cells.error_class>{cells.last_error}</td>
                        </tr>
                    }
                }).collect_view().into_any()
            };
            view! {
                <p class="muted" aria-live="polite" data-testid="row-count">
                    {count} " " {t(Msg::CountShown)}
                </p>
                <div class="table-wrap">
                    <table class="table" data-testid="mailbox-table">
                        <thead>
                            <tr>
                                <th scope="col">{t(Msg::ColName)}</th>
                                <th scope="col">{t(Msg::ColEmail)}</th>
                                <th scope="col">{t(Msg::ColIncoming)}</th>
                                <th scope="col">{t(Msg::ColOutgoing)}</th>
                                <th scope="col">{t(Msg::ColPrimary)}</th>
                                <th scope="col">{t(Msg::ColActive)}</th>
                                <th scope="col">{t(Msg::ColStatus)}</th>
                                <th scope="col">{m(MailMsg::ColLastFetched)}</th>
                                <th scope="col">{m(MailMsg::ColMessages)}</th>
                                <th scope="col">{m(MailMsg::ColLastError)}</th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            }
        }}
    }
    .into_any()
}

/// The three mail columns of one row; "–" where nothing is known.
struct MailCells {
    last_fetched: String,
    messages: String,
    last_error: String,
    error_class: &'static str,
}

impl MailCells {
    fn of(summary: Option<&MailSummaryRow>, lang: Lang) -> MailCells {
        const NONE: &str = "–";
        let Some(summary) = summary else {
            return MailCells {
                last_fetched: NONE.into(),
                messages: NONE.into(),
                last_error: NONE.into(),
                error_class: "",
            };
        };
        MailCells {
            last_fetched: summary
                .last_fetched_at
                .as_deref()
                .map_or_else(|| MailMsg::NeverFetched.text(lang).to_string(), short_time),
            messages: summary.message_count.to_string(),
            last_error: summary.last_error.clone().unwrap_or_else(|| NONE.into()),
            error_class: if summary.failing {
                "status status--bad"
            } else {
                ""
            },
        }
    }
}
