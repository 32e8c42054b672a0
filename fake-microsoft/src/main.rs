//! `fake-microsoft [--host 127.0.0.1] [--port 9000] [--fixture demo.json] [--public-url URL]`:
//! the fake as a standalone server, for Playwright and demos.

use std::path::PathBuf;
use std::process::ExitCode;

use fake_microsoft::{Directory, FakeMicrosoft};
use tokio::net::TcpListener;

const USAGE: &str =
    "usage: fake-microsoft [--host HOST] [--port PORT] [--fixture FILE] [--public-url URL]

  --host        address to bind (default 127.0.0.1)
  --port        port to bind (default 9000; 0 picks a free one)
  --fixture     directory fixture (JSON); default: the built-in demo fixture
  --public-url  base URL to advertise in issuer and links (default http://HOST:PORT)";

#[derive(Debug)]
struct Args {
    host: String,
    port: u16,
    fixture: Option<PathBuf>,
    public_url: Option<String>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        host: "127.0.0.1".into(),
        port: 9000,
        fixture: None,
        public_url: None,
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--host" => parsed.host = value()?,
            "--port" => parsed.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--fixture" => parsed.fixture = Some(PathBuf::from(value()?)),
            "--public-url" => parsed.public_url = Some(value()?.trim_end_matches('/').to_owned()),
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(parsed)
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            eprintln!("{USAGE}");
            return if message.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("fake-microsoft: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let directory = match &args.fixture {
        Some(path) => Directory::from_file(path),
        None => Directory::demo(),
    }
    .map_err(|e| e.to_string())?;
    let listener = TcpListener::bind((args.host.as_str(), args.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", args.host, args.port))?;
    let fake =
        FakeMicrosoft::start_on(listener, directory, args.public_url).map_err(|e| e.to_string())?;
    println!(
        "fake-microsoft listening on {} (base URL {})",
        fake.address(),
        fake.base_url()
    );
    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, String> {
        parse_args(args.iter().map(|a| (*a).to_owned()))
    }

    #[test]
    fn defaults_and_flags() {
        let defaults = parse(&[]);
        assert_eq!(
            defaults.as_ref().map(|a| (a.host.as_str(), a.port)).ok(),
            Some(("127.0.0.1", 9000))
        );
        let args = parse(&[
            "--port",
            "0",
            "--fixture",
            "f.json",
            "--public-url",
            "http://fake:9000/",
            "--host",
            "0.0.0.0",
        ]);
        let Ok(args) = args else { panic!("parses") };
        assert_eq!(args.port, 0);
        assert_eq!(args.host, "0.0.0.0");
        assert_eq!(args.fixture, Some(PathBuf::from("f.json")));
        assert_eq!(args.public_url.as_deref(), Some("http://fake:9000"));
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
    }
}
