//! One tracing span per call, `graph_online_meetings::call`, with the operation, the
//! client-request-id, the attempt, the status, Graph's request-id and, when the call
//! waited for the client's shared budget, how long; and the access
//! token in no log line, at any level, from this crate or the HTTP stack below it.
//!
//! A test binary of its own, with one test: it captures logs with a per-thread
//! subscriber, and tracing caches whether a call site is enabled process-wide, which
//! races with tests running in parallel on other threads (in the `client` binary, the
//! `retrying` event went missing).

#[path = "common/mod.rs"]
mod common;
#[path = "client/support.rs"]
mod support;

use support::*;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_call_is_one_span_with_its_facts_and_no_log_shows_the_token() {
    let (logs, _guard) = capture_logs();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(meeting_response(201))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("request-id", "403-request-id")
                .set_body_json(serde_json::json!({
                    "error": {"code": "Forbidden", "message": "no"}
                })),
        )
        .mount(&server)
        .await;
    let first = client(&server);

    let response = first
        .user("adele@contoso.com")
        .create_or_get(&request())
        .await
        .expect("201");
    // A client of its own: after the 429 above, the first client paces its calls, and this
    // span must show a call that did not wait.
    let err = client(&server)
        .me()
        .create_or_get(&request())
        .await
        .expect_err("403");
    // What a caller typically does with an error.
    tracing::error!(error = %err, debug = ?err, "the call failed");

    // Two calls at once through a client that lets one attempt in flight: one of them
    // waits for the shared budget, and its span says for how long.
    let slow = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(meeting_response(200).set_delay(std::time::Duration::from_millis(200)))
        .mount(&slow)
        .await;
    let one_at_a_time = builder(&slow).max_in_flight(1).build().expect("a client");
    let same = request();
    let (a, b) = tokio::join!(
        one_at_a_time.me().create_or_get(&same),
        one_at_a_time.me().create_or_get(&same),
    );
    a.expect("200");
    b.expect("200");

    let logs = logs.contents();
    let closes: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("graph_online_meetings::call{") && l.contains(": close "))
        .collect();
    assert_eq!(closes.len(), 4, "one span per call: {logs}");
    let waited: Vec<&&str> = closes[2..]
        .iter()
        .filter(|close| close.contains("budget_wait_ms="))
        .collect();
    assert_eq!(waited.len(), 1, "one of the two waited: {logs}");
    assert!(
        !closes[0].contains("budget_wait_ms") && !closes[1].contains("budget_wait_ms"),
        "no wait, no field: {logs}"
    );
    assert!(
        logs.contains("waited for the client's shared budget"),
        "the wait is logged: {logs}"
    );
    for field in [
        "operation=\"create_or_get_online_meeting_for_user\"".to_owned(),
        format!("client_request_id=\"{}\"", response.client_request_id()),
        "attempt=2".to_owned(),
        "status=201".to_owned(),
        "request_id=\"5c7e1d3a-0000-4d2b-9a7e-response-id\"".to_owned(),
    ] {
        assert!(closes[0].contains(&field), "{field} in {}", closes[0]);
    }
    for field in [
        "operation=\"create_or_get_online_meeting\"",
        "attempt=1",
        "status=403",
        "request_id=\"403-request-id\"",
    ] {
        assert!(closes[1].contains(field), "{field} in {}", closes[1]);
    }
    assert!(logs.contains("retrying"), "the retry is logged: {logs}");
    assert!(
        logs.contains("hyper"),
        "the HTTP stack's logs are captured too: {logs}"
    );
    assert!(
        !logs.contains(TOKEN),
        "the token leaked into the logs: {logs}"
    );
    assert!(!logs.contains("sekret"), "part of the token leaked: {logs}");
}
