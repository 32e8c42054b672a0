//! The `server` binary as an operator runs it: `--help` before any configuration exists, and
//! SIGTERM (systemd, containers) ending it cleanly.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SERVER: &str = env!("CARGO_BIN_EXE_server");

#[test]
fn help_works_without_any_configuration() {
    let output = Command::new(SERVER)
        .arg("--help")
        .env_clear()
        .output()
        .expect("server runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for command in [
        "serve",
        "migrate",
        "reencrypt-secrets",
        "add-user",
        "reset-password",
    ] {
        assert!(text.contains(command), "{command} missing from:\n{text}");
    }
    let add_user = Command::new(SERVER)
        .args(["add-user", "--help"])
        .env_clear()
        .output()
        .expect("server runs");
    assert!(String::from_utf8_lossy(&add_user.stdout).contains("<EMAIL> <ROLE>"));
}

pub(crate) fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

pub(crate) fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    Some(answer)
}

#[cfg(unix)]
#[test]
fn sigterm_ends_the_server_cleanly() {
    let dir = std::env::temp_dir().join(format!("mailboxen-sigterm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let port = free_port();
    let mut child = Command::new(SERVER)
        .env("APP_ENV", "test")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/db.sqlite?mode=rwc", dir.display()),
        )
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("MAIL_SYNC_INTERVAL_SECS", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    let started = Instant::now();
    let up = loop {
        if let Some(answer) = http_get(port, "/healthz") {
            break answer;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no answer on /healthz"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(up.starts_with("HTTP/1.1 200"), "{up}");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let stopped = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting") {
            break status;
        }
        if stopped.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("still running 30 s after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "ended with {status}");
    let _ = std::fs::remove_dir_all(&dir);
}
