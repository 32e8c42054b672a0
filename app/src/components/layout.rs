//! The page shell: header with the signed-in user and Uitloggen, navigation
//! (Instellingen > Mailboxen), breadcrumb and demo banner.

use leptos::prelude::*;

use crate::api::get_site_info;
use rules::access::{Role, SessionUser, SIGN_OUT_PATH};
use rules::i18n::{AccessMsg, Counted, Lang, Msg};

/// The signed-in user, read once per page by [`PageShell`], for its children.
#[derive(Clone)]
pub struct CurrentUser(pub Option<SessionUser>);

/// Wraps a page's content in the common chrome. `crumb` is the last breadcrumb entry.
///
/// Pages render on the server only (the islands are what runs in the browser), where the
/// signed-in user and the demo mode are known at once: only the menu's count waits for data.
#[component]
pub fn PageShell(title: Msg, crumb: Msg, children: Children) -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let t = move |msg: Msg| msg.text(lang);
    let site_info = Resource::new(|| (), |_| get_site_info());
    #[cfg(feature = "ssr")]
    let (user, fake) = (
        crate::api::session_user().ok(),
        crate::api::talks_to_fake_microsoft(),
    );
    #[cfg(not(feature = "ssr"))]
    let (user, fake) = (None::<SessionUser>, false);
    provide_context(CurrentUser(user.clone()));

    view! {
        <a class="skip-link" href="#inhoud">{t(Msg::SkipToContent)}</a>
        {fake.then(|| view! { <DemoBanner lang/> })}
        <header class="topbar">
            <span class="brand">{t(Msg::AppName)}</span>
            <nav aria-label=t(Msg::NavMain) class="mainnav">
                <span class="mainnav__section">{t(Msg::NavSettings)}</span>
                <a href="/instellingen/mailboxen" aria-current="page" class="mainnav__link"
                    data-testid="nav-mailboxes">
                    {t(Msg::NavMailboxes)}
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let count = site_info.await.map(|info| info.mailboxes_needing_attention).unwrap_or(0);
                            (count > 0).then(|| view! {
                                " " <span class="attention" data-testid="nav-attention">
                                    <span aria-hidden="true">{count.to_string()}</span>
                                    <span class="visually-hidden">
                                        {Counted::MailboxesNeedingAttention.text(u64::from(count), lang)}
                                    </span>
                                </span>
                            })
                        })}
                    </Transition>
                </a>
                <a href=rules::app_registrations::REGISTRATIONS_PATH class="mainnav__link"
                    data-testid="nav-app-registrations">
                    {t(Msg::NavAppRegistrations)}
                </a>
                <a href=rules::setup::SETUP_PATH class="mainnav__link" data-testid="nav-setup">
                    {t(Msg::NavSetup)}
                </a>
            </nav>
            <LanguageSwitch lang/>
            {user.map(|user| view! { <UserMenu user lang/> })}
        </header>
        <main id="inhoud" class="page">
            <nav aria-label=t(Msg::Breadcrumb) class="breadcrumb">
                <ol>
                    <li>{t(Msg::NavSettings)}</li>
                    <li><a href="/instellingen/mailboxen">{t(Msg::NavMailboxes)}</a></li>
                    {(crumb != Msg::NavMailboxes).then(|| view! { <li>{t(crumb)}</li> })}
                </ol>
            </nav>
            <h1>{t(title)}</h1>
            {children()}
        </main>
    }
}

/// Switches between Dutch and English: a plain POST form (see the server's `/taal` route),
/// so it works the same with and without JavaScript.
#[component]
fn LanguageSwitch(lang: Lang) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let back = move || {
        let (path, search) = (location.pathname.get(), location.search.get());
        match search.trim_start_matches('?') {
            "" => path,
            query => format!("{path}?{query}"),
        }
    };
    let other = lang.other();
    view! {
        <form method="post" action="/taal" class="langswitch">
            <input type="hidden" name="taal" value=other.code()/>
            <input type="hidden" name="terug" value=back/>
            <button type="submit" class="langswitch__button" lang=other.code()
                aria-label=format!("{}: {}", Msg::SwitchLanguageLabel.text(lang), Msg::SwitchLanguage.text(lang))
                data-testid="switch-language">
                {Msg::SwitchLanguage.text(lang)}
            </button>
        </form>
    }
}

/// "Ingelogd als … (rol)" and the Uitloggen button, a plain POST form.
#[component]
fn UserMenu(user: SessionUser, lang: Lang) -> impl IntoView {
    let role = match user.role {
        Role::Beheerder => AccessMsg::RoleBeheerder,
        Role::Postlezer => AccessMsg::RolePostlezer,
        Role::Lezer => AccessMsg::RoleLezer,
    };
    view! {
        <div class="usermenu">
            <span class="usermenu__who" data-testid="signed-in-as">
                {format!("{} ", AccessMsg::SignedInAs.text(lang))}
                <strong>{user.email}</strong>
                {format!(" ({})", role.text(lang))}
            </span>
            <form method="post" action=SIGN_OUT_PATH class="usermenu__form">
                <button type="submit" class="button button--small" data-testid="sign-out">
                    {AccessMsg::SignOut.text(lang)}
                </button>
            </form>
        </div>
    }
}

/// Shows `children` only to a user who may change mailboxes (`beheerder`).
#[component]
pub fn ChangeOnly(children: Children) -> impl IntoView {
    let can_change = use_context::<CurrentUser>()
        .is_some_and(|CurrentUser(user)| user.is_some_and(|user| user.can_change()));
    can_change.then(children)
}

/// Shown on every page while the app talks to a fake Microsoft (demo mode and tests).
#[component]
pub fn DemoBanner(lang: Lang) -> impl IntoView {
    view! {
        <div class="demo-banner" role="status" data-testid="demo-banner">
            {Msg::DemoBanner.text(lang)}
        </div>
    }
}
