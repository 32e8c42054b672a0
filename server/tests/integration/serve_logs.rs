//! The request log as an operator reads it: one line per request with the request's id (the
//! one the response names), and nothing of the callback's `code` and `state` or the session
//! cookie. The binary runs as deployed, with `LOG_FORMAT=json`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::process_cli::{free_port, http_get};

const SERVER: &str = env!("CARGO_BIN_EXE_server");
const CODE: &str = "GeheimeCode0815";
const STATE: &str = "GeheimeStaat4711";
const COOKIE: &str = "GeheimKoekje9999";

fn callback_with_secrets(port: u16) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET /api/oauth/ms-azure/callback?code={CODE}&state={STATE} HTTP/1.1\r\n\
         Host: 127.0.0.1\r\nCookie: sessie={COOKIE}\r\nX-Request-Id: van-de-client\r\n\
         Connection: close\r\n\r\n"
    )
    .expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
}

#[cfg(unix)]
#[test]
fn one_json_line_per_request_with_its_id_and_no_secrets() {
    let dir = std::env::temp_dir().join(format!("mailboxen-logs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let log_path = dir.join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let port = free_port();
    let mut child = Command::new(SERVER)
        .env("APP_ENV", "test")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/db.sqlite?mode=rwc", dir.display()),
        )
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("MAIL_SYNC_INTERVAL_SECS", "0")
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "debug,sqlx=warn,hyper=info,h2=info")
        .stdout(log.try_clone().expect("log file"))
        .stderr(log)
        .spawn()
        .expect("server starts");
    let started = Instant::now();
    while http_get(port, "/healthz").is_none() {
        assert!(started.elapsed() < Duration::from_secs(60), "not up");
        std::thread::sleep(Duration::from_millis(100));
    }
    let answer = callback_with_secrets(port);
    let id = answer
        .lines()
        .find_map(|line| line.strip_prefix("x-request-id: "))
        .expect("the response names its request id")
        .trim()
        .to_string();
    assert_ne!(
        id, "van-de-client",
        "a client may not choose its request id"
    );
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let text = std::fs::read_to_string(&log_path).expect("log");
    let _ = std::fs::remove_dir_all(&dir);

    for secret in [CODE, STATE, COOKIE, "van-de-client"] {
        assert!(!text.contains(secret), "{secret} in the log:\n{text}");
    }
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let of_request: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|line| line["fields"]["message"] == "answered")
        .filter(|line| line["span"]["id"] == id.as_str())
        .collect();
    assert_eq!(of_request.len(), 1, "one line for the request:\n{text}");
    let line = of_request[0];
    assert_eq!(line["span"]["path"], "/api/oauth/ms-azure/callback");
    assert_eq!(line["span"]["method"], "GET");
    assert_eq!(line["span"]["client"], "127.0.0.1");
    let status = &answer[9..12];
    assert_eq!(line["fields"]["status"].to_string(), status);
}

/// A request from `peer` carrying `id` as its `X-Request-Id`; the id the response names.
async fn request_id_answered(peer: &str, id: &str) -> String {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::routing::get;

    let serving = server::Serving {
        request_timeout: Duration::from_secs(10),
        trusted_proxies: backend::auth::client_address::TrustedProxies::parse("10.0.0.1")
            .expect("proxies"),
    };
    let app = server::service(
        axum::Router::new().route("/", get(|| async { "hallo" })),
        &serving,
    );
    let mut request = http::Request::get("/")
        .header(server::REQUEST_ID, id)
        .body(Body::empty())
        .expect("request");
    let peer: std::net::SocketAddr = peer.parse().expect("peer");
    request.extensions_mut().insert(ConnectInfo(peer));
    crate::support::send_full(&app, request)
        .await
        .header(server::REQUEST_ID)
        .to_string()
}

#[tokio::test]
async fn only_a_trusted_proxy_names_the_request_id() {
    assert_eq!(
        request_id_answered("10.0.0.1:5000", "nginx-42.a_b").await,
        "nginx-42.a_b"
    );
    for (peer, id) in [
        ("203.0.113.9:5000", "nginx-42.a_b"),
        ("10.0.0.1:5000", "twee woorden"),
        ("10.0.0.1:5000", &"x".repeat(65)),
    ] {
        let answered = request_id_answered(peer, id).await;
        assert_ne!(answered, id);
        assert_eq!(answered.len(), 36, "a fresh UUID: {answered}");
    }
}
