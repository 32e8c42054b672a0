//! IMAP and SMTP mailboxes against real servers (issue 23): Dovecot and Postfix on loopback,
//! started by `scripts/mailservers.sh` (`make test` does; its `env` command prints the
//! variables read here). A message sent over SMTP through the app is fetched over IMAP by
//! the app (over STARTTLS and over TLS from the first byte, marked read on the server when
//! the mailbox asks); an unknown host, a closed port, a wrong password, a wrong
//! port/encryption pair (IMAP and SMTP), a certificate for another name or expired, a
//! missing folder or one removed after a fetch, a changed `UIDVALIDITY`, a 25 MB attachment
//! and a malformed message each give their named outcome and lose nothing.
//!
//! Without the servers these tests say so and pass, except under `REQUIRE_ALL_DATABASES=1`
//! or in CI, where a missing server fails them.

use backend::entities::{mail_attachment, mail_message, mail_sync_state};
use backend::mail::{sync_now, SyncError};
use backend::mailserver::imap::{open, ImapSession};
use backend::mailserver::{Endpoint, Problem, TlsRoots};
use backend::AppState;
use rules::i18n::Lang;
use rules::mail::TestMailOutcome;
use rules::validation::Encryption;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use secrecy::SecretString;

use crate::mailbox_form_fixtures::{create, imap_smtp_fields};
use crate::on_every_database;
use crate::support::microsoft::router_of;
use crate::support::{get, test_state};

/// The test servers, as `scripts/mailservers.sh env` names them.
#[derive(Clone, Debug)]
struct Servers {
    host: String,
    imaps: u16,
    imap: u16,
    submission: u16,
    submissions: u16,
    /// An address where Dovecot shows a certificate that expired in 2021.
    expired_host: String,
    roots: TlsRoots,
}

const USER: &str = "bob@example.test";
const PASSWORD: &str = "geheim";

fn servers() -> Option<Servers> {
    let port = |name: &str| std::env::var(name).ok().and_then(|p| p.parse().ok());
    let found = (|| {
        Some(Servers {
            host: std::env::var("TEST_MAIL_HOST").ok()?,
            imaps: port("TEST_IMAPS_PORT")?,
            imap: port("TEST_IMAP_PORT")?,
            submission: port("TEST_SUBMISSION_PORT")?,
            submissions: port("TEST_SUBMISSIONS_PORT")?,
            expired_host: std::env::var("TEST_MAIL_EXPIRED_HOST").ok()?,
            roots: TlsRoots::from_pem_file(&std::env::var("TEST_MAIL_CA_FILE").ok()?).ok()?,
        })
    })();
    let required = std::env::var("REQUIRE_ALL_DATABASES").is_ok_and(|v| v == "1")
        || std::env::var("CI").is_ok_and(|v| v == "true");
    if found.is_none() {
        assert!(
            !required,
            "the IMAP/SMTP test servers are not running: `scripts/mailservers.sh start` and \
             `eval \"$(scripts/mailservers.sh env)\"`"
        );
        eprintln!("IMAP/SMTP test servers not running: test skipped");
    }
    found
}

/// A folder of its own for each test (mail to bob+folder@example.test lands there).
fn folder() -> String {
    format!("t{}", &uuid::Uuid::new_v4().simple().to_string()[..12])
}

struct Setup {
    state: AppState,
    router: axum::Router,
    id: i32,
    servers: Servers,
    folder: String,
}

/// The state (trusting the servers' CA), and an IMAP (SSL) + SMTP (STARTTLS) mailbox saved
/// through the form for bob's folder, with `change` applied to its fields.
async fn setup(
    db: DatabaseConnection,
    change: impl FnOnce(crate::support::Fields, &Servers) -> crate::support::Fields,
) -> Option<Setup> {
    let servers = servers()?;
    let mut state = test_state(db);
    state.mail.tls_roots = servers.roots.clone();
    let router = router_of(state.clone()).await;
    let folder = folder();
    let fields = imap_smtp_fields()
        .set("email", &format!("bob+{folder}@example.test"))
        .set("imap_host", &servers.host)
        .set("imap_port", &servers.imaps.to_string())
        .set("imap_encryption", "ssl")
        .set("imap_inbox_prefix", &folder)
        .set("smtp_host", &servers.host)
        .set("smtp_port", &servers.submission.to_string())
        .set("smtp_encryption", "tls")
        .set("username", USER)
        .set("password", PASSWORD);
    let id = create(&router, &change(fields, &servers)).await;
    Some(Setup {
        state,
        router,
        id,
        servers,
        folder,
    })
}

/// A session of bob's with `folder` (created when missing).
async fn session(servers: &Servers, folder: &str) -> ImapSession {
    let endpoint = Endpoint {
        host: servers.host.clone(),
        port: servers.imaps,
        encryption: Some(Encryption::Ssl),
    };
    let password = SecretString::from(PASSWORD.to_string());
    let (mut session, _) = open(&endpoint, &servers.roots, USER, &password, "INBOX")
        .await
        .expect("bob's session");
    let _ = session.create(folder).await;
    session
}

async fn messages(db: &DatabaseConnection, id: i32) -> Vec<mail_message::Model> {
    mail_message::Entity::find()
        .filter(mail_message::Column::MailboxId.eq(id))
        .all(db)
        .await
        .unwrap()
}

/// Syncs until a message is stored (Postfix delivers on its own time), at most 40 tries.
/// Until the first delivery the folder does not exist: Dovecot creates it then.
async fn sync_until_stored(state: &AppState, id: i32) -> Vec<mail_message::Model> {
    for _ in 0..40 {
        match sync_now(state, id).await {
            Ok(_) => {}
            Err(SyncError::MailServer(error)) if error.problem == Problem::FolderMissing => {}
            Err(error) => panic!("the sync fails: {error:?}"),
        }
        let stored = messages(&state.db, id).await;
        if !stored.is_empty() {
            return stored;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!("the message sent over SMTP never arrived over IMAP");
}

fn problem_of(result: Result<backend::mail::SyncReport, SyncError>) -> (Problem, String) {
    match result {
        Err(SyncError::MailServer(error)) => (error.problem, error.detail),
        other => panic!("expected a mail server problem, got {other:?}"),
    }
}

on_every_database!(
    sent_over_smtp_fetched_over_imap,
    sent_over_implicit_tls_and_marked_read_when_asked,
    an_unknown_host_and_a_closed_port_are_named,
    wrong_password_is_named,
    wrong_port_encryption_pairs_are_named,
    a_certificate_for_another_name_is_named,
    an_expired_certificate_is_named,
    a_missing_folder_is_named,
    a_folder_removed_after_a_fetch_keeps_its_mail,
    a_changed_uidvalidity_refetches_without_duplicates,
    a_large_attachment_is_listed_and_the_message_kept,
    a_malformed_message_is_kept,
    test_connection_checks_imap_and_smtp,
);

async fn sent_over_smtp_fetched_over_imap(db: DatabaseConnection) {
    let Some(s) = setup(db, |f, _| f).await else {
        return;
    };
    let outcome = backend::flows::mail::send_test(&s.state, s.id, "", Lang::Nl)
        .await
        .unwrap();
    let to = format!("bob+{}@example.test", s.folder);
    assert_eq!(outcome, TestMailOutcome::Sent { to: to.clone() });
    let stored = sync_until_stored(&s.state, s.id).await;
    assert_eq!(stored.len(), 1);
    assert!(
        stored[0].subject.starts_with("Testmail van"),
        "{}",
        stored[0].subject
    );
    assert_eq!(stored[0].from_address, to);
    assert!(stored[0].body.contains("testmail"), "{}", stored[0].body);
    // Fetched again: nothing new, nothing twice.
    let again = sync_now(&s.state, s.id).await.unwrap();
    assert_eq!(again.new_messages, 0);
    assert_eq!(messages(&s.state.db, s.id).await.len(), 1);
    // Not marked read on the server ("Zet email als gelezen op server" is off): BODY.PEEK.
    let mut session = session(&s.servers, &s.folder).await;
    session.select(&s.folder).await.unwrap();
    let unseen = session.uid_search("UNSEEN").await.unwrap();
    assert_eq!(unseen.len(), 1, "the message stays unread on the server");
}

async fn sent_over_implicit_tls_and_marked_read_when_asked(db: DatabaseConnection) {
    let Some(s) = setup(db, |f, servers| {
        f.set("smtp_port", &servers.submissions.to_string())
            .set("smtp_encryption", "ssl")
            .set("email_mark_as_seen", "on")
    })
    .await
    else {
        return;
    };
    let outcome = backend::flows::mail::send_test(&s.state, s.id, "", Lang::Nl)
        .await
        .unwrap();
    assert!(
        matches!(outcome, TestMailOutcome::Sent { .. }),
        "{outcome:?}"
    );
    let stored = sync_until_stored(&s.state, s.id).await;
    assert_eq!(stored.len(), 1);
    // "Zet email als gelezen op server" is on: BODY[] marked it seen.
    let mut session = session(&s.servers, &s.folder).await;
    session.select(&s.folder).await.unwrap();
    assert!(session.uid_search("UNSEEN").await.unwrap().is_empty());
    assert_eq!(session.uid_search("SEEN").await.unwrap().len(), 1);
}

async fn an_unknown_host_and_a_closed_port_are_named(db: DatabaseConnection) {
    let Some(s) = setup(db.clone(), |f, _| f.set("imap_host", "geen-server.invalid")).await else {
        return;
    };
    let (problem, detail) = problem_of(sync_now(&s.state, s.id).await);
    assert_eq!(problem, Problem::HostUnknown, "{detail}");
    assert!(detail.contains("geen-server.invalid"), "{detail}");
    // Port 9 (discard), where nothing listens on these machines: the connection is refused.
    let Some(s) = setup(db, |f, _| f.set("imap_port", "9")).await else {
        return;
    };
    let (problem, detail) = problem_of(sync_now(&s.state, s.id).await);
    assert_eq!(problem, Problem::Unreachable, "{detail}");
    assert!(detail.contains(":9"), "{detail}");
}

async fn wrong_password_is_named(db: DatabaseConnection) {
    let Some(s) = setup(db, |f, _| f.set("password", "fout-wachtwoord")).await else {
        return;
    };
    let (problem, _) = problem_of(sync_now(&s.state, s.id).await);
    assert_eq!(problem, Problem::LoginRefused);
    let row = mail_sync_state::Entity::find_by_id(s.id)
        .one(&s.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.last_error_code.as_deref(), Some("mail_login_refused"));
    assert_eq!(row.consecutive_failures, 1);
    // Sending with it: refused by the SMTP server, named the same.
    let sent = backend::flows::mail::send_test(&s.state, s.id, "", Lang::Nl)
        .await
        .unwrap();
    match sent {
        TestMailOutcome::Failed { problem } => assert_eq!(problem.code, "mail_login_refused"),
        other => panic!("expected a refused login, got {other:?}"),
    }
}

async fn wrong_port_encryption_pairs_are_named(db: DatabaseConnection) {
    // No test asserts on time; STARTTLS on a TLS port is named after a short wait for the
    // greeting (5 s), not after a session's timeout.
    // STARTTLS on the port that expects TLS from the first byte.
    let Some(s) = setup(db.clone(), |f, _| f.set("imap_encryption", "tls")).await else {
        return;
    };
    let (problem, detail) = problem_of(sync_now(&s.state, s.id).await);
    assert_eq!(problem, Problem::TlsExpected, "{detail}");
    assert!(detail.contains(&s.servers.imaps.to_string()), "{detail}");
    // SSL on the port that speaks plain text first.
    let Some(s) = setup(db.clone(), |f, servers| {
        f.set("imap_port", &servers.imap.to_string())
    })
    .await
    else {
        return;
    };
    let (problem, detail) = problem_of(sync_now(&s.state, s.id).await);
    assert_eq!(problem, Problem::NotTls, "{detail}");
    // The same two mistakes on the SMTP side, for "Stuur testmail" and "Test verbinding".
    let smtp_problem = |s: Setup| async move {
        let sent = backend::flows::mail::send_test(&s.state, s.id, "", Lang::Nl)
            .await
            .unwrap();
        match sent {
            TestMailOutcome::Failed { problem } => problem.code,
            other => panic!("expected a named failure, got {other:?}"),
        }
    };
    let Some(s) = setup(db.clone(), |f, servers| {
        f.set("smtp_port", &servers.submissions.to_string())
    })
    .await
    else {
        return;
    };
    assert_eq!(smtp_problem(s).await, "mail_tls_expected");
    let Some(s) = setup(db, |f, _| f.set("smtp_encryption", "ssl")).await else {
        return;
    };
    assert_eq!(smtp_problem(s).await, "mail_not_tls");
}

async fn a_certificate_for_another_name_is_named(db: DatabaseConnection) {
    let Some(s) = setup(db, |f, _| f.set("imap_host", "127.0.0.1")).await else {
        return;
    };
    let (problem, detail) = problem_of(sync_now(&s.state, s.id).await);
    assert_eq!(problem, Problem::CertificateName, "{detail}");
    assert!(
        detail.contains("localhost") && detail.contains("127.0.0.1"),
        "{detail}"
    );
}

async fn an_expired_certificate_is_named(db: DatabaseConnection) {
    let Some(s) = setup(db, |f, servers| f.set("imap_host", &servers.expired_host)).await else {
        return;
    };
    let (problem, detail) = problem_of(sync_now(&s.state, s.id).await);
    assert_eq!(problem, Problem::CertificateExpired, "{detail}");
    assert!(detail.contains(&s.servers.expired_host), "{detail}");
    assert!(messages(&s.state.db, s.id).await.is_empty());
}

async fn a_folder_removed_after_a_fetch_keeps_its_mail(db: DatabaseConnection) {
    let Some(s) = setup(db, |f, _| f).await else {
        return;
    };
    let mut session = session(&s.servers, &s.folder).await;
    session
        .append(&s.folder, None, None, plain_message(1))
        .await
        .unwrap();
    assert_eq!(sync_now(&s.state, s.id).await.unwrap().new_messages, 1);
    session.select("INBOX").await.unwrap();
    session.delete(&s.folder).await.unwrap();
    let (problem, detail) = problem_of(sync_now(&s.state, s.id).await);
    assert_eq!(problem, Problem::FolderMissing, "{detail}");
    assert!(detail.contains(&s.folder), "{detail}");
    let kept = messages(&s.state.db, s.id).await;
    assert_eq!(kept.len(), 1, "what was fetched stays");
    assert_eq!(kept[0].subject, "Bericht 1");
    let row = mail_sync_state::Entity::find_by_id(s.id)
        .one(&s.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.last_error_code.as_deref(), Some("mail_folder_missing"));
}

async fn a_missing_folder_is_named(db: DatabaseConnection) {
    let Some(s) = setup(db, |f, _| f).await else {
        return;
    };
    let (problem, detail) = problem_of(sync_now(&s.state, s.id).await);
    assert_eq!(problem, Problem::FolderMissing, "{detail}");
    assert!(detail.contains(&s.folder), "{detail}");
}

fn plain_message(n: u32) -> String {
    format!(
        "From: alice@example.test\r\nTo: bob@example.test\r\nSubject: Bericht {n}\r\n\
         Message-ID: <m{n}-{}@example.test>\r\n\r\nTekst {n}\r\n",
        uuid::Uuid::new_v4().simple()
    )
}

async fn a_changed_uidvalidity_refetches_without_duplicates(db: DatabaseConnection) {
    let Some(s) = setup(db, |f, _| f).await else {
        return;
    };
    let mut session = session(&s.servers, &s.folder).await;
    let (one, two, three) = (plain_message(1), plain_message(2), plain_message(3));
    for message in [&one, &two] {
        session
            .append(&s.folder, None, None, message)
            .await
            .unwrap();
    }
    assert_eq!(sync_now(&s.state, s.id).await.unwrap().new_messages, 2);
    let before = session.select(&s.folder).await.unwrap().uid_validity;
    // The folder recreated: new UIDVALIDITY, the same two messages and a new one.
    session.select("INBOX").await.unwrap();
    session.delete(&s.folder).await.unwrap();
    session.create(&s.folder).await.unwrap();
    for message in [&two, &one, &three] {
        session
            .append(&s.folder, None, None, message)
            .await
            .unwrap();
    }
    let after = session.select(&s.folder).await.unwrap().uid_validity;
    assert_ne!(before, after, "the test needs a new UIDVALIDITY");
    let report = sync_now(&s.state, s.id).await.unwrap();
    assert_eq!(report.new_messages, 1, "only the new message is stored");
    let mut subjects: Vec<String> = messages(&s.state.db, s.id)
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect();
    subjects.sort();
    assert_eq!(subjects, ["Bericht 1", "Bericht 2", "Bericht 3"]);
}

async fn a_large_attachment_is_listed_and_the_message_kept(db: DatabaseConnection) {
    use base64::Engine;
    let Some(s) = setup(db, |f, _| f).await else {
        return;
    };
    let file = vec![b'x'; 25_000_000];
    let encoded = base64::engine::general_purpose::STANDARD.encode(&file);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let message = format!(
        "From: alice@example.test\r\nTo: bob@example.test\r\nSubject: Groot\r\n\
         Message-ID: <groot-{}@example.test>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=grens\r\n\r\n--grens\r\n\
         Content-Type: text/plain\r\n\r\nZie de bijlage.\r\n--grens\r\n\
         Content-Type: application/octet-stream; name=groot.bin\r\n\
         Content-Disposition: attachment; filename=groot.bin\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--grens\r\n\
         Content-Type: text/csv; name=klein.csv\r\n\
         Content-Disposition: attachment; filename=klein.csv\r\n\r\na;b\r\n--grens--\r\n",
        uuid::Uuid::new_v4().simple(),
        lines.join("\r\n")
    );
    let mut session = session(&s.servers, &s.folder).await;
    session
        .append(&s.folder, None, None, &message)
        .await
        .unwrap();
    drop(message);
    assert_eq!(sync_now(&s.state, s.id).await.unwrap().new_messages, 1);
    let stored = messages(&s.state.db, s.id).await;
    assert_eq!(stored[0].subject, "Groot");
    assert!(stored[0].has_attachments);
    let files = crate::mail_sync::with_contents(
        &s.state.db,
        mail_attachment::Entity::find()
            .filter(mail_attachment::Column::MessageId.eq(stored[0].id))
            .all(&s.state.db)
            .await
            .unwrap(),
    )
    .await;
    let big = files.iter().find(|f| f.name == "groot.bin").unwrap();
    assert_eq!(big.skipped_reason.as_deref(), Some("too_large"));
    assert_eq!(big.size, 25_000_000);
    assert_eq!(big.content, None);
    let small = files.iter().find(|f| f.name == "klein.csv").unwrap();
    assert_eq!(small.content.as_deref(), Some(&b"a;b"[..]));
}

async fn a_malformed_message_is_kept(db: DatabaseConnection) {
    let Some(s) = setup(db, |f, _| f).await else {
        return;
    };
    let mut session = session(&s.servers, &s.folder).await;
    let broken =
        "Subject: =?utf-8?q?kapot=ZZ?=\r\nContent-Type: multipart/mixed; boundary=\"nooit\"\r\n\
                  Content-Transfer-Encoding: base64\r\n\r\nGeen grens, geen base64 @@@\r\n";
    session.append(&s.folder, None, None, broken).await.unwrap();
    assert_eq!(sync_now(&s.state, s.id).await.unwrap().new_messages, 1);
    let stored = messages(&s.state.db, s.id).await;
    assert_eq!(stored.len(), 1, "the malformed message is stored, not lost");
    assert!(
        stored[0].internet_message_id.starts_with("sha256:"),
        "known by its content"
    );
}

async fn test_connection_checks_imap_and_smtp(db: DatabaseConnection) {
    use rules::advice::Advice;
    use rules::connection::TestOutcome;
    use rules::preflight::{Check, Verdict};
    let Some(s) = setup(db.clone(), |f, _| f).await else {
        return;
    };
    // The folder exists once something was delivered into it.
    session(&s.servers, &s.folder).await;
    let outcome = backend::flows::connect::test(&s.state, s.id, None)
        .await
        .unwrap();
    assert!(
        matches!(outcome, TestOutcome::Started { .. }),
        "{outcome:?}"
    );
    let report = backend::preflight::latest_preflight(&s.state.db, s.id, chrono::Utc::now())
        .await
        .unwrap()
        .expect("the test is stored");
    let checks: Vec<(Check, Verdict)> = report
        .results
        .iter()
        .map(|r| (r.check, r.verdict))
        .collect();
    assert_eq!(
        checks,
        [
            (Check::Imap, Verdict::Passed),
            (Check::Smtp, Verdict::Passed)
        ],
        "{report:?}"
    );
    // A wrong password: both named, with what to change, and kept in the history.
    let Some(s) = setup(db, |f, _| f.set("password", "fout")).await else {
        return;
    };
    backend::flows::connect::test(&s.state, s.id, None)
        .await
        .unwrap();
    let report = backend::preflight::latest_preflight(&s.state.db, s.id, chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    for result in &report.results {
        assert_eq!(result.verdict, Verdict::Failed);
        assert_eq!(result.advice, Some(Advice::MailLoginRefused), "{result:?}");
    }
    let history = backend::flows::connect::history(&s.state, s.id)
        .await
        .unwrap();
    assert!(
        history.iter().any(|entry| entry.kind == "preflight"
            && entry.error.as_deref() == Some("mail_login_refused")),
        "{history:?}"
    );
    // And on the mailbox's page.
    let (status, html) = get(&s.router, &format!("/instellingen/mailboxen/{}", s.id)).await;
    assert_eq!(status, http::StatusCode::OK);
    let history = html
        .split("data-testid=\"history\"")
        .nth(1)
        .expect("the page shows the history");
    assert!(history.contains("mail_login_refused"), "{history}");
}
