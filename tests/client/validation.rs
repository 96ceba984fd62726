//! The rules Graph documents are checked before sending: `externalId` is required and
//! not empty; `endDateTime` needs a `startDateTime` and is not earlier than it. A request
//! that breaks one gets a clear error and nothing is sent.

use crate::support::*;
use chrono::{DateTime, FixedOffset};
use graph_online_meetings::types::{CreateOrGetRequest, OnlineMeeting};
use graph_online_meetings::{Error, ValidationError};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("RFC 3339")
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(meeting_response(201))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn an_empty_external_id_is_rejected() {
    let server = server().await;
    let client = client(&server);

    let err = client
        .me()
        .create_or_get(&CreateOrGetRequest::new(""))
        .await
        .expect_err("invalid");
    assert!(
        matches!(
            err,
            Error::Validation(ValidationError::Empty { name: "externalId" })
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "invalid request, not sent: externalId must not be empty"
    );
    let err = client
        .user("adele@contoso.com")
        .create_or_get(&CreateOrGetRequest::new(""))
        .await
        .expect_err("invalid");
    assert!(matches!(
        err,
        Error::Validation(ValidationError::Empty { name: "externalId" })
    ));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn an_end_without_a_start_is_rejected() {
    let server = server().await;
    let client = client(&server);
    let mut request = request();
    request.end_date_time = Some(at("2026-03-01T10:00:00Z"));
    let meeting = OnlineMeeting::default().with_end_date_time(at("2026-03-01T10:00:00Z"));

    let err = client
        .me()
        .create_or_get(&request)
        .await
        .expect_err("invalid");
    assert!(
        matches!(
            err,
            Error::Validation(ValidationError::EndWithoutStart { .. })
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("endDateTime"), "{err}");
    let err = client.me().create(&meeting).await.expect_err("invalid");
    assert!(matches!(
        err,
        Error::Validation(ValidationError::EndWithoutStart { .. })
    ));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn an_end_before_the_start_is_rejected() {
    let server = server().await;
    let client = client(&server);
    let request = request().with_times(at("2026-03-01T10:00:00Z"), at("2026-03-01T09:59:59Z"));
    let meeting = OnlineMeeting::default()
        .with_start_date_time(at("2026-03-01T10:00:00+01:00"))
        .with_end_date_time(at("2026-03-01T08:30:00Z"));

    let err = client
        .me()
        .create_or_get(&request)
        .await
        .expect_err("invalid");
    assert_eq!(
        err.to_string(),
        "invalid request, not sent: endDateTime (2026-03-01 09:59:59 +00:00) is earlier than \
         startDateTime (2026-03-01 10:00:00 +00:00)"
    );
    let err = client.me().create(&meeting).await.expect_err("invalid");
    assert!(matches!(
        err,
        Error::Validation(ValidationError::EndBeforeStart { .. })
    ));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn valid_requests_are_sent() {
    let server = server().await;
    let client = client(&server);
    // Instants are compared, not wall-clock texts: 10:00+02:00 is before 09:30Z.
    let offsets = request().with_times(at("2026-03-01T10:00:00+02:00"), at("2026-03-01T09:30:00Z"));
    let same = request().with_times(at("2026-03-01T10:00:00Z"), at("2026-03-01T10:00:00Z"));
    let start_only = request().with_start_date_time(at("2026-03-01T10:00:00Z"));

    for request in [offsets, same, start_only, CreateOrGetRequest::new("x")] {
        assert_eq!(request.validate(), Ok(()));
        client.me().create_or_get(&request).await.expect("sent");
    }
    client
        .me()
        .create(&OnlineMeeting::default())
        .await
        .expect("sent");
    assert_eq!(received(&server).await.len(), 5);
}
