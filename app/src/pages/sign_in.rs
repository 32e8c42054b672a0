//! `/inloggen`: a plain POST form to the server's sign-in route (the cookie is set by a
//! redirect); nothing here runs in the browser.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use rules::access::{SignInError, ERROR_PARAM, NEXT_PARAM, SIGN_IN_PATH};
use rules::i18n::{AccessMsg, Lang, Msg};

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

    view! {
        <Title text=t(AccessMsg::SignInTitle)/>
        <header class="topbar">
            <span class="brand">{Msg::AppName.text(lang)}</span>
        </header>
        <main id="inhoud" class="page page--narrow">
            <h1>{t(AccessMsg::SignInTitle)}</h1>
            <p class="lead">{t(AccessMsg::SignInIntro)}</p>
            {move || error().map(|error| {
                let text = match error {
                    SignInError::Rejected => t(AccessMsg::Rejected),
                    SignInError::Throttled => t(AccessMsg::Throttled),
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
