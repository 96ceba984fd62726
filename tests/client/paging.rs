//! Pages and content against wiremock: what the emulator cannot be made to do (a link to
//! another host, a page that is throttled, content that stalls). The walk over real pages
//! and the download of real content are in `tests/e2e/artifacts.rs`.

use std::time::Duration;

use futures_util::StreamExt;
use graph_online_meetings::{Error, GraphClient, RetryPolicy};
use serde_json::json;
use tokio::io::AsyncWriteExt;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

const REPORTS: &str = "/v1.0/me/onlineMeetings/m1/attendanceReports";

fn report(id: &str) -> serde_json::Value {
    json!({"id": id, "totalParticipantCount": 2})
}

/// A `nextLink` to another host (or another base path) is refused with a typed error
/// before anything is sent there: the other server sees no request, so the token never
/// reaches it; the page before it was returned.
#[tokio::test]
async fn a_next_link_that_leaves_the_graph_origin_is_refused_unsent() {
    let graph = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    for (next, why) in [
        (
            format!(
                "{}/v1.0/me/onlineMeetings/m1/attendanceReports?$skiptoken=2",
                elsewhere.uri()
            ),
            "not to the configured Graph origin",
        ),
        (
            format!(
                "{}/beta/me/onlineMeetings/m1/attendanceReports?$skiptoken=2",
                graph.uri()
            ),
            "not under the configured base path",
        ),
        (
            "/v1.0/me/onlineMeetings/m1/attendanceReports?$skiptoken=2".to_owned(),
            "not an absolute URL",
        ),
    ] {
        graph.reset().await;
        Mock::given(method("GET"))
            .and(path(REPORTS))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "value": [report("r1")],
                "@odata.nextLink": next,
            })))
            .mount(&graph)
            .await;
        let client = client(&graph);
        let mut pages = client.me().meeting("m1").attendance_reports();
        let first = pages
            .next_page()
            .await
            .expect("a first page")
            .expect("page 1");
        assert_eq!(first.items().len(), 1);
        let err = pages
            .next_page()
            .await
            .expect("the link is an outcome")
            .expect_err("refused");
        let Error::ForeignLink(foreign) = &err else {
            panic!("expected Error::ForeignLink, got {err:?}");
        };
        assert_eq!(foreign.link(), next);
        assert!(err.to_string().contains(why), "{err}");
        assert!(
            pages.next_page().await.is_none(),
            "the walk ends at the error"
        );
        assert_eq!(received(&graph).await.len(), 1);
    }
    assert!(
        received(&elsewhere).await.is_empty(),
        "nothing was sent there"
    );
}

/// A page request goes through the call loop: a `429` on the second page is retried after
/// its `Retry-After`, with the token, and the walk goes on to the end.
#[tokio::test]
async fn a_throttled_page_is_retried_and_the_walk_goes_on() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(REPORTS))
        .and(query_param("$skiptoken", "2"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(REPORTS))
        .and(query_param("$skiptoken", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [report("r2")]})))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(REPORTS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [report("r1")],
            "@odata.nextLink": format!("{}{REPORTS}?$skiptoken=2", server.uri()),
        })))
        .with_priority(3)
        .mount(&server)
        .await;
    let client = client(&server);
    let mut pages = client.me().meeting("m1").attendance_reports();
    let all = pages.all().await.expect("every page");
    let ids: Vec<_> = all
        .iter()
        .map(|r| r.id.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["r1", "r2"]);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(
            header(request, "authorization"),
            Some(&*format!("Bearer {TOKEN}"))
        );
    }
    assert_eq!(
        header(&requests[1], "client-request-id"),
        header(&requests[2], "client-request-id"),
        "one call, two attempts"
    );
}

/// Content is not held to the JSON size limit, and it has no total timeout: a body
/// larger than `max_response_bytes`, sent slower than `timeout`, arrives whole.
#[tokio::test]
async fn content_is_not_bound_by_the_json_limit_or_the_total_timeout() {
    let server = MockServer::start().await;
    let body = vec![7u8; 64 * 1024];
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onlineMeetings/m1/recordings/r1/content"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "video/mp4")
                .set_body_bytes(body.clone())
                .set_delay(Duration::from_millis(400)),
        )
        .mount(&server)
        .await;
    let client = builder(&server)
        .max_response_bytes(1024)
        .timeout(Duration::from_millis(100))
        .build()
        .expect("a client");
    let content = client
        .me()
        .meeting("m1")
        .recording("r1")
        .content()
        .await
        .expect("content answers are not timed as a whole");
    assert_eq!(content.headers()["content-type"], "video/mp4");
    let mut sink = Vec::new();
    let written = content
        .into_inner()
        .write_to(&mut sink)
        .await
        .expect("read whole");
    assert_eq!(written, body.len() as u64);
    assert_eq!(sink, body);
}

/// Content that stops arriving ends with `Error::Timeout` after the stall timeout
/// instead of hanging; what arrived before was written.
#[tokio::test]
async fn content_that_stalls_is_a_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("an address");
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("a connection");
        let mut request = [0u8; 4096];
        let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut request).await;
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: text/vtt\r\ncontent-length: 1000\r\n\r\nWEBVTT\n\n";
        let _ = socket.write_all(head.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let client = GraphClient::builder()
        .base_url(format!("http://{addr}"))
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::disabled())
        .stall_timeout(Duration::from_millis(300))
        .build()
        .expect("a client");
    // The bound below only keeps a broken client from hanging the test run.
    let outcome = tokio::time::timeout(Duration::from_secs(20), async {
        let content = client.me().meeting("m1").transcript("t1").content().await?;
        let mut sink = Vec::new();
        let result = content.into_inner().write_to(&mut sink).await;
        assert_eq!(sink, b"WEBVTT\n\n");
        result
    })
    .await
    .expect("the stall timeout ends the download");
    let err = outcome.expect_err("a stalled body");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    server.abort();
}

/// `into_items` yields the items of every page in order; a page that fails is yielded
/// once, as its error, and the stream ends there.
#[tokio::test]
async fn items_stream_across_pages_and_end_at_an_error() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: &str| {
        let mut body = json!({"value": ids.iter().map(|id| report(id)).collect::<Vec<_>>()});
        body["@odata.nextLink"] = json!(format!("{}{REPORTS}?$skiptoken={next}", server.uri()));
        ResponseTemplate::new(200).set_body_json(body)
    };
    for (skiptoken, answer) in [
        ("2", page(&["r3"], "3")),
        (
            "3",
            ResponseTemplate::new(404).set_body_json(json!({
                "error": {"code": "itemNotFound", "message": "gone"}
            })),
        ),
    ] {
        Mock::given(method("GET"))
            .and(path(REPORTS))
            .and(query_param("$skiptoken", skiptoken))
            .respond_with(answer)
            .with_priority(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(REPORTS))
        .respond_with(page(&["r1", "r2"], "2"))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = client(&server);
    let results: Vec<_> = client
        .me()
        .meeting("m1")
        .attendance_reports()
        .into_items()
        .collect()
        .await;
    let ids: Vec<_> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|r| r.id.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["r1", "r2", "r3"]);
    assert_eq!(results.len(), 4, "{results:?}");
    let last = results.last().expect("four results");
    assert_eq!(
        last.as_ref()
            .err()
            .and_then(Error::status)
            .map(|s| s.as_u16()),
        Some(404)
    );
    assert_eq!(received(&server).await.len(), 3);
}

/// An error answer to a content download is read for its message, so it is held to the
/// JSON size limit like any other body: a huge one is `ResponseTooLarge`.
#[tokio::test]
async fn a_content_error_body_is_held_to_the_size_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onlineMeetings/m1/recordings/r1/content"))
        .respond_with(ResponseTemplate::new(500).set_body_bytes(vec![b'x'; 64 * 1024]))
        .mount(&server)
        .await;
    let client = builder(&server)
        .max_response_bytes(1024)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("a client");
    let err = client
        .me()
        .meeting("m1")
        .recording("r1")
        .content()
        .await
        .expect_err("a 500");
    assert!(matches!(err, Error::ResponseTooLarge(_)), "{err:?}");
}

/// Two pages that link to each other end the walk with an error once a link comes back,
/// instead of being read for ever (a page that links to itself is the shortest case).
#[tokio::test]
async fn a_link_already_followed_in_the_walk_is_not_followed_again() {
    let server = MockServer::start().await;
    let link = |token: &str| format!("{}{REPORTS}?$skiptoken={token}", server.uri());
    let page = |id: &str, next: String| {
        ResponseTemplate::new(200).set_body_json(json!({
            "value": [report(id)],
            "@odata.nextLink": next,
        }))
    };
    for (token, next) in [("a", "b"), ("b", "a")] {
        Mock::given(method("GET"))
            .and(path(REPORTS))
            .and(query_param("$skiptoken", token))
            .respond_with(page(token, link(next)))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(REPORTS))
        .respond_with(page("first", link("a")))
        .mount(&server)
        .await;
    let client = client(&server);
    let mut reports = client.me().meeting("m1").attendance_reports();
    let mut read = Vec::new();
    let err = loop {
        match reports.next_page().await {
            Some(Ok(page)) => read.extend(page.into_inner().into_items()),
            Some(Err(err)) => break err,
            None => panic!("the walk ended without an error"),
        }
    };
    assert!(
        err.to_string().contains("was followed before in this walk"),
        "{err}"
    );
    let ids: Vec<_> = read.iter().filter_map(|r| r.id.as_deref()).collect();
    assert_eq!(ids, ["first", "a", "b"]);
    assert_eq!(received(&server).await.len(), 3);
    assert!(reports.next_page().await.is_none(), "the walk is over");
}
