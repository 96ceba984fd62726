//! Retries: `429`, `503` and `504` honour `Retry-After`, else back off; attempts and the
//! total delay are capped; a plain create is retried only on `429`, so a retry never
//! makes a second meeting. Every attempt carries the same `client-request-id`.
//!
//! No test asserts a timing: they count requests.

use std::time::Duration;

use crate::support::*;
use graph_online_meetings::types::OnlineMeeting;
use graph_online_meetings::{CreateOrGet, Error, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Answer `first` once, then `then` for every later request.
async fn answers(first: ResponseTemplate, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(first)
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(then)
        .mount(&server)
        .await;
    server
}

fn throttled(retry_after: &str) -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("retry-after", retry_after)
        .set_body_json(serde_json::json!({
            "error": {"code": "TooManyRequests", "message": "Too many requests"}
        }))
}

#[tokio::test]
async fn create_or_get_429_with_fractional_retry_after_then_201_succeeds() {
    let server = answers(throttled("0.5"), meeting_response(201)).await;

    let response = client(&server)
        .me()
        .create_or_get(&request())
        .await
        .expect("retried");

    assert!(matches!(response.value(), CreateOrGet::Created(_)));
    assert_eq!(received(&server).await.len(), 2);
    assert_eq!(response.attempts(), 2);
}

#[tokio::test]
async fn create_429_then_201_succeeds_because_429_was_not_processed() {
    let server = answers(throttled("0.5"), meeting_response(201)).await;

    client(&server)
        .me()
        .create(&OnlineMeeting::default())
        .await
        .expect("retried");

    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn create_is_never_retried_on_5xx() {
    for status in [503, 504, 500, 502] {
        let server = answers(
            ResponseTemplate::new(status).insert_header("retry-after", "0"),
            meeting_response(201),
        )
        .await;

        let err = client(&server)
            .me()
            .create(&OnlineMeeting::default())
            .await
            .expect_err("not retried");

        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(received(&server).await.len(), 1, "status {status}");
    }
}

#[tokio::test]
async fn create_is_never_retried_after_a_timeout() {
    let server = answers(
        meeting_response(201).set_delay(Duration::from_secs(3)),
        meeting_response(201),
    )
    .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .expect("valid");

    let err = client
        .me()
        .create(&OnlineMeeting::default())
        .await
        .expect_err("timed out");

    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn create_or_get_is_retried_on_503_504_and_timeouts() {
    for first in [
        ResponseTemplate::new(503).insert_header("retry-after", "0"),
        ResponseTemplate::new(504),
        meeting_response(201).set_delay(Duration::from_secs(3)),
    ] {
        let server = answers(first, meeting_response(200)).await;
        let client = builder(&server)
            .timeout(Duration::from_millis(300))
            .build()
            .expect("valid");

        let outcome = client
            .me()
            .create_or_get(&request())
            .await
            .expect("retried");

        assert!(matches!(*outcome, CreateOrGet::Existing(_)));
        assert_eq!(received(&server).await.len(), 2);
    }
}

#[tokio::test]
async fn create_or_get_is_not_retried_on_other_errors() {
    for status in [500, 502, 400, 403] {
        let server = answers(ResponseTemplate::new(status), meeting_response(200)).await;
        let err = client(&server)
            .me()
            .create_or_get(&request())
            .await
            .expect_err("not retried");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(received(&server).await.len(), 1, "status {status}");
    }
}

#[tokio::test]
async fn attempts_are_capped() {
    let unavailable = || ResponseTemplate::new(503).insert_header("retry-after", "0");
    let server = answers(unavailable(), unavailable()).await;
    let client = builder(&server)
        .retry_policy(fast_retries().with_max_attempts(3))
        .build()
        .expect("valid");

    let err = client
        .me()
        .create_or_get(&request())
        .await
        .expect_err("still unavailable");

    let Error::Api(graph) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(graph.status(), 503);
    assert_eq!(graph.attempts(), 3);
    assert_eq!(graph.retry_after(), Some(Duration::ZERO));
    assert_eq!(received(&server).await.len(), 3);
}

/// `429`s do not count toward the attempts: they are retried, past `max_attempts`, until
/// the waits after them would pass the time budget.
#[tokio::test]
async fn throttled_retries_end_when_their_time_budget_is_spent() {
    let server = answers(throttled("0.1"), throttled("0.1")).await;
    let client = builder(&server)
        .retry_policy(
            fast_retries()
                .with_max_attempts(2)
                .with_max_throttled_delay(Duration::from_millis(350)),
        )
        .build()
        .expect("valid");

    let err = client
        .me()
        .create_or_get(&request())
        .await
        .expect_err("still throttled");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    // Waits of 0.1 s after the first three 429s (0.3 s); a fourth would pass 0.35 s.
    assert_eq!(received(&server).await.len(), 4);
}

/// A `Retry-After` longer than the time a call may still wait ends the retries at once:
/// for a `429`, the time budget of `429`s; for a `503`, the total delay.
#[tokio::test]
async fn a_retry_after_beyond_what_is_left_ends_the_retries() {
    let server = answers(
        ResponseTemplate::new(503).insert_header("retry-after", "120"),
        meeting_response(201),
    )
    .await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::default().with_max_total_delay(Duration::from_secs(1)))
        .build()
        .expect("valid");
    let err = client
        .me()
        .create_or_get(&request())
        .await
        .expect_err("gave up");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(received(&server).await.len(), 1);

    let server = answers(throttled("120"), meeting_response(201)).await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::default().with_max_throttled_delay(Duration::from_secs(1)))
        .build()
        .expect("valid");

    let err = client
        .me()
        .create_or_get(&request())
        .await
        .expect_err("gave up");

    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = answers(throttled("0"), meeting_response(201)).await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("valid");

    let err = client
        .me()
        .create_or_get(&request())
        .await
        .expect_err("no retry");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn without_retry_after_the_client_backs_off_and_retries() {
    let server = answers(ResponseTemplate::new(503), meeting_response(201)).await;

    client(&server)
        .me()
        .create_or_get(&request())
        .await
        .expect("retried");

    assert_eq!(received(&server).await.len(), 2);
}

/// A `Retry-After` date in the past asks for no wait: the call is retried after its
/// backoff (for a `429`, a zero wait would let a server that keeps refusing be asked again
/// at once, for ever).
#[tokio::test]
async fn a_retry_after_date_in_the_past_is_retried() {
    let past = httpdate::fmt_http_date(std::time::SystemTime::now() - Duration::from_secs(30));
    let server = answers(throttled(&past), meeting_response(201)).await;

    client(&server)
        .me()
        .create_or_get(&request())
        .await
        .expect("retried");

    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn every_attempt_carries_the_same_client_request_id_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CREATE_OR_GET_PATH))
        .respond_with(throttled("0"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CREATE_OR_GET_PATH))
        .respond_with(meeting_response(201))
        .mount(&server)
        .await;
    let client = client(&server);

    let first = client
        .me()
        .create_or_get(&request())
        .await
        .expect("retried");
    let second = client
        .me()
        .create_or_get(&request())
        .await
        .expect("second call");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 4);
    let ids: Vec<_> = requests
        .iter()
        .map(|r| header(r, "client-request-id"))
        .collect();
    let first_id = Some(first.client_request_id());
    assert_eq!(ids[..3], [first_id, first_id, first_id]);
    assert_eq!(ids[3], Some(second.client_request_id()));
    assert_ne!(first.client_request_id(), second.client_request_id());
    for request in &requests {
        assert_eq!(
            header(request, "user-agent"),
            Some(concat!("graph-online-meetings/", env!("CARGO_PKG_VERSION")))
        );
        assert_eq!(
            header(request, "authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(
            request.body_json::<serde_json::Value>().ok(),
            requests[0].body_json().ok()
        );
    }
}

/// Wait (bounded) until `server` has received `count` requests.
async fn until_received(server: &MockServer, count: usize) {
    for _ in 0..500 {
        if received(server).await.len() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the server never received {count} requests");
}

/// Clones share the budget: after one call's `429` (`Retry-After: 2`), a call through a
/// clone is held until the pause has passed; with sharing off, it goes at once.
#[tokio::test]
async fn a_429_pauses_every_clone_unless_sharing_is_off() {
    for shared in [true, false] {
        let server = answers(throttled("2"), meeting_response(201)).await;
        let client = builder(&server)
            .shared_throttling(shared)
            .build()
            .expect("valid");
        let first = tokio::spawn({
            let client = client.clone();
            async move { client.me().create_or_get(&request()).await.map(drop) }
        });
        until_received(&server, 1).await;
        let clone = client.clone();
        let second =
            tokio::spawn(async move { clone.me().create_or_get(&request()).await.map(drop) });
        tokio::time::sleep(Duration::from_millis(300)).await;
        // Well inside the pause, the clone's request was held back, or went at once.
        let during = received(&server).await.len();
        assert_eq!(during, if shared { 1 } else { 2 }, "sharing {shared}");
        first
            .await
            .expect("the task")
            .expect("retried after the pause");
        second.await.expect("the task").expect("answered");
        assert_eq!(received(&server).await.len(), 3);
    }
}

/// A pause longer than a call may wait for throttling fails the call at once with
/// `Error::Throttled`, and nothing is sent.
#[tokio::test]
async fn a_pause_longer_than_the_throttled_budget_fails_calls_unsent() {
    let server = answers(throttled("120"), meeting_response(201)).await;
    let client = builder(&server)
        .retry_policy(fast_retries().with_max_throttled_delay(Duration::from_secs(10)))
        .build()
        .expect("valid");
    let first = client
        .me()
        .create_or_get(&request())
        .await
        .expect_err("429");
    assert_eq!(first.status().map(|s| s.as_u16()), Some(429));
    let second = client
        .me()
        .create_or_get(&request())
        .await
        .expect_err("paused");
    let Error::Throttled(throttled) = &second else {
        panic!("expected Error::Throttled, got {second:?}");
    };
    assert!(throttled.left() > Duration::from_secs(10), "{second}");
    assert_eq!(second.retry_after(), Some(throttled.left()));
    assert_eq!(
        received(&server).await.len(),
        1,
        "the second call sent nothing"
    );
}
