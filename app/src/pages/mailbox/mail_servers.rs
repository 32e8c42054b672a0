//! "Verbinding met de mailserver" on the page of a saved IMAP/SMTP mailbox (issue 23): the
//! latest "Test verbinding" with its checks and advice, and the button that runs it (the
//! same server function as "Test app-registratie", which tests the mail servers for such a
//! mailbox). Server-rendered only.

use leptos::prelude::*;

use super::preflight::PreflightPanel;
use crate::api::connect::TestAppRegistration;
use rules::i18n::{DiagMsg, Lang};
use rules::mailbox_form::MailServerView;

#[component]
pub(super) fn MailServerSection(id: i32, view: MailServerView, lang: Lang) -> impl IntoView {
    let test = ServerAction::<TestAppRegistration>::new();
    view! {
        <section class="form-section connection" aria-labelledby="mail-servers-title"
            data-testid="section-mail-servers">
            <h2 id="mail-servers-title">{DiagMsg::MailServersSection.text(lang)}</h2>
            {view.latest.map(|report| view! { <PreflightPanel report stopped=false lang/> })}
            <div class="form-actions connection__actions">
                <ActionForm action=test>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="button" data-testid="test-connection"
                        aria-describedby="help-test-connection">
                        {DiagMsg::TestConnection.text(lang)}
                    </button>
                </ActionForm>
            </div>
            <p id="help-test-connection" class="field__help">{DiagMsg::TestConnectionHelp.text(lang)}</p>
        </section>
    }
}
