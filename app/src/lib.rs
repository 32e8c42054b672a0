//! The Leptos application: pages, components (islands among them) and thin server
//! functions. The rules and view models it shows come from `rules`; with feature `ssr` the
//! server functions call the use cases of `backend`. The browser build (feature `hydrate`)
//! never compiles `backend`.
// The list page's view (its island inside a `Suspense`, erased to an `AnyView`) is deeper
// than the default limit lets the compiler lay out in the server build. `cargo check` and
// clippy do not lay it out, so only a full build shows it.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::pages::{
    AppRegistrationsPage, MailboxPage, MailboxesPage, MessagePage, MessagesPage, NotFoundPage,
    SetupPage, SetupStartPage, SignInPage,
};
use rules::i18n::{Lang, Msg};

/// The HTML document the server renders around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang=request_lang().code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                // The stylesheet under its content-hashed name when the build hashed it
                // (cargo-leptos `hash-files`), so browsers may keep it for a year.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The admin's language: on the server from the `taal` cookie, in the browser from the
/// `lang` attribute the server rendered. Islands get it as a prop.
pub fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                let header = parts.headers.get(http::header::COOKIE)?;
                header.to_str().ok().map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default()
    }
}

/// The root component, rendered on the server only: the browser hydrates just its islands
/// (`#[island]`), see `frontend`.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = request_lang();
    provide_context(lang);

    view! {
        <Title text=Msg::AppName.text(lang)/>
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=|| view! { <leptos_router::components::Redirect path="/instellingen/mailboxen"/> }/>
                // In order: the server streams the page in document order, waiting for data
                // where it is needed, so the page is complete without JavaScript.
                <Route path=path!("/inloggen") view=SignInPage/>
                <Route path=path!("/instellingen/mailboxen") view=MailboxesPage ssr=SsrMode::InOrder/>
                <Route path=path!("/instellingen/app-registraties") view=AppRegistrationsPage ssr=SsrMode::Async/>
                <Route path=path!("/instellingen/microsoft-365-koppelen") view=SetupStartPage ssr=SsrMode::Async/>
                <Route path=path!("/instellingen/microsoft-365-koppelen/:id") view=SetupPage ssr=SsrMode::Async/>
                // Rendered whole before sending, so a missing mailbox gets a real 404 status.
                <Route path=path!("/instellingen/mailboxen/:id") view=MailboxPage ssr=SsrMode::Async/>
                <Route path=path!("/instellingen/mailboxen/:id/berichten") view=MessagesPage ssr=SsrMode::Async/>
                <Route path=path!("/instellingen/mailboxen/:id/berichten/:message_id") view=MessagePage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
