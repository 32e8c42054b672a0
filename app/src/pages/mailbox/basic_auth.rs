//! The notice on the page of an IMAP/SMTP mailbox on a password at Microsoft 365 (issue 23):
//! Microsoft turns basic authentication off (when, and the source), and the button
//! "Overstappen naar Microsoft Api" — a plain form the server answers with a 303 back here.
//! After the switch, what happened. Server-rendered only.

use leptos::prelude::*;

use crate::api::basic_auth::SwitchToMicrosoftApi;
use rules::basic_auth::ANNOUNCEMENT_URL;
use rules::i18n::{BasicAuthMsg, Lang};

#[component]
pub(super) fn BasicAuthNotice(id: i32, can_change: bool, lang: Lang) -> impl IntoView {
    let switch = ServerAction::<SwitchToMicrosoftApi>::new();
    view! {
        <section class="alert alert--warn" aria-labelledby="basic-auth-title"
            data-testid="basic-auth-notice">
            <h2 id="basic-auth-title">{BasicAuthMsg::NoticeTitle.text(lang)}</h2>
            <p>{BasicAuthMsg::NoticeSmtp.text(lang)}</p>
            <p>{BasicAuthMsg::NoticeImap.text(lang)}</p>
            <p>
                <a href=ANNOUNCEMENT_URL rel="noopener noreferrer" target="_blank"
                    data-testid="basic-auth-source">
                    {BasicAuthMsg::NoticeSource.text(lang)}
                </a>
            </p>
            <p>{BasicAuthMsg::NoticeWhat.text(lang)}</p>
            {can_change.then(|| view! {
                <ActionForm action=switch>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button button--primary"
                        data-testid="switch-to-microsoft-api"
                        aria-describedby="help-switch-to-microsoft-api">
                        {BasicAuthMsg::Switch.text(lang)}
                    </button>
                </ActionForm>
                <p id="help-switch-to-microsoft-api" class="field__help">
                    {BasicAuthMsg::SwitchHelp.text(lang)}
                </p>
            })}
        </section>
    }
}

/// What the switch did, from the `overgestapt` parameter of the redirect: `1` switched,
/// `2` switched with another mailbox's app registration filled in, `0` refused.
#[component]
pub(super) fn SwitchedNotice(value: String, lang: Lang) -> impl IntoView {
    match value.as_str() {
        "1" | "2" => view! {
            <div class="alert alert--ok" role="status" data-testid="switched-to-microsoft-api">
                <p>{BasicAuthMsg::Switched.text(lang)}</p>
                {(value == "2").then(|| view! { <p>{BasicAuthMsg::SwitchedPrefilled.text(lang)}</p> })}
            </div>
        }
        .into_any(),
        _ => view! {
            <p class="alert alert--error" role="alert" data-testid="switch-failed">
                {BasicAuthMsg::SwitchFailed.text(lang)}
            </p>
        }
        .into_any(),
    }
}
