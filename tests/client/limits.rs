//! Bounded responses: the client reads at most `max_response_bytes` of a body, whether
//! the size is announced by `Content-Length` (then none of it is read) or the body is
//! streamed without one (then reading stops at the limit), and a server that stops
//! sending mid-body ends in a timeout, not a hang. The servers here are raw TCP on
//! 127.0.0.1 that can send far more than anyone should read.

use std::time::Duration;

use graph_online_meetings::{DEFAULT_MAX_RESPONSE_BYTES, Error, GraphClient, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::common::peak_resident_bytes;
use crate::support::{TOKEN, request};

/// What the server does after reading a request.
#[derive(Clone, Copy)]
enum Body {
    /// `Content-Length: N`, then zeros until the client goes away.
    Announced(u64),
    /// Chunked, 64 KiB of JSON-ish bytes per chunk, until `total` or the client goes away.
    Streamed { total: u64 },
    /// `Content-Length: 1000`, 10 bytes, then nothing for `stall`.
    Stalled { stall: Duration },
}

/// A one-connection-at-a-time server on 127.0.0.1 answering `200` with `body`;
/// returns its base URL and a handle that reports how many body bytes it wrote.
async fn server(body: Body) -> (String, tokio::task::JoinHandle<u64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("an address");
    let task = tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return 0;
        };
        // Read the request head (and a small body) before answering.
        let mut buf = vec![0u8; 16 * 1024];
        let _ = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut buf)).await;
        let mut written = 0u64;
        match body {
            Body::Announced(length) => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\r\n"
                );
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return 0;
                }
                let chunk = vec![b' '; 64 * 1024];
                while written < length && socket.write_all(&chunk).await.is_ok() {
                    written += chunk.len() as u64;
                }
            }
            Body::Streamed { total } => {
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return 0;
                }
                let data = vec![b' '; 64 * 1024];
                let frame = [
                    format!("{:x}\r\n", data.len()).into_bytes(),
                    data,
                    b"\r\n".to_vec(),
                ]
                .concat();
                while written < total && socket.write_all(&frame).await.is_ok() {
                    written += 64 * 1024;
                }
            }
            Body::Stalled { stall } => {
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"id\":\"x\"";
                let _ = socket.write_all(head.as_bytes()).await;
                written = 10;
                tokio::time::sleep(stall).await;
            }
        }
        written
    });
    (format!("http://{addr}"), task)
}

fn client_for(base: &str) -> graph_online_meetings::GraphClientBuilder {
    GraphClient::builder()
        .base_url(base)
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::disabled())
}

#[tokio::test]
async fn an_announced_body_over_the_limit_is_refused_unread() {
    let (base, server) = server(Body::Announced(300 * 1024 * 1024)).await;
    let client = client_for(&base)
        .max_response_bytes(1024 * 1024)
        .build()
        .expect("a client");
    let err = client
        .me()
        .create_or_get(&request())
        .await
        .expect_err("too large");
    let Error::ResponseTooLarge(too_large) = &err else {
        panic!("expected ResponseTooLarge, got {err:?}");
    };
    assert_eq!(too_large.limit(), 1024 * 1024);
    assert_eq!(too_large.announced(), Some(300 * 1024 * 1024));
    assert!(err.to_string().contains("limit of 1048576 bytes"), "{err}");
    drop(client);
    let written = server.await.expect("the server task");
    assert!(
        written < 300 * 1024 * 1024,
        "the client hung up instead of reading it all ({written} bytes written)"
    );
}

#[tokio::test]
async fn a_streamed_body_of_hundreds_of_mb_stops_at_the_limit_in_bounded_memory() {
    let total = 400 * 1024 * 1024;
    let (base, server) = server(Body::Streamed { total }).await;
    let client = client_for(&base).build().expect("a client");
    let err = client
        .me()
        .create_or_get(&request())
        .await
        .expect_err("too large");
    let Error::ResponseTooLarge(too_large) = &err else {
        panic!("expected ResponseTooLarge, got {err:?}");
    };
    assert_eq!(too_large.limit(), DEFAULT_MAX_RESPONSE_BYTES);
    assert_eq!(too_large.announced(), None);
    drop(client);
    let written = server.await.expect("the server task");
    assert!(
        written < total,
        "reading stopped ({written} of {total} bytes written)"
    );
    let peak = peak_resident_bytes().expect("Linux reports the peak resident memory");
    println!(
        "peak resident memory of the test process with a {total}-byte body: {} MiB",
        peak / (1024 * 1024)
    );
    assert!(
        peak < 100 * 1024 * 1024,
        "peak resident memory {peak} bytes"
    );
}

#[tokio::test]
async fn a_body_that_stops_mid_way_is_a_timeout_not_a_hang() {
    let (base, _server) = server(Body::Stalled {
        stall: Duration::from_secs(30),
    })
    .await;
    let client = client_for(&base)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("a client");
    // The bound below only keeps a broken client from hanging the test run.
    let outcome = tokio::time::timeout(
        Duration::from_secs(20),
        client.me().create_or_get(&request()),
    )
    .await
    .expect("the client's own timeout ends the call");
    let err = outcome.expect_err("a stalled body");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}
