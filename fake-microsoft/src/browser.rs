//! [`SignInBrowser`]: drives the fake's sign-in pages over HTTP like a browser (forms and the
//! session cookie), so Rust tests can run the whole authorization code flow with reqwest.

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use url::Url;

use crate::http::SESSION_COOKIE;

/// Why the browser could not go on.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// The HTTP request failed.
    #[error("request failed: {0}")]
    Http(#[from] reqwest::Error),
    /// The page has no form for that action (e.g. consent on a login page).
    #[error("the '{page}' page has no '{action}' form")]
    NoSuchForm {
        /// The page shown.
        page: String,
        /// The action tried.
        action: String,
    },
    /// The picker does not offer that account.
    #[error("the account picker does not offer '{0}'")]
    NoSuchAccount(String),
    /// A redirect without a valid absolute `Location`.
    #[error("invalid redirect: {0}")]
    BadRedirect(String),
    /// `sign_in` went round in circles.
    #[error("sign-in did not finish within {0} pages")]
    TooManySteps(usize),
}

/// Where the browser is after a request.
#[derive(Debug, Clone)]
pub enum SignInStep {
    /// A page of the fake.
    Page(SignInPage),
    /// A redirect away (usually to the product's callback), not followed.
    Redirect(Url),
}

/// A page of the fake's sign-in.
#[derive(Debug, Clone)]
pub struct SignInPage {
    /// HTTP status.
    pub status: u16,
    /// The HTML.
    pub html: String,
}

/// Accept or cancel a consent page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentChoice {
    /// `consent-accept`.
    Accept,
    /// `consent-cancel`.
    Cancel,
}

impl SignInPage {
    /// `login`, `picker`, `consent`, `admin-consent`, `error` or `signed-out`.
    pub fn kind(&self) -> &str {
        between(&self.html, "data-page=\"", "\"").unwrap_or_default()
    }

    /// The AADSTS code shown: the error page's, or the login form's inline error.
    pub fn error_code(&self) -> Option<u32> {
        let after = self.html.split_once("AADSTS")?.1;
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    }

    /// The UPNs offered by the account picker.
    pub fn accounts(&self) -> Vec<String> {
        self.html
            .split("data-testid=\"account-")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(upn, _)| upn.to_owned()))
            .collect()
    }

    fn action_base(&self) -> Option<&str> {
        let action = between(&self.html, "action=\"", "\"")?;
        action.rsplit_once('/').map(|(base, _)| base)
    }

    fn account_value(&self, upn: &str) -> Option<String> {
        let marker = format!("data-testid=\"account-{upn}\"");
        let before = &self.html[..self.html.find(&marker)?];
        let value = before.rsplit_once("value=\"")?.1;
        value.split_once('"').map(|(v, _)| v.to_owned())
    }
}

/// A cookie-keeping HTTP client for the sign-in pages (redirects are not followed).
#[derive(Debug, Clone)]
pub struct SignInBrowser {
    http: reqwest::Client,
    session: Option<String>,
}

impl SignInBrowser {
    /// A browser with no session.
    pub fn new() -> Result<Self, BrowserError> {
        let http = reqwest::Client::builder()
            .redirect(Policy::none())
            .build()?;
        Ok(Self {
            http,
            session: None,
        })
    }

    /// The fake's session cookie value, once signed in.
    pub fn session_cookie(&self) -> Option<&str> {
        self.session.as_deref()
    }

    /// Opens a URL (e.g. the product's authorize URL).
    pub async fn open(&mut self, url: &str) -> Result<SignInStep, BrowserError> {
        let request = self.with_cookie(self.http.get(url));
        self.read(request.send().await?).await
    }

    /// Submits the e-mail and password form.
    pub async fn submit_password(
        &mut self,
        page: &SignInPage,
        login: &str,
        password: &str,
    ) -> Result<SignInStep, BrowserError> {
        self.post(page, "password", &[("login", login), ("passwd", password)])
            .await
    }

    /// Picks a signed-in account by UPN; `None` is "Use another account".
    pub async fn choose_account(
        &mut self,
        page: &SignInPage,
        upn: Option<&str>,
    ) -> Result<SignInStep, BrowserError> {
        let value = match upn {
            Some(upn) => page
                .account_value(upn)
                .ok_or_else(|| BrowserError::NoSuchAccount(upn.to_owned()))?,
            None => String::new(),
        };
        self.post(page, "account", &[("account", &value)]).await
    }

    /// Accepts or cancels the consent page.
    pub async fn consent(
        &mut self,
        page: &SignInPage,
        choice: ConsentChoice,
    ) -> Result<SignInStep, BrowserError> {
        let decision = match choice {
            ConsentChoice::Accept => "accept",
            ConsentChoice::Cancel => "cancel",
        };
        self.post(page, "consent", &[("decision", decision)]).await
    }

    /// Presses Cancel on the login or picker page.
    pub async fn cancel(&mut self, page: &SignInPage) -> Result<SignInStep, BrowserError> {
        self.post(page, "cancel", &[]).await
    }

    /// The whole sign-in: opens `authorize_url`, picks `login` from the picker (or "Use
    /// another account"), enters the password, answers consent with `consent`. Stops at the
    /// first redirect away, error page or rejected password.
    pub async fn sign_in(
        &mut self,
        authorize_url: &str,
        login: &str,
        password: &str,
        consent: ConsentChoice,
    ) -> Result<SignInStep, BrowserError> {
        const MAX_STEPS: usize = 6;
        let mut step = self.open(authorize_url).await?;
        let mut password_tried = false;
        for _ in 0..MAX_STEPS {
            let SignInStep::Page(page) = &step else {
                return Ok(step);
            };
            step = match page.kind() {
                "picker"
                    if page
                        .accounts()
                        .iter()
                        .any(|a| a.eq_ignore_ascii_case(login)) =>
                {
                    let upn = page
                        .accounts()
                        .into_iter()
                        .find(|a| a.eq_ignore_ascii_case(login));
                    self.choose_account(page, upn.as_deref()).await?
                }
                "picker" => self.choose_account(page, None).await?,
                "login" if !password_tried => {
                    password_tried = true;
                    self.submit_password(page, login, password).await?
                }
                "consent" | "admin-consent" => self.consent(page, consent).await?,
                _ => return Ok(step),
            };
        }
        Err(BrowserError::TooManySteps(MAX_STEPS))
    }

    async fn post(
        &mut self,
        page: &SignInPage,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Result<SignInStep, BrowserError> {
        let no_form = || BrowserError::NoSuchForm {
            page: page.kind().to_owned(),
            action: action.to_owned(),
        };
        let base = page.action_base().ok_or_else(no_form)?;
        if !page.html.contains(&format!("{base}/{action}\"")) {
            return Err(no_form());
        }
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let request = self
            .http
            .post(format!("{base}/{action}"))
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body);
        let request = self.with_cookie(request);
        self.read(request.send().await?).await
    }

    fn with_cookie(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.session {
            Some(session) => request.header(COOKIE, format!("{SESSION_COOKIE}={session}")),
            None => request,
        }
    }

    async fn read(&mut self, response: reqwest::Response) -> Result<SignInStep, BrowserError> {
        for cookie in response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
        {
            if let Some(value) = cookie.strip_prefix(&format!("{SESSION_COOKIE}=")) {
                let value = value.split(';').next().unwrap_or_default();
                self.session = (!value.is_empty()).then(|| value.to_owned());
            }
        }
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let url =
                Url::parse(location).map_err(|_| BrowserError::BadRedirect(location.to_owned()))?;
            return Ok(SignInStep::Redirect(url));
        }
        let status = response.status().as_u16();
        Ok(SignInStep::Page(SignInPage {
            status,
            html: response.text().await?,
        }))
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = text.split_once(start)?.1;
    rest.split_once(end).map(|(inner, _)| inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_picker_accounts_and_values() {
        let html = crate::http::test_picker_html();
        let page = SignInPage { status: 200, html };
        assert_eq!(page.kind(), "picker");
        assert_eq!(page.accounts(), ["a@b.nl"]);
        assert_eq!(page.account_value("a@b.nl").as_deref(), Some("oid-1"));
        assert_eq!(page.action_base(), Some("http://x/signin/f"));
    }
}
