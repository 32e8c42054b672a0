//! The page shell: header with the signed-in user and Uitloggen, navigation
//! (Instellingen > Mailboxen), breadcrumb and demo banner.

use leptos::prelude::*;

use crate::api::{get_session_user, get_site_info};
use rules::access::{Role, SessionUser, SIGN_OUT_PATH};
use rules::i18n::{AccessMsg, Counted, Lang, Msg};

/// The signed-in user, loaded once per page by [`PageShell`], for its children.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<SessionUser, ServerFnError>>);

/// Wraps a page's content in the common chrome. `crumb` is the last breadcrumb entry.
#[component]
pub fn PageShell(title: Msg, crumb: Msg, children: Children) -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let t = move |msg: Msg| msg.text(lang);
    let site_info = Resource::new(|| (), |_| get_site_info());
    let user = Resource::new(|| (), |_| get_session_user());
    provide_context(CurrentUser(user));

    view! {
        <a class="skip-link" href="#inhoud">{t(Msg::SkipToContent)}</a>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let fake = site_info.await.map(|info| info.talks_to_fake_microsoft).unwrap_or(false);
                fake.then(|| view! { <DemoBanner lang/> })
            })}
        </Transition>
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
            </nav>
            <LanguageSwitch lang/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    user.await.ok().map(|user| view! { <UserMenu user lang/> })
                })}
            </Transition>
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
pub fn ChangeOnly(children: ChildrenFn) -> impl IntoView {
    let user = use_context::<CurrentUser>();
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let can_change = match user {
                    Some(CurrentUser(user)) => user.await.is_ok_and(|u| u.can_change()),
                    None => false,
                };
                can_change.then(|| children.with_value(|children| children()))
            })}
        </Transition>
    }
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
