//! Limits on slow clients and slow handlers: a connection that never finishes its headers is
//! closed, and a handler past the request limit is answered instead of left hanging.

use std::time::Duration;

use axum::body::Body;
use axum::routing::get;
use axum::Router;
use http::{Request, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::send_full;

/// Longer than any limit below: reaching it means the server held on.
const PATIENCE: Duration = Duration::from_secs(20);

fn app() -> Router {
    let routes = Router::new()
        .route("/", get(|| async { "hallo" }))
        .route("/traag", get(std::future::pending::<&'static str>));
    let serving = server::Serving {
        request_timeout: Duration::from_secs(1),
        trusted_proxies: Default::default(),
    };
    server::service(routes, &serving)
}

async fn serving(header_read_timeout: Duration) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("its address");
    tokio::spawn(server::serve::serve(
        listener,
        app(),
        header_read_timeout,
        std::future::pending(),
    ));
    address
}

/// Everything the server sends until it closes the connection.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    tokio::time::timeout(PATIENCE, stream.read_to_end(&mut answer))
        .await
        .expect("the server closed the connection")
        .expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let address = serving(Duration::from_secs(1)).await;
    let mut complete = TcpStream::connect(address).await.expect("connect");
    complete
        .write_all(b"GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    assert!(read_until_closed(&mut complete).await.ends_with("hallo"));

    let mut slow = TcpStream::connect(address).await.expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: test\r\nX-Nog-Een: ")
        .await
        .expect("write");
    let answer = read_until_closed(&mut slow).await;
    assert!(
        !answer.contains("hallo"),
        "an unfinished request was served: {answer}"
    );
}

#[tokio::test]
async fn a_handler_past_the_limit_is_answered_503() {
    let answer = send_full(&app(), Request::get("/traag").body(Body::empty()).unwrap()).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    let answer = send_full(&app(), Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::OK, "hallo")
    );
}
