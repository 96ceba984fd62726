//! Helpers for the `e2e` tests: the bundled emulator on 127.0.0.1, `GraphClient`s
//! aimed at it with emulator tokens, and the checks every Graph answer must pass (the
//! `request-id` and `client-request-id` of successes and errors).

use chrono::{DateTime, FixedOffset};
use graph_online_meetings::types::{OdataError, OnlineMeeting};
use graph_online_meetings::{ApiVersion, Error, GraphClient, GraphError, Response, RetryPolicy};
use graph_online_meetings_emulator::{Emulator, RunningEmulator, TokenKind, fake_token};

pub use crate::common::fast_retries;
pub use graph_online_meetings_emulator::sample::{APP, OTHER_USER, TENANT, USER};

/// Starts an emulator with the default settings on a free port of 127.0.0.1.
pub async fn start() -> RunningEmulator {
    Emulator::start("127.0.0.1:0")
        .await
        .expect("the emulator binds a free port on 127.0.0.1")
}

/// Stops the emulator and waits for it: every test ends with this.
pub async fn stop(emulator: RunningEmulator) {
    emulator
        .shutdown()
        .await
        .expect("the emulator shuts down cleanly within its grace period");
}

/// A client aimed at `emulator` with `token`, `version` and `policy`.
pub fn client_with(
    emulator: &RunningEmulator,
    token: String,
    version: ApiVersion,
    policy: RetryPolicy,
) -> GraphClient {
    GraphClient::builder()
        .base_url(emulator.base_url())
        .api_version(version)
        .bearer_token(token)
        .retry_policy(policy)
        .build()
        .expect("a loopback http base URL and a token are a valid configuration")
}

/// A `v1.0` client with an emulator token for `user` of `tenant`, and fast retries.
pub fn client_as(
    emulator: &RunningEmulator,
    tenant: &str,
    user: &str,
    kind: TokenKind,
) -> GraphClient {
    client_with(
        emulator,
        fake_token(tenant, user, kind),
        ApiVersion::V1,
        fast_retries(),
    )
}

/// A `v1.0` client signed in as [`USER`] of [`TENANT`] (delegated token).
pub fn delegated(emulator: &RunningEmulator) -> GraphClient {
    client_as(emulator, TENANT, USER, TokenKind::Delegated)
}

/// A `v1.0` client with an application token of [`TENANT`] (`oid` [`APP`]).
pub fn application(emulator: &RunningEmulator) -> GraphClient {
    client_as(emulator, TENANT, APP, TokenKind::Application)
}

/// An RFC 3339 date-time.
pub fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("the test's date-time is RFC 3339")
}

/// The `GraphError` of an [`Error::Api`]; any other variant fails the test, naming it.
pub fn api_error(err: &Error) -> &GraphError {
    match err {
        Error::Api(graph) => graph,
        other => panic!("expected Error::Api (an error answer from Graph), got {other:?}"),
    }
}

/// A response header as text.
pub fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Graph's rule for error answers: a `request-id` (header and `innerError`, the same),
/// and the `client-request-id` the client sent, echoed in the header and in `innerError`;
/// the error reports the one the client sent.
pub fn assert_error_ids(err: &Error) {
    let graph = api_error(err);
    let body: &OdataError = graph
        .odata_error()
        .unwrap_or_else(|| panic!("the emulator answers Graph-shaped error bodies: {graph:?}"));
    let inner = body
        .error
        .inner_error
        .as_ref()
        .unwrap_or_else(|| panic!("Graph's error body has innerError: {body:?}"));

    let request_id = err
        .request_id()
        .unwrap_or_else(|| panic!("the error has a request-id: {graph:?}"));
    uuid::Uuid::parse_str(request_id).expect("the request-id is a UUID");
    assert_eq!(Some(request_id), header(graph.headers(), "request-id"));
    assert_eq!(Some(request_id), inner.request_id.as_deref());

    let sent = err
        .client_request_id()
        .unwrap_or_else(|| panic!("the error has the client-request-id sent: {graph:?}"));
    uuid::Uuid::parse_str(sent).expect("the client sends a UUID as client-request-id");
    assert_eq!(graph.client_request_id(), Some(sent));
    assert_eq!(
        header(graph.headers(), "client-request-id"),
        Some(sent),
        "the server echoes the client-request-id the client sent"
    );
    assert_eq!(inner.client_request_id.as_deref(), Some(sent));
    assert_ne!(request_id, sent);
    assert!(
        graph.date().is_some_and(|d| !d.is_empty()),
        "innerError has the date: {graph:?}"
    );
}

/// Graph's rule for successes: a new `request-id` (a UUID) and the `client-request-id` the
/// client sent, echoed.
pub fn assert_response_ids<T>(response: &Response<T>) {
    let request_id = response
        .request_id()
        .expect("a successful answer has a request-id header");
    uuid::Uuid::parse_str(request_id).expect("the request-id is a UUID");
    let sent = response.client_request_id();
    uuid::Uuid::parse_str(sent).expect("the client sends a UUID as client-request-id");
    assert_eq!(
        header(response.headers(), "client-request-id"),
        Some(sent),
        "the server echoes the client-request-id the client sent"
    );
    assert_ne!(request_id, sent);
}

/// The organizer's user id and tenant id, as the emulator fills them from the identity
/// the call acts as.
pub fn organizer(meeting: &OnlineMeeting) -> (String, String) {
    let user = meeting
        .participants
        .as_ref()
        .and_then(|p| p.organizer.as_ref())
        .and_then(|o| o.identity.as_ref())
        .and_then(|i| i.user.as_ref())
        .unwrap_or_else(|| panic!("the meeting names its organizer: {meeting:?}"));
    let id = user.id.clone().expect("the organizer has an id");
    let tenant = user
        .additional_properties
        .get("tenantId")
        .and_then(|v| v.as_str())
        .expect("the organizer identity has a tenantId")
        .to_owned();
    (id, tenant)
}

/// The meeting's `id`.
pub fn id_of(meeting: &OnlineMeeting) -> &str {
    meeting
        .id
        .as_deref()
        .unwrap_or_else(|| panic!("the meeting has an id: {meeting:?}"))
}

/// A notification endpoint for subscriptions: it answers Graph's validation request
/// (`?validationToken=…`) with the token, as `200 text/plain`, and records every request.
pub async fn validating_receiver() -> wiremock::MockServer {
    struct Echo;
    impl wiremock::Respond for Echo {
        fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
            match request
                .url
                .query_pairs()
                .find(|(name, _)| name == "validationToken")
            {
                Some((_, token)) => wiremock::ResponseTemplate::new(200)
                    .insert_header("content-type", "text/plain")
                    .set_body_string(token.into_owned()),
                None => wiremock::ResponseTemplate::new(202),
            }
        }
    }
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(Echo)
        .mount(&server)
        .await;
    server
}
