//! Fault injection, request counters and the emulator's lifecycle.

mod common;

use common::*;
use graph_online_meetings_emulator::{
    Emulator, EmulatorError, Fault, RateLimit, RateLimitKind, RequestCounts, Route, VersionSegment,
    fake_token_from_claims,
};
use serde_json::json;

const CREATE_OR_GET: &str = "/v1.0/me/onlineMeetings/createOrGet";

#[tokio::test]
async fn throttling_answers_429_with_retry_after_then_recovers() {
    let emulator = start().await;
    let client = client();
    let url = emulator.url(CREATE_OR_GET);
    let token = delegated(TENANT, USER);
    let body = json!({"externalId": "retry-me"});

    emulator
        .faults()
        .fail_next(
            2,
            Fault::Throttle {
                retry_after: "0.5".into(),
            },
        )
        .expect("a valid fault");
    assert_eq!(emulator.faults().pending(), 2);

    for _ in 0..2 {
        let answer = post(&client, &url, &token, &body).await;
        assert_eq!(answer.status, 429, "{}", answer.body);
        assert_eq!(answer.header("retry-after"), Some("0.5"));
        assert_eq!(answer.error_code(), "TooManyRequests");
    }
    let answer = post(&client, &url, &token, &body).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert!(answer.header("retry-after").is_none());

    assert_eq!(emulator.faults().pending(), 0);
    assert_eq!(emulator.stats().count(Route::CreateOrGetMe), 3);
    assert_eq!(emulator.stats().total(), 3);
    assert_eq!(emulator.meeting_count(), 1, "throttled calls made nothing");
}

#[tokio::test]
async fn unavailability_answers_503() {
    let emulator = start().await;
    let client = client();
    let url = emulator.url("/beta/me/onlineMeetings");
    let token = delegated(TENANT, USER);
    let faults = emulator.faults();
    faults.fail_next(1, Fault::unavailable()).expect("valid");
    faults
        .fail_next(
            1,
            Fault::Unavailable {
                retry_after: Some("3".into()),
            },
        )
        .expect("valid");

    let first = post(&client, &url, &token, &json!({})).await;
    assert_eq!(first.status, 503, "{}", first.body);
    assert_eq!(first.error_code(), "ServiceUnavailable");
    assert!(first.header("retry-after").is_none());

    let second = post(&client, &url, &token, &json!({})).await;
    assert_eq!(second.status, 503);
    assert_eq!(second.header("retry-after"), Some("3"));

    let third = post(&client, &url, &token, &json!({})).await;
    assert_eq!(third.status, 201);
}

#[tokio::test]
async fn faults_come_before_authentication_and_skip_unknown_routes() {
    let emulator = start().await;
    let client = client();
    emulator
        .faults()
        .fail_next(1, Fault::throttle("1"))
        .expect("valid");

    // An unknown route does not consume the fault.
    let not_found = answer(
        client
            .post(emulator.url("/v1.0/me/events"))
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(not_found.status, 404);
    assert_eq!(emulator.faults().pending(), 1);

    // A call without any token is throttled: faults are checked first.
    let anonymous = answer(
        client
            .post(emulator.url(CREATE_OR_GET))
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(anonymous.status, 429);
    assert_eq!(anonymous.header("retry-after"), Some("1"));

    // The next one is authenticated normally.
    let anonymous = answer(
        client
            .post(emulator.url(CREATE_OR_GET))
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(anonymous.status, 401);
}

#[tokio::test]
async fn faults_can_be_queued_by_the_builder_and_cleared() {
    let emulator = Emulator::builder()
        .fail_next(1, Fault::throttle("2"))
        .fail_next(1, Fault::unavailable())
        .start("127.0.0.1:0")
        .await
        .expect("started");
    let client = client();
    let url = emulator.url(CREATE_OR_GET);
    let token = delegated(TENANT, USER);
    let body = json!({"externalId": "b"});
    assert_eq!(emulator.faults().pending(), 2);

    let first = post(&client, &url, &token, &body).await;
    assert_eq!(first.status, 429);
    assert_eq!(first.header("retry-after"), Some("2"));

    emulator.faults().clear();
    assert_eq!(emulator.faults().pending(), 0);
    let second = post(&client, &url, &token, &body).await;
    assert_eq!(second.status, 201);
}

#[tokio::test]
async fn invalid_retry_after_values_are_rejected() {
    let emulator = start().await;
    for bad in ["", "1\r\nx-injected: yes", "délai"] {
        let result = emulator.faults().fail_next(1, Fault::throttle(bad));
        assert!(
            matches!(result, Err(EmulatorError::InvalidRetryAfter { .. })),
            "{bad:?}"
        );
    }
    assert_eq!(emulator.faults().pending(), 0);

    let refused = Emulator::builder()
        .fail_next(1, Fault::throttle(""))
        .start("127.0.0.1:0")
        .await;
    assert!(matches!(
        refused,
        Err(EmulatorError::InvalidRetryAfter { .. })
    ));
}

#[tokio::test]
async fn requests_are_counted_per_route() {
    let emulator = start().await;
    let client = client();
    let token = delegated(TENANT, USER);
    let stats = emulator.stats();

    post(
        &client,
        &emulator.url("/v1.0/me/onlineMeetings"),
        &token,
        &json!({}),
    )
    .await;
    post(
        &client,
        &emulator.url("/beta/me/onlineMeetings"),
        &token,
        &json!({}),
    )
    .await;
    post(
        &client,
        &emulator.url("/v1.0/me/onlineMeetings/createOrGet"),
        &token,
        &json!({"externalId": "c"}),
    )
    .await;
    post(
        &client,
        &emulator.url(&format!("/beta/users/{USER}/onlineMeetings/createOrGet")),
        &application(TENANT),
        &json!({"externalId": "c"}),
    )
    .await;
    post(&client, &emulator.url("/v1.0/nowhere"), &token, &json!({})).await;
    // An error answer is still a served request.
    post(
        &client,
        &emulator.url("/v1.0/me/onlineMeetings/createOrGet"),
        &token,
        &json!({}),
    )
    .await;

    assert_eq!(stats.count(Route::CreateMe), 2);
    assert_eq!(stats.count_in(Route::CreateMe, VersionSegment::V1), 1);
    assert_eq!(stats.count_in(Route::CreateMe, VersionSegment::Beta), 1);
    assert_eq!(stats.count(Route::CreateOrGetMe), 2);
    assert_eq!(
        stats.count_in(Route::CreateOrGetUser, VersionSegment::Beta),
        1
    );
    let snapshot = stats.snapshot();
    assert_eq!(snapshot.total, 6);
    assert_eq!(snapshot.count(Route::CreateMe), 2);
    assert_eq!(snapshot.count(Route::CreateOrGetMe), 2);
    assert_eq!(snapshot.count(Route::CreateOrGetUser), 1);
    assert_eq!(snapshot.unmatched, 1);

    stats.reset();
    assert_eq!(emulator.stats().snapshot(), RequestCounts::default());
}

#[tokio::test]
async fn shutdown_is_graceful_with_idle_keep_alive_connections() {
    let emulator = start().await;
    let client = client();
    let url = emulator.url("/v1.0/me/onlineMeetings");
    let token = delegated(TENANT, USER);
    // Leave a pooled keep-alive connection open in the client.
    let answer = post(&client, &url, &token, &json!({})).await;
    assert_eq!(answer.status, 201);

    let stats = emulator.stats();
    assert_eq!(stats.total(), 1);
    emulator.shutdown().await.expect("a clean shutdown");

    // The emulator serves nothing more (whatever the client sees, this emulator counts nothing:
    // the check holds even if the OS hands the port to another test's emulator).
    let after = client
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await;
    if let Ok(response) = after {
        // Only possible if another emulator now owns the port.
        drop(response);
    }
    assert_eq!(stats.total(), 1);
}

#[tokio::test]
async fn base_url_has_no_trailing_slash_or_version() {
    let emulator = start().await;
    let base = emulator.base_url();
    assert_eq!(base, format!("http://{}", emulator.local_addr()));
    assert!(base.starts_with("http://127.0.0.1:"));
    assert!(!base.ends_with('/'));
    assert_ne!(emulator.local_addr().port(), 0);
    // Dropping the handle stops the server without awaiting anything.
    drop(emulator);
}

#[tokio::test]
async fn binding_a_taken_port_is_an_error() {
    let emulator = start().await;
    let taken = emulator.local_addr().to_string();
    let second = Emulator::start(&taken).await;
    assert!(matches!(second, Err(EmulatorError::Bind { .. })));
    let garbage = Emulator::start("not an address").await;
    assert!(matches!(garbage, Err(EmulatorError::Bind { .. })));
}

/// The rate limit: a window admits its budget of requests per app per tenant, then
/// answers `429 TooManyRequests` with Graph's error body and a `Retry-After` within the
/// window; another app of the tenant has its own budget. Only the refusals are counted as
/// rate-limited. (The window's reopening is a unit test of the limiter: here it would need
/// a wait.)
#[tokio::test]
async fn the_rate_limit_admits_its_budget_per_app_then_answers_429() {
    // Long enough that the four requests below fall in one window on a loaded machine.
    let window = std::time::Duration::from_secs(60);
    let emulator = Emulator::builder()
        .rate_limit(RateLimit::new(3, window).expect("a valid limit"))
        .start("127.0.0.1:0")
        .await
        .expect("starts");
    let client = client();
    let url = emulator.url(CREATE_OR_GET);
    let token = |app: &str| {
        fake_token_from_claims(&json!({"tid": TENANT, "oid": USER, "scp": "x", "appid": app}))
    };
    let body = json!({"externalId": "limited"});
    for _ in 0..3 {
        let answer = post(&client, &url, &token("app-1"), &body).await;
        assert!(
            answer.status == 201 || answer.status == 200,
            "{}",
            answer.body
        );
    }
    let refused = post(&client, &url, &token("app-1"), &body).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert_eq!(refused.error_code(), "TooManyRequests");
    let wait: f64 = refused
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!(wait > 0.0 && wait <= window.as_secs_f64(), "{wait}");
    let other_app = post(&client, &url, &token("app-2"), &body).await;
    assert_eq!(other_app.status, 200, "{}", other_app.body);
    assert_eq!(emulator.stats().rate_limited(), 1);
    emulator.shutdown().await.expect("stops");
}

/// A token bucket: its capacity at once, then `429` with a `Retry-After` no longer than
/// the time one token takes (a tenth of the period here), per app.
#[tokio::test]
async fn a_token_bucket_admits_its_capacity_then_answers_429_until_the_next_token() {
    let period = std::time::Duration::from_secs(600);
    let limit = RateLimit::token_bucket(10, period).expect("a valid limit");
    assert_eq!(limit.kind(), RateLimitKind::TokenBucket);
    let emulator = Emulator::builder()
        .rate_limit(limit)
        .start("127.0.0.1:0")
        .await
        .expect("starts");
    let client = client();
    let url = emulator.url(CREATE_OR_GET);
    let token = |app: &str| {
        fake_token_from_claims(&json!({"tid": TENANT, "oid": USER, "scp": "x", "appid": app}))
    };
    let body = json!({"externalId": "bucket"});
    for _ in 0..10 {
        let answer = post(&client, &url, &token("app-1"), &body).await;
        assert!(
            answer.status == 201 || answer.status == 200,
            "{}",
            answer.body
        );
    }
    let refused = post(&client, &url, &token("app-1"), &body).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert_eq!(refused.error_code(), "TooManyRequests");
    let wait: f64 = refused
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!(wait > 0.0 && wait <= 60.0, "{wait}");
    let other_app = post(&client, &url, &token("app-2"), &body).await;
    assert_eq!(other_app.status, 200, "{}", other_app.body);
    assert_eq!(emulator.stats().rate_limited(), 1);
    emulator.shutdown().await.expect("stops");
}
