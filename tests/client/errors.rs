//! Errors are typed and keep what Graph said: status, `code`, `message`, `request-id`,
//! `client-request-id`, `date`, `Retry-After`; bodies that are not Graph errors (an
//! HTML page from a gateway, an empty `401`) keep their status; decoding, transport and
//! timeout failures are distinct variants.

use std::time::Duration;

use crate::support::*;
use graph_online_meetings::types::OnlineMeeting;
use graph_online_meetings::{Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn access_denied() -> serde_json::Value {
    json!({
        "error": {
            "code": "ErrorAccessDenied",
            "message": "No application access policy found",
            "innerError": {
                "date": "2019-07-11T02:17:17",
                "request-id": "9a1c5e9b-6a2c-4c1b-8b5f-0d1e2f3a4b5c",
                "client-request-id": "9a1c5e9b-6a2c-4c1b-8b5f-0d1e2f3a4b5c"
            }
        }
    })
}

async fn answer(template: ResponseTemplate) -> (MockServer, Error) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(template)
        .mount(&server)
        .await;
    let err = client(&server)
        .me()
        .create_or_get(&request())
        .await
        .expect_err("an error response");
    (server, err)
}

#[tokio::test]
async fn a_graph_error_exposes_its_fields_and_reads_well() {
    let (server, err) = answer(
        ResponseTemplate::new(403)
            .insert_header("request-id", "9a1c5e9b-6a2c-4c1b-8b5f-0d1e2f3a4b5c")
            .insert_header("date", "Thu, 11 Jul 2019 02:17:17 GMT")
            .set_body_json(access_denied()),
    )
    .await;

    assert_eq!(
        err.to_string(),
        "403 Forbidden: ErrorAccessDenied: No application access policy found \
         (request-id 9a1c5e9b-6a2c-4c1b-8b5f-0d1e2f3a4b5c)"
    );
    let Error::Api(graph) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(graph.status(), 403);
    assert_eq!(graph.code(), Some("ErrorAccessDenied"));
    assert_eq!(graph.message(), Some("No application access policy found"));
    assert_eq!(
        graph.request_id(),
        Some("9a1c5e9b-6a2c-4c1b-8b5f-0d1e2f3a4b5c")
    );
    assert_eq!(graph.date(), Some("2019-07-11T02:17:17"));
    assert_eq!(graph.retry_after(), None);
    assert!(graph.odata_error().is_some());
    assert_eq!(graph.body_snippet(), None);
    // The client-request-id is the one this client sent.
    let sent = &received(&server).await[0];
    assert_eq!(graph.client_request_id(), header(sent, "client-request-id"));
    assert_eq!(err.client_request_id(), header(sent, "client-request-id"));
    assert_eq!(err.status(), Some(reqwest::StatusCode::FORBIDDEN));
    assert_eq!(
        err.request_id(),
        Some("9a1c5e9b-6a2c-4c1b-8b5f-0d1e2f3a4b5c")
    );
}

#[tokio::test]
async fn an_html_502_from_a_proxy_keeps_its_status() {
    let html = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "x".repeat(5000)
    );
    let (_server, err) = answer(
        ResponseTemplate::new(502)
            .insert_header("request-id", "gateway-request-id")
            .set_body_raw(html.clone(), "text/html"),
    )
    .await;

    let Error::Api(graph) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(graph.status(), 502);
    assert_eq!(graph.code(), None);
    assert_eq!(graph.message(), None);
    let snippet = graph.body_snippet().expect("a snippet of the page");
    assert!(snippet.starts_with("<html><head><title>502 Bad Gateway"));
    assert!(snippet.len() <= 515, "bounded: {} bytes", snippet.len());
    assert_eq!(
        err.to_string(),
        format!(
            "502 Bad Gateway: no Graph error in the response body (text/html, {} bytes) \
             (request-id gateway-request-id)",
            html.len()
        )
    );
}

#[tokio::test]
async fn an_empty_401_keeps_its_status_and_headers() {
    let (_server, err) = answer(ResponseTemplate::new(401).insert_header(
        "www-authenticate",
        "Bearer realm=\"\", error=\"invalid_token\"",
    ))
    .await;

    let Error::Api(graph) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(graph.status(), 401);
    assert_eq!(graph.code(), None);
    assert!(graph.headers().contains_key("www-authenticate"));
    let display = err.to_string();
    assert!(
        display.starts_with("401 Unauthorized: empty response body"),
        "{display}"
    );
}

#[tokio::test]
async fn a_graph_error_without_a_message_keeps_its_code() {
    let (_server, err) =
        answer(ResponseTemplate::new(400).set_body_json(json!({"error": {"code": "BadRequest"}})))
            .await;

    let Error::Api(graph) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(graph.code(), Some("BadRequest"));
    assert_eq!(graph.message(), None);
    assert!(err.to_string().starts_with("400 Bad Request: BadRequest"));
}

#[tokio::test]
async fn retry_after_is_exposed_as_seconds_or_from_a_date() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0.5")
                .set_body_json(
                    json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
                ),
        )
        .mount(&server)
        .await;
    let no_retries = builder(&server)
        .retry_policy(RetryPolicy::disabled())
        // The second call must reach the server despite the first one's 429.
        .shared_throttling(false)
        .build()
        .expect("valid");

    let err = no_retries
        .me()
        .create_or_get(&request())
        .await
        .expect_err("429");
    assert_eq!(err.retry_after(), Some(Duration::from_millis(500)));
    assert!(err.is_status(reqwest::StatusCode::TOO_MANY_REQUESTS));

    server.reset().await;
    let in_a_minute =
        httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(60));
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", in_a_minute.as_str()))
        .mount(&server)
        .await;
    let err = no_retries
        .me()
        .create_or_get(&request())
        .await
        .expect_err("503");
    let after = err.retry_after().expect("a Retry-After date");
    assert!(
        after > Duration::from_secs(50) && after <= Duration::from_secs(60),
        "{after:?}"
    );
}

#[tokio::test]
async fn an_undecodable_success_is_a_decode_error_with_status_and_snippet() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("request-id", "undecodable-1")
                .set_body_raw(
                    format!("{{\"id\": 5, \"padding\": \"{}\"}}", "y".repeat(4000)),
                    "application/json",
                ),
        )
        .mount(&server)
        .await;

    let err = client(&server)
        .me()
        .create(&OnlineMeeting::default())
        .await
        .expect_err("undecodable");

    let Error::Decode(decode) = &err else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert_eq!(decode.status(), Some(reqwest::StatusCode::CREATED));
    assert_eq!(err.request_id(), Some("undecodable-1"));
    assert!(decode.body_snippet().starts_with("{\"id\": 5"));
    assert!(decode.body_snippet().len() <= 515);
    let display = err.to_string();
    assert!(
        display.starts_with("could not decode the 201 Created response body"),
        "{display}"
    );
    assert!(display.len() < 1200, "the message is bounded too");
}

#[tokio::test]
async fn an_undocumented_status_is_unexpected() {
    let (_server, err) = answer(ResponseTemplate::new(204)).await;
    let Error::UnexpectedStatus(unexpected) = &err else {
        panic!("expected Error::UnexpectedStatus, got {err:?}");
    };
    assert_eq!(unexpected.status(), 204);
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // A port that was just free: nothing listens there.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let client = graph_online_meetings::GraphClient::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .bearer_token(TOKEN)
        .build()
        .expect("valid");

    let err = client
        .me()
        .create(&OnlineMeeting::default())
        .await
        .expect_err("nothing listens");

    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.client_request_id().is_some());
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(meeting_response(201).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .expect("valid");

    let err = client
        .me()
        .create(&OnlineMeeting::default())
        .await
        .expect_err("too slow");

    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

#[tokio::test]
async fn builder_errors_are_config_errors() {
    let err = graph_online_meetings::GraphClient::builder()
        .build()
        .expect_err("no token provider");
    assert!(matches!(err, Error::Config(_)));
    assert!(err.to_string().contains("token provider"), "{err}");
}
