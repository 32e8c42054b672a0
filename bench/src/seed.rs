//! Databases to measure against, filled with the product's own data-access functions where
//! they exist: an account with a session, mailboxes in every state the list shows, and
//! connected mailboxes whose tokens are due.

use std::path::Path;
use std::time::Duration;

use backend::cipher::{Cipher, EncryptionKey, SecretColumn};
use backend::connect::attempts_store::{self, ErrorRecord, NewAttempt};
use backend::connect::tokens_store::{self, FreshTokens};
use backend::connect::{AttemptKind, Outcome};
use backend::entities::{mailbox, mailbox_microsoft_settings as settings, mailbox_token};
use backend::mailboxes::{self, NewMailbox};
use backend::{AppState, MicrosoftEndpoints};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use rules::access::Role;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait};
use secrecy::SecretString;

use crate::Result;

/// The demo fixture's tenant, app registration and info@ mailbox (fake-microsoft/README.md).
pub const TENANT: &str = "8c10395e-14fe-46db-a8b6-699ac4a65109";
pub const CLIENT_ID: &str = "80aef83a-368f-4a54-a387-8c794cf71106";
pub const SECRET: &str = "dr48Q~7NZM5JoQtqE93R~3NHLi7~M.SmMSM0FvQF";
pub const INFO: &str = "info@energiedemo.onmicrosoft.com";
pub const INFO_ID: &str = "1d00a927-92e1-4f8f-bcee-77a5d6ad3bf5";
pub const INFO_PASSWORD: &str = "Zonnepaneel-2026";

const KEY: [u8; 32] = [0x42; 32];

/// The encryption key of every bench database.
pub fn cipher() -> Cipher {
    Cipher::new(&EncryptionKey::from_bytes(KEY), None)
}

/// `ENCRYPTION_KEY` for a server process over a bench database.
pub fn encryption_key_base64() -> String {
    base64::engine::general_purpose::STANDARD.encode(KEY)
}

/// A fresh SQLite file at `path` (WAL and journal files removed too), migrated, and its URL.
pub async fn fresh_sqlite(path: &Path) -> Result<(DatabaseConnection, String)> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(&name);
    }
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = server::db::connect_and_migrate(&url).await?;
    Ok((db, url))
}

/// The state the server builds at start-up, talking to Microsoft at `microsoft_url`.
pub fn state(db: DatabaseConnection, microsoft_url: &str) -> Result<AppState> {
    let timeout = Duration::from_secs(20);
    Ok(AppState {
        db,
        microsoft: MicrosoftEndpoints {
            login_url: microsoft_url.to_string(),
            graph_url: microsoft_url.to_string(),
            http_timeout: timeout,
        },
        http: backend::microsoft::identity::token_client::http_client(timeout)?,
        public_base_url: "http://127.0.0.1:3000".to_string(),
        cipher: cipher(),
        form_attempts: Default::default(),
        auth: Default::default(),
        mail: Default::default(),
        app_tokens: Default::default(),
        demo_account: None,
        time_zone: rules::time::DEFAULT_ZONE,
    })
}

/// A `beheerder` account and a session: its id and the `Cookie` header value.
pub async fn signed_in(db: &DatabaseConnection) -> Result<(i32, String)> {
    let now = Utc::now();
    let password = SecretString::from("Bench-wachtwoord-2026");
    let user_id =
        backend::auth::users::create(db, "bench@example.org", Role::Beheerder, &password, now)
            .await?;
    let token = backend::auth::sessions::start(db, user_id, now, &Default::default()).await?;
    Ok((user_id, format!("sessie={}", token.cookie_value())))
}

/// The Microsoft settings of mailbox `id` for the demo info@ user.
async fn microsoft_settings(db: &DatabaseConnection, id: i32, reconnect: bool) -> Result<()> {
    let now = Utc::now();
    let model = settings::ActiveModel {
        mailbox_id: Set(id),
        client_id: Set(CLIENT_ID.into()),
        tenant_id: Set(TENANT.into()),
        object_id: Set(INFO_ID.into()),
        client_secret_encrypted: Set(Some(cipher().encrypt(SECRET, SecretColumn::ClientSecret)?)),
        client_secret_hint: Set(Some(SECRET[..3].to_string())),
        reconnect_needed: Set(reconnect),
        connection_method: Set("delegated".into()),
        connection_method_reason: Set(None),
        // Stored as before app registrations: the server moves them onto one at start.
        app_registration_id: Set(None),
        app_credential_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    settings::Entity::insert(model).exec(db).await?;
    Ok(())
}

/// A Microsoft Api mailbox of info@ named `name`, with settings; its id.
pub async fn microsoft_mailbox(db: &DatabaseConnection, name: &str) -> Result<i32> {
    let id = mailboxes::insert(
        db,
        NewMailbox {
            name: name.to_string(),
            email: INFO.to_string(),
            incoming_server_type: "ms-oauth".into(),
            outgoing_server_type: "ms-oauth".into(),
            is_active: true,
            is_primary: false,
        },
    )
    .await?;
    microsoft_settings(db, id, false).await?;
    Ok(id)
}

/// `count` mailboxes as a cooperative has them: most connected, some needing a reconnect,
/// some whose last sign-in failed, some on IMAP.
pub async fn list_page_mailboxes(db: &DatabaseConnection, count: usize) -> Result<()> {
    let now = Utc::now();
    for n in 0..count {
        let name = format!("Mailbox {n:02} ledenadministratie");
        if n % 10 == 9 {
            mailboxes::insert(
                db,
                NewMailbox {
                    name,
                    email: format!("imap{n}@example.org"),
                    incoming_server_type: "imap".into(),
                    outgoing_server_type: "smtp".into(),
                    is_active: true,
                    is_primary: n == 9,
                },
            )
            .await?;
            continue;
        }
        let id = microsoft_mailbox(db, &name).await?;
        match n % 10 {
            7 => {
                let attempt = attempts_store::insert(
                    db,
                    NewAttempt {
                        mailbox_id: id,
                        kind: AttemptKind::Connect,
                        state_hash: None,
                        pkce_verifier_encrypted: None,
                        prompt: Some("select_account".into()),
                        started_by_user_id: None,
                    },
                    now,
                )
                .await?;
                let record = ErrorRecord {
                    error: Some("invalid_client".into()),
                    error_description: Some(
                        "AADSTS7000215: Invalid client secret provided.".into(),
                    ),
                    error_codes: Some("7000215".into()),
                    ..ErrorRecord::default()
                };
                attempts_store::finish(db, attempt, Outcome::TokenFailed, record, now).await?;
            }
            8 => {
                settings::Entity::update(settings::ActiveModel {
                    mailbox_id: Set(id),
                    reconnect_needed: Set(true),
                    ..Default::default()
                })
                .exec(db)
                .await?;
            }
            _ => {
                let tokens = FreshTokens {
                    access_token: SecretString::from(format!("access-{n}")),
                    refresh_token: Some(SecretString::from(format!("refresh-{n}"))),
                    expires_at: now + chrono::Duration::minutes(50),
                    scopes: backend::microsoft::identity::authorize::delegated_scope(),
                };
                tokens_store::store_connected(
                    db,
                    &cipher(),
                    id,
                    &tokens,
                    (INFO_ID, Some(INFO)),
                    now,
                )
                .await?;
            }
        }
    }
    Ok(())
}

/// `refresh_tokens.len()` connected info@ mailboxes whose access tokens expired at `now`,
/// each with its own refresh token, in one transaction; their ids.
pub async fn due_mailboxes(
    db: &DatabaseConnection,
    refresh_tokens: &[String],
    now: DateTime<Utc>,
) -> Result<Vec<i32>> {
    let cipher = cipher();
    let secret = cipher.encrypt(SECRET, SecretColumn::ClientSecret)?;
    let txn = db.begin().await?;
    let mut ids = Vec::with_capacity(refresh_tokens.len());
    for (n, refresh) in refresh_tokens.iter().enumerate() {
        let created = mailbox::ActiveModel {
            name: Set(format!("Due {n:05}")),
            email: Set(INFO.into()),
            only_outgoing: Set(false),
            incoming_server_type: Set("ms-oauth".into()),
            outgoing_server_type: Set("ms-oauth".into()),
            email_mark_as_seen: Set(false),
            is_active: Set(true),
            is_primary: Set(false),
            valid: Set(true),
            login_tries: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        };
        let id = mailbox::Entity::insert(created)
            .exec(&txn)
            .await?
            .last_insert_id;
        settings::Entity::insert(settings::ActiveModel {
            mailbox_id: Set(id),
            client_id: Set(CLIENT_ID.into()),
            tenant_id: Set(TENANT.into()),
            object_id: Set(INFO_ID.into()),
            client_secret_encrypted: Set(Some(secret.clone())),
            client_secret_hint: Set(Some(SECRET[..3].to_string())),
            reconnect_needed: Set(false),
            connection_method: Set("delegated".into()),
            connection_method_reason: Set(None),
            app_registration_id: Set(None),
            app_credential_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec(&txn)
        .await?;
        mailbox_token::Entity::insert(mailbox_token::ActiveModel {
            mailbox_id: Set(id),
            access_token_encrypted: Set(
                cipher.encrypt(&format!("expired-{n}"), SecretColumn::AccessToken)?
            ),
            refresh_token_encrypted: Set(Some(
                cipher.encrypt(refresh, SecretColumn::RefreshToken)?,
            )),
            expires_at: Set(now - chrono::Duration::minutes(1)),
            scopes: Set(backend::microsoft::identity::authorize::delegated_scope()),
            signed_in_upn: Set(Some(INFO.into())),
            signed_in_oid: Set(INFO_ID.into()),
            connected_at: Set(now - chrono::Duration::hours(1)),
            refreshed_at: Set(now - chrono::Duration::hours(1)),
            refresh_lease_holder: Set(None),
            refresh_lease_until: Set(None),
        })
        .exec(&txn)
        .await?;
        ids.push(id);
    }
    txn.commit().await?;
    Ok(ids)
}
