//! `/inloggen`: a plain POST form to the server's sign-in route (the cookie is set by a
//! redirect); nothing here runs in the browser.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::DemoBanner;
use rules::access::{SignInError, ERROR_PARAM, NEXT_PARAM, SIGN_IN_PATH};
use rules::i18n::{AccessMsg, Lang, Msg};
use rules::site::DemoAccount;

#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let t = move |msg: AccessMsg| msg.text(lang);
    let query = use_query_map();
    let error = move || {
        query
            .with(|q| q.get(ERROR_PARAM))
            .map(|value| SignInError::from_param(&value))
    };
    let next = query
        .with_untracked(|q| q.get(NEXT_PARAM))
        .unwrap_or_default();
    let (fake_microsoft, demo_account) = demo_facts();

    view! {
        <Title text=t(AccessMsg::SignInTitle)/>
        <header class="topbar">
            <span class="brand">{Msg::AppName.text(lang)}</span>
        </header>
        {fake_microsoft.then(|| view! { <DemoBanner lang/> })}
        <main id="inhoud" class="page page--narrow">
            <h1>{t(AccessMsg::SignInTitle)}</h1>
            {demo_account.map(|account| view! { <DemoAccountHint account lang/> })}
            <p class="lead">{t(AccessMsg::SignInIntro)}</p>
            {move || error().map(|error| {
                let text = match error {
                    SignInError::Rejected => t(AccessMsg::Rejected),
                    SignInError::Throttled => t(AccessMsg::Throttled),
                    SignInError::Busy => t(AccessMsg::SignInBusy),
                };
                view! { <p class="alert alert--error" role="alert" data-testid="sign-in-error">{text}</p> }
            })}
            <form method="post" action=SIGN_IN_PATH class="sign-in" data-testid="sign-in-form">
                <input type="hidden" name="next" value=next/>
                <div class="field">
                    <label for="sign-in-email">{t(AccessMsg::Email)}</label>
                    <input id="sign-in-email" name="email" type="email" autocomplete="username"
                        required data-testid="sign-in-email"/>
                </div>
                <div class="field">
                    <label for="sign-in-password">{t(AccessMsg::Password)}</label>
                    <input id="sign-in-password" name="password" type="password"
                        autocomplete="current-password" required data-testid="sign-in-password"/>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button--primary" data-testid="sign-in-submit">
                        {t(AccessMsg::SignIn)}
                    </button>
                </div>
            </form>
        </main>
    }
}

/// Whether Microsoft is a stand-in (the banner), and the demo account to name. Read on the
/// server: this page has no island, so nothing of it runs in the browser.
fn demo_facts() -> (bool, Option<DemoAccount>) {
    #[cfg(feature = "ssr")]
    {
        crate::api::request::app_state()
            .map(|state| (state.microsoft.is_fake(), state.demo_account))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        (false, None)
    }
}

/// "Demo: meld je aan als …": the first administrator `make run` created.
#[component]
fn DemoAccountHint(account: DemoAccount, lang: Lang) -> impl IntoView {
    let t = move |msg: AccessMsg| msg.text(lang);
    view! {
        <div class="alert alert--info" data-testid="demo-account">
            <p>{t(AccessMsg::DemoAccount)}</p>
            <dl class="diagnostics">
                <dt>{t(AccessMsg::Email)}</dt>
                <dd><code data-testid="demo-account-email">{account.email}</code></dd>
                <dt>{t(AccessMsg::Password)}</dt>
                <dd>
                    {match account.password {
                        Some(password) => view! { <code data-testid="demo-account-password">{password}</code> }.into_any(),
                        None => t(AccessMsg::DemoPasswordChosen).into_any(),
                    }}
                </dd>
            </dl>
        </div>
    }
}
