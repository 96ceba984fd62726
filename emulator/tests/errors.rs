//! Error answers: authentication, routing, content types and hostile bodies.

mod common;

use common::*;
use graph_online_meetings_emulator::{Emulator, fake_token_from_claims};
use serde_json::json;

const CREATE_OR_GET: &str = "/v1.0/me/onlineMeetings/createOrGet";

async fn post_raw(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> Answer {
    let mut request = client.post(url).body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    answer(request.send().await.expect("the request is answered")).await
}

#[tokio::test]
async fn missing_or_malformed_tokens_are_401() {
    let emulator = start().await;
    let client = client();
    let url = emulator.url(CREATE_OR_GET);
    let body = br#"{"externalId":"x"}"#.to_vec();

    let no_header = post_raw(&client, &url, None, Some("application/json"), body.clone()).await;
    assert_eq!(no_header.status, 401);
    assert_eq!(no_header.error_code(), "InvalidAuthenticationToken");
    assert!(
        no_header
            .header("www-authenticate")
            .is_some_and(|v| v.starts_with("Bearer"))
    );

    let bad_tokens = [
        "not-a-jwt".to_owned(),
        "a.b".to_owned(),
        "a.b.c.d".to_owned(),
        "!!!.***.".to_owned(),
        "eyJhbGciOiJub25lIn0.bm90IGpzb24.".to_owned(), // payload "not json"
        fake_token_from_claims(&json!({"oid": USER, "scp": "x"})), // no tid
        fake_token_from_claims(&json!({"tid": TENANT, "scp": "x"})), // no oid
        fake_token_from_claims(&json!({"tid": TENANT, "oid": 7, "scp": "x"})),
        fake_token_from_claims(&json!({"tid": TENANT, "oid": USER})), // neither scp nor roles
    ];
    for token in &bad_tokens {
        let answer = post_raw(
            &client,
            &url,
            Some(token),
            Some("application/json"),
            body.clone(),
        )
        .await;
        assert_eq!(answer.status, 401, "{token}: {}", answer.body);
        assert_eq!(answer.error_code(), "InvalidAuthenticationToken");
    }

    let basic = client
        .post(&url)
        .header("authorization", "Basic dXNlcjpwYXNz")
        .json(&json!({"externalId": "x"}))
        .send()
        .await
        .expect("answered");
    let basic = answer(basic).await;
    assert_eq!(basic.status, 401);
    assert_eq!(basic.error_code(), "InvalidAuthenticationToken");
    assert_eq!(emulator.meeting_count(), 0);
}

#[tokio::test]
async fn unknown_paths_are_graph_404s() {
    let emulator = start().await;
    let client = client();
    let token = delegated(TENANT, USER);
    for (path, segment) in [
        ("/v1.0/me/calendar", "calendar"),
        ("/v1.0/me/onlineMeetings/createOrGet/extra", "extra"),
        ("/v2.0/me/onlineMeetings", "v2.0"),
        ("/beta/users/abc/onlineMeetings/m1/bogus", "bogus"),
        ("/", ""),
    ] {
        let answer = post(&client, &emulator.url(path), &token, &json!({})).await;
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
        assert_eq!(answer.error_code(), "BadRequest");
        assert_eq!(
            answer.message(),
            format!("Resource not found for the segment '{segment}'.")
        );
    }
    let get = answer(
        client
            .get(emulator.url("/v1.0/groups"))
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(get.status, 404);
    assert_eq!(get.error_code(), "BadRequest");
    assert_eq!(emulator.stats().unmatched(), 6);
}

#[tokio::test]
async fn wrong_methods_are_405_with_allow() {
    let emulator = start().await;
    let client = client();
    for (method, path, allowed) in [
        (
            reqwest::Method::PUT,
            "/v1.0/me/onlineMeetings/m1",
            "GET,HEAD,PATCH,DELETE",
        ),
        (
            reqwest::Method::PUT,
            "/v1.0/me/onlineMeetings/createOrGet",
            "POST",
        ),
        (
            reqwest::Method::DELETE,
            "/beta/users/someone/onlineMeetings/createOrGet",
            "POST",
        ),
        (
            reqwest::Method::PATCH,
            "/beta/me/onlineMeetings",
            "GET,HEAD,POST",
        ),
    ] {
        let response = client
            .request(method.clone(), emulator.url(path))
            .bearer_auth(delegated(TENANT, USER))
            .send()
            .await
            .expect("answered");
        let answer = answer(response).await;
        assert_eq!(answer.status, 405, "{method} {path}: {}", answer.body);
        assert_eq!(answer.error_code(), "MethodNotAllowed");
        let allow = answer.header("allow").unwrap_or_default();
        let mut allow: Vec<&str> = allow.split(',').map(str::trim).collect();
        allow.sort_unstable();
        let mut expected: Vec<&str> = allowed.split(',').collect();
        expected.sort_unstable();
        assert_eq!(allow, expected, "{method} {path}");
    }
}

#[tokio::test]
async fn content_type_must_be_json() {
    let emulator = start().await;
    let client = client();
    let url = emulator.url(CREATE_OR_GET);
    let token = delegated(TENANT, USER);
    let body = br#"{"externalId":"ct"}"#.to_vec();

    let missing = post_raw(&client, &url, Some(&token), None, body.clone()).await;
    assert_eq!(missing.status, 400, "{}", missing.body);
    assert_eq!(missing.error_code(), "BadRequest");
    assert!(missing.message().contains("Content-Type"));

    for wrong in [
        "text/plain",
        "application/xml",
        "application/x-www-form-urlencoded",
    ] {
        let answer = post_raw(&client, &url, Some(&token), Some(wrong), body.clone()).await;
        assert_eq!(answer.status, 415, "{wrong}: {}", answer.body);
        assert_eq!(answer.error_code(), "RequestBodyRead");
    }

    let with_params = post_raw(
        &client,
        &url,
        Some(&token),
        Some("Application/JSON; charset=utf-8"),
        body,
    )
    .await;
    assert_eq!(with_params.status, 201, "{}", with_params.body);
}

#[tokio::test]
async fn bodies_that_are_not_json_objects_are_400() {
    let emulator = start().await;
    let client = client();
    let url = emulator.url(CREATE_OR_GET);
    let token = delegated(TENANT, USER);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", br#"{"externalId": "x""#.to_vec()),
        ("trailing comma", br#"{"externalId": "x",}"#.to_vec()),
        ("empty", Vec::new()),
        ("array", b"[1,2]".to_vec()),
        ("string", br#""hello""#.to_vec()),
        ("null", b"null".to_vec()),
        ("invalid UTF-8", b"{\"externalId\": \"\xff\xfe\"}".to_vec()),
        ("binary", vec![0, 159, 146, 150, 255]),
        ("deeply nested arrays", "[".repeat(200_000).into_bytes()),
        (
            "deeply nested objects",
            "{\"a\":".repeat(100_000).into_bytes(),
        ),
        (
            "attendees not an array",
            br#"{"externalId":"x","participants":{"attendees":"everyone"}}"#.to_vec(),
        ),
        (
            "participants not an object",
            br#"{"externalId":"x","participants":[]}"#.to_vec(),
        ),
    ];
    for (name, body) in cases {
        let answer = post_raw(&client, &url, Some(&token), Some("application/json"), body).await;
        assert_eq!(answer.status, 400, "{name}: {}", answer.body);
        assert_eq!(answer.error_code(), "BadRequest", "{name}");
    }
    let malformed = post_raw(
        &client,
        &url,
        Some(&token),
        Some("application/json"),
        br#"{"externalId": }"#.to_vec(),
    )
    .await;
    assert!(
        malformed.message().contains("line 1 column"),
        "the message names the JSON problem: {}",
        malformed.message()
    );
    assert_eq!(emulator.meeting_count(), 0);

    // The emulator is still healthy.
    let ok = post(&client, &url, &token, &json!({"externalId": "after"})).await;
    assert_eq!(ok.status, 201);
}

#[tokio::test]
async fn a_body_over_the_default_limit_is_413() {
    let emulator = start().await;
    let client = client();
    let url = emulator.url(CREATE_OR_GET);
    let token = delegated(TENANT, USER);
    // 2 MiB of valid JSON.
    let filler = "x".repeat(2 * 1024 * 1024);
    let body =
        serde_json::to_vec(&json!({"externalId": "big", "subject": filler})).expect("serializable");
    let answer = post_raw(&client, &url, Some(&token), Some("application/json"), body).await;
    assert_eq!(answer.status, 413, "{}", answer.body);
    assert_eq!(answer.error_code(), "RequestEntityTooLarge");

    // Just under the limit is fine.
    let filler = "x".repeat(1024 * 1024 - 100);
    let ok = post(
        &client,
        &url,
        &token,
        &json!({"externalId": "almost", "subject": filler}),
    )
    .await;
    assert_eq!(ok.status, 201, "{}", ok.body);
}

#[tokio::test]
async fn the_body_limit_is_configurable_and_the_connection_survives() {
    let emulator = Emulator::builder()
        .max_body_bytes(1024)
        .start("127.0.0.1:0")
        .await
        .expect("started");
    let client = client();
    let url = emulator.url(CREATE_OR_GET);
    let token = delegated(TENANT, USER);

    let big = serde_json::to_vec(&json!({"externalId": "x", "subject": "y".repeat(64 * 1024)}))
        .expect("serializable");
    for _ in 0..3 {
        let answer = post_raw(
            &client,
            &url,
            Some(&token),
            Some("application/json"),
            big.clone(),
        )
        .await;
        assert_eq!(answer.status, 413, "{}", answer.body);
        assert_eq!(answer.error_code(), "RequestEntityTooLarge");
    }
    let small = post(&client, &url, &token, &json!({"externalId": "small"})).await;
    assert_eq!(small.status, 201);
}

#[tokio::test]
async fn a_huge_body_is_refused_without_hanging() {
    let emulator = Emulator::builder()
        .max_body_bytes(64)
        .start("127.0.0.1:0")
        .await
        .expect("started");
    let client = client();
    let url = emulator.url(CREATE_OR_GET);
    // Larger than what the emulator drains (16 MiB): it answers early and closes.
    let huge = vec![b' '; 24 * 1024 * 1024];
    let result = client
        .post(&url)
        .bearer_auth(delegated(TENANT, USER))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await;
    if let Ok(response) = result {
        let answer = answer(response).await;
        assert_eq!(answer.status, 413, "{}", answer.body);
    }
    // Either way the emulator keeps serving.
    let after = post(
        &client,
        &url,
        &delegated(TENANT, USER),
        &json!({"externalId": "e"}),
    )
    .await;
    assert_eq!(after.status, 201, "{}", after.body);
}

#[tokio::test]
async fn a_user_id_that_is_not_utf8_is_400() {
    let emulator = start().await;
    let answer = post(
        &client(),
        &emulator.url("/v1.0/users/%FF%FE/onlineMeetings/createOrGet"),
        &application(TENANT),
        &json!({"externalId": "x"}),
    )
    .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.error_code(), "BadRequest");
}

#[tokio::test]
async fn errors_carry_request_ids() {
    let emulator = start().await;
    let client = client();
    let response = client
        .post(emulator.url(CREATE_OR_GET))
        .header("client-request-id", "corr-1")
        .json(&json!({}))
        .send()
        .await
        .expect("answered");
    let answer = answer(response).await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.header("client-request-id"), Some("corr-1"));
    assert_eq!(
        answer.body["error"]["innerError"]["client-request-id"],
        "corr-1"
    );
    answer.error_code();
}
