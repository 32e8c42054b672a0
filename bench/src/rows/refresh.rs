//! Row 4: a sweep of `ensure_fresh_access_token` over 10,000 connected mailboxes whose tokens
//! are due, 32 at a time, on SQLite, against the fake's token endpoint alone: the same number
//! of refresh-token redemptions through the same HTTP client and token client, 32 at a time,
//! with no database. The reference run also mints the refresh tokens the mailboxes get.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use backend::cipher::SecretColumn;
use backend::connect::{ensure_fresh_access_token, tokens_store};
use backend::microsoft::identity::token_client::TokenEndpoint;
use backend::microsoft::identity::ClientCredential;
use backend::AppState;
use chrono::Utc;
use fake_microsoft::FakeMicrosoft;
use oauth2::{RefreshToken, TokenResponse as _};
use secrecy::{ExposeSecret, SecretString};

use crate::report::Row;
use crate::{progress, seed, Result, Settings};

pub const NAME: (u8, &str, &str) = (
    4,
    "Refresh sweep: 10,000 due mailboxes, SQLite",
    "ratio ≥ 0.7, each refreshed once",
);

/// Refreshes in flight at once, in both runs.
const CONCURRENCY: usize = 32;

/// Runs `work(i)` for every `i < count`, `CONCURRENCY` at a time; the results in order.
async fn pool<T, F, Fut>(count: usize, work: F) -> Result<Vec<T>>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let (next, work) = (next.clone(), work.clone());
        workers.spawn(async move {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return done;
                }
                done.push((i, work(i).await));
            }
        });
    }
    let mut results = Vec::with_capacity(count);
    while let Some(done) = workers.join_next().await {
        results.extend(done?);
    }
    results.sort_by_key(|(i, _)| *i);
    Ok(results.into_iter().map(|(_, result)| result).collect())
}

/// Connects one mailbox for real and returns its refresh token.
async fn first_refresh_token(state: &AppState, user_id: i32) -> Result<SecretString> {
    let mailbox_id = super::callback::connect_info(state, user_id).await?;
    let stored = tokens_store::load(&state.db, mailbox_id)
        .await?
        .and_then(|tokens| tokens.refresh_token_encrypted)
        .ok_or("the connection stored no refresh token")?;
    Ok(state
        .cipher
        .decrypt(&stored, SecretColumn::RefreshToken)?
        .secret)
}

/// The reference: `count` redemptions of `refresh_token`, each answered with a new refresh
/// token; those tokens.
async fn fake_alone(
    state: &AppState,
    refresh_token: SecretString,
    count: usize,
) -> Result<Vec<String>> {
    let state = state.clone();
    let secret = SecretString::from(seed::SECRET);
    let redeemed = pool(count, move |_| {
        let (state, secret, refresh_token) = (state.clone(), secret.clone(), refresh_token.clone());
        async move {
            let endpoint = TokenEndpoint {
                login_url: &state.microsoft.login_url,
                tenant_id: seed::TENANT,
                client_id: seed::CLIENT_ID,
                redirect_uri: Some(state.redirect_uri()),
            };
            let token = RefreshToken::new(refresh_token.expose_secret().to_string());
            endpoint
                .redeem_refresh_token(&state.http, &ClientCredential::Secret(secret), &token)
                .await
                .map_err(|failure| failure.to_string())
                .and_then(|tokens| {
                    tokens
                        .refresh_token()
                        .map(|token| token.secret().clone())
                        .ok_or_else(|| "no refresh token in the answer".to_string())
                })
        }
    })
    .await?;
    Ok(redeemed
        .into_iter()
        .collect::<std::result::Result<Vec<String>, String>>()?)
}

pub async fn run(settings: &Settings) -> Result<Row> {
    let count = settings.refresh_mailboxes;
    let dir = settings.work_dir.join("refresh");
    std::fs::create_dir_all(&dir)?;
    let fake = FakeMicrosoft::start_demo().await?;
    let (db, _) = seed::fresh_sqlite(&dir.join("refresh.db")).await?;
    let state = seed::state(db.clone(), fake.base_url())?;
    let (user_id, _) = seed::signed_in(&db).await?;
    let first = first_refresh_token(&state, user_id).await?;

    progress(&format!(
        "row 4: the fake's token endpoint alone, {count} refreshes"
    ));
    let started = Instant::now();
    let refresh_tokens = fake_alone(&state, first, count).await?;
    let alone = started.elapsed();

    progress(&format!(
        "row 4: seeding {count} due mailboxes, then the sweep"
    ));
    let ids = Arc::new(seed::due_mailboxes(&db, &refresh_tokens, Utc::now()).await?);
    fake.clear_records();
    let reused_before = fake.reused_refresh_tokens();
    let started = Instant::now();
    let sweep_state = state.clone();
    let outcomes = pool(count, move |i| {
        let (state, ids) = (sweep_state.clone(), ids.clone());
        async move {
            ensure_fresh_access_token(&state, ids[i], Utc::now())
                .await
                .map(|_| ())
                .map_err(|error| error.to_string())
        }
    })
    .await?;
    let sweep = started.elapsed();

    let failed = outcomes.iter().filter(|outcome| outcome.is_err()).count();
    if let Some(Err(first_error)) = outcomes.iter().find(|outcome| outcome.is_err()) {
        progress(&format!(
            "row 4: {failed} refreshes failed, first: {first_error}"
        ));
    }
    let requests = fake.token_request_count("refresh_token");
    let reused = fake.reused_refresh_tokens().saturating_sub(reused_before);
    let once = requests == count && reused == 0 && failed == 0;
    let rate = |time: Duration| count as f64 / time.as_secs_f64();
    let ratio = rate(sweep) / rate(alone);
    let (number, name, goal) = NAME;
    Ok(Row {
        number,
        name,
        ours: format!(
            "{count} in {:.1} s = {:.0}/s ({requests} token requests, {reused} tokens reused, {failed} failed)",
            sweep.as_secs_f64(),
            rate(sweep)
        ),
        reference: format!(
            "fake token endpoint alone: {count} in {:.1} s = {:.0}/s",
            alone.as_secs_f64(),
            rate(alone)
        ),
        ratio: format!("{ratio:.2}"),
        goal,
        met: Some(ratio >= 0.7 && once),
    })
}
