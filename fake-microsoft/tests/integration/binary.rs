//! The standalone binary: flags, the base URL it advertises, the fixture it loads.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary on a free port and returns it with its listen address.
fn start(extra: &[&str]) -> (Server, String) {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-microsoft"))
        .args(["--port", "0", "--fixture", fixture])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let address = line.split_whitespace().nth(3).unwrap().to_owned();
    (server, address)
}

#[tokio::test]
async fn binary_serves_the_fixture_at_its_own_base_url() {
    let (_server, address) = start(&[]);
    let url = format!(
        "http://{address}/energiedemo.onmicrosoft.com/v2.0/.well-known/openid-configuration"
    );
    let body: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    assert_eq!(
        body["issuer"],
        format!("http://{address}/8c10395e-14fe-46db-a8b6-699ac4a65109/v2.0")
    );
}

#[tokio::test]
async fn binary_advertises_the_public_url() {
    let (_server, address) = start(&["--public-url", "http://fake-microsoft.test:9000/"]);
    let url = format!("http://{address}/8c10395e-14fe-46db-a8b6-699ac4a65109/v2.0/.well-known/openid-configuration");
    let body: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    assert_eq!(
        body["issuer"],
        "http://fake-microsoft.test:9000/8c10395e-14fe-46db-a8b6-699ac4a65109/v2.0"
    );
}
