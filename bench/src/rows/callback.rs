//! Row 3: connect attempts completed through the real router (access edge, callback route,
//! audit log) on SQLite, against the fake Microsoft with no added latency, one at a time.
//! Our time is the callback's whole time minus the time spent in the token request (the
//! `microsoft_request` span; see `timing`), which is the reference column.

use std::time::{Duration, Instant};

use backend::connect::start_connection;
use backend::AppState;
use chrono::Utc;
use fake_microsoft::{ConsentChoice, FakeMicrosoft, SignInBrowser, SignInStep};
use rules::connection::ConnectPrompt;
use tower::ServiceExt;

use crate::report::Row;
use crate::stats::{ms, percentile};
use crate::{progress, seed, timing, Result, Settings};

pub const NAME: (u8, &str, &str) = (
    3,
    "Callback cost: our handling time, SQLite, 1,000 connects",
    "p99 < 5 ms",
);

/// Callbacks before measuring: first-use allocations and connections.
const WARM_UP: usize = 20;

/// Saves info@ as a Microsoft mailbox and connects it for real (sign-in at the fake, then
/// the callback); its id.
pub async fn connect_info(state: &AppState, user_id: i32) -> Result<i32> {
    let mailbox_id = seed::microsoft_mailbox(&state.db, "Info").await?;
    let back = start_and_sign_in(state, mailbox_id, user_id).await?;
    let query = back.split_once('?').map_or("", |(_, query)| query);
    backend::connect::complete_callback(state, query, Some(user_id), Utc::now()).await?;
    Ok(mailbox_id)
}

/// Starts a connection of `mailbox_id` and signs in at the fake: the callback's path and
/// query.
async fn start_and_sign_in(state: &AppState, mailbox_id: i32, user_id: i32) -> Result<String> {
    let url = start_connection(
        state,
        mailbox_id,
        ConnectPrompt::SelectAccount,
        Some(user_id),
        Utc::now(),
    )
    .await?;
    sign_in(&url).await
}

/// Signs in at the fake and returns the callback's path and query.
async fn sign_in(authorize_url: &str) -> Result<String> {
    let mut browser = SignInBrowser::new()?;
    match browser
        .sign_in(
            authorize_url,
            seed::INFO,
            seed::INFO_PASSWORD,
            ConsentChoice::Accept,
        )
        .await?
    {
        SignInStep::Redirect(url) => Ok(format!(
            "{}?{}",
            url.path(),
            url.query().unwrap_or_default()
        )),
        SignInStep::Page(page) => {
            Err(format!("sign-in stopped on a '{}' page", page.kind()).into())
        }
    }
}

pub async fn run(settings: &Settings) -> Result<Row> {
    let dir = settings.work_dir.join("callback");
    std::fs::create_dir_all(&dir)?;
    let fake = FakeMicrosoft::start_demo().await?;
    let (db, _) = seed::fresh_sqlite(&dir.join("callback.db")).await?;
    let state = seed::state(db.clone(), fake.base_url())?;
    let (user_id, cookie) = seed::signed_in(&db).await?;
    let mailbox_id = seed::microsoft_mailbox(&db, "Info").await?;
    let config = server::config::Config::from_lookup(|name| {
        (name == "APP_ENV").then(|| "test".to_string())
    })?;
    let router = server::router(state.clone(), server::leptos_options(&config));

    let mut ours = Vec::with_capacity(settings.callbacks);
    let mut waits = Vec::with_capacity(settings.callbacks);
    let mut refused = 0;
    for n in 0..WARM_UP + settings.callbacks {
        if n > 0 && n % 250 == 0 {
            progress(&format!("row 3: {n} callbacks"));
        }
        let back = start_and_sign_in(&state, mailbox_id, user_id).await?;
        let request = http::Request::get(back)
            .header(http::header::COOKIE, &cookie)
            .body(axum::body::Body::empty())?;
        let waited_before = timing::microsoft_wait();
        let started = Instant::now();
        let response = router.clone().oneshot(request).await?;
        let status = response.status();
        axum::body::to_bytes(response.into_body(), 1 << 20).await?;
        let total = started.elapsed();
        let waited = timing::microsoft_wait().saturating_sub(waited_before);
        if status != http::StatusCode::SEE_OTHER {
            refused += 1;
            continue;
        }
        if n >= WARM_UP {
            ours.push(total.saturating_sub(waited));
            waits.push(waited);
        }
    }
    // Every sample, in order, to see what the tail is made of.
    let samples: String = ours
        .iter()
        .zip(&waits)
        .enumerate()
        .map(|(n, (ours, wait))| format!("{n},{},{}\n", ours.as_micros(), wait.as_micros()))
        .collect();
    std::fs::write(
        dir.join("samples.csv"),
        format!("n,ours_us,wait_us\n{samples}"),
    )?;
    if waits.iter().all(|wait| wait.is_zero()) {
        return Err("no time seen in Microsoft requests: the timing spans are not recorded".into());
    }
    let (number, name, goal) = NAME;
    let p99 = percentile(&ours, 99.0);
    let refused_note = match refused {
        0 => String::new(),
        n => format!(", **{n} refused**"),
    };
    Ok(Row {
        number,
        name,
        ours: format!(
            "p50 {}, p99 {} ({} callbacks{refused_note})",
            ms(percentile(&ours, 50.0)),
            ms(p99),
            ours.len()
        ),
        reference: format!(
            "waiting on the fake's token endpoint: p50 {}, p99 {}",
            ms(percentile(&waits, 50.0)),
            ms(percentile(&waits, 99.0))
        ),
        ratio: format!(
            "ours/fake p50 {:.2}",
            percentile(&ours, 50.0).as_secs_f64()
                / percentile(&waits, 50.0).as_secs_f64().max(1e-9)
        ),
        goal,
        met: Some(p99 < Duration::from_millis(5) && refused == 0),
    })
}
