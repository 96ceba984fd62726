//! End to end against the bundled emulator (`graph-online-meetings-emulator` on
//! 127.0.0.1): the outcomes, Graph-shaped errors, throttling and the no-retry rule for a
//! plain create, with the emulator's own request counters.

use graph_online_meetings::types::{CreateOrGetRequest, OnlineMeeting};
use graph_online_meetings::{CreateOrGet, Error, GraphClient, RetryPolicy};
use graph_online_meetings_emulator::{Emulator, Fault, Operation, TokenKind, fake_token};

const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const USER: &str = "550fae72-d251-43ec-868c-373732c2704f";

fn client(base_url: &str, kind: TokenKind) -> GraphClient {
    GraphClient::builder()
        .base_url(base_url)
        .bearer_token(fake_token(TENANT, USER, kind))
        .retry_policy(
            RetryPolicy::default().with_initial_backoff(std::time::Duration::from_millis(5)),
        )
        .build()
        .expect("a valid configuration")
}

#[tokio::test]
async fn create_or_get_creates_then_finds() {
    let emulator = Emulator::start("127.0.0.1:0").await.expect("starts");
    let client = client(emulator.base_url(), TokenKind::Delegated);
    let request = CreateOrGetRequest::new("order-42").with_subject("Kick-off");

    let first = client.create_or_get(&request).await.expect("first");
    let second = client.create_or_get(&request).await.expect("second");

    let (CreateOrGet::Created(created), CreateOrGet::Existing(existing)) = (&first, &second) else {
        panic!("expected Created then Existing, got {first:?} and {second:?}");
    };
    assert_eq!(created.id, existing.id);
    assert_eq!(emulator.meeting_count(), 1);
    emulator.shutdown().await.expect("shuts down");
}

#[tokio::test]
async fn throttling_is_retried_and_a_failed_create_is_not() {
    let emulator = Emulator::start("127.0.0.1:0").await.expect("starts");
    let client = client(emulator.base_url(), TokenKind::Delegated);

    emulator
        .faults()
        .fail_next(1, Fault::throttle("0.5"))
        .expect("fault");
    let outcome = client
        .create_or_get(&CreateOrGetRequest::new("order-43"))
        .await
        .expect("retried");
    assert!(outcome.is_created());
    assert_eq!(emulator.stats().count(Operation::CreateOrGetMe), 2);

    emulator
        .faults()
        .fail_next(1, Fault::unavailable())
        .expect("fault");
    let err = client
        .create_online_meeting(&OnlineMeeting::default())
        .await
        .expect_err("503 is not retried for a create");
    let Error::Api(graph) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(graph.status(), 503);
    assert_eq!(graph.code(), Some("ServiceUnavailable"));
    assert!(graph.request_id().is_some());
    assert_eq!(emulator.stats().count(Operation::CreateMe), 1);
    emulator.shutdown().await.expect("shuts down");
}

#[tokio::test]
async fn graph_errors_come_through_with_their_fields() {
    let emulator = Emulator::start("127.0.0.1:0").await.expect("starts");
    // /me with an application token is a 400 in Graph and in the emulator.
    let client = client(emulator.base_url(), TokenKind::Application);

    let err = client
        .create_or_get(&CreateOrGetRequest::new("order-44"))
        .await
        .expect_err("400");

    let Error::Api(graph) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(graph.status(), 400);
    assert_eq!(graph.code(), Some("BadRequest"));
    assert!(graph.message().is_some_and(|m| m.contains("/me")));
    assert_eq!(graph.client_request_id(), err.client_request_id());
    assert!(
        err.to_string().starts_with("400 Bad Request: BadRequest: "),
        "{err}"
    );

    // On behalf of a user, an application token works.
    let outcome = client
        .create_or_get_for_user(USER, &CreateOrGetRequest::new("order-44"))
        .await
        .expect("for a user");
    assert!(outcome.is_created());
    emulator.shutdown().await.expect("shuts down");
}
