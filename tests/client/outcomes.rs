//! createOrGet's two successes are two outcomes: `201` is `Created`, `200` is `Existing`;
//! a plain create returns the meeting; every call goes to `{base}/{version}/…`.

use crate::support::*;
use graph_online_meetings::types::{OnlineMeeting, OnlineMeetingPresenters};
use graph_online_meetings::{ApiVersion, CreateOrGet, GraphClient};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

#[tokio::test]
async fn create_or_get_201_is_created() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CREATE_OR_GET_PATH))
        .respond_with(meeting_response(201))
        .expect(1)
        .mount(&server)
        .await;

    let outcome = client(&server)
        .me()
        .create_or_get(&request())
        .await
        .expect("201");

    let CreateOrGet::Created(meeting) = &*outcome else {
        panic!("expected Created, got {outcome:?}");
    };
    assert_eq!(
        meeting.id.as_deref(),
        Some("MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZi")
    );
    assert!(outcome.is_created());
    assert_eq!(outcome.status(), 201);
    // The body sent is the request, externalId included.
    let sent = &received(&server).await[0];
    let body: serde_json::Value = sent.body_json().expect("JSON body");
    assert_eq!(
        body,
        json!({"externalId": "7eb8263f-d0e0-4149-bb1c-1f0476083c56", "subject": "Planning"})
    );
}

#[tokio::test]
async fn create_or_get_200_is_existing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CREATE_OR_GET_PATH))
        .respond_with(meeting_response(200))
        .expect(1)
        .mount(&server)
        .await;

    let outcome = client(&server)
        .me()
        .create_or_get(&request())
        .await
        .expect("200");

    match outcome.into_inner() {
        CreateOrGet::Existing(meeting) => {
            assert_eq!(
                meeting.external_id.as_deref(),
                Some(request().external_id.as_str())
            );
        }
        CreateOrGet::Created(_) => panic!("a 200 is an existing meeting"),
    }
}

#[tokio::test]
async fn create_or_get_for_user_addresses_the_user() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/v1.0/users/1f35f2e6-9cab-44ad-8d5a-b74c14720000/onlineMeetings/createOrGet",
        ))
        .respond_with(meeting_response(200))
        .expect(1)
        .mount(&server)
        .await;

    let outcome = client(&server)
        .user("1f35f2e6-9cab-44ad-8d5a-b74c14720000")
        .create_or_get(&request())
        .await
        .expect("200");

    assert!(matches!(*outcome, CreateOrGet::Existing(_)));
}

#[tokio::test]
async fn create_returns_the_meeting_and_keeps_what_the_model_does_not_know() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(meeting_response(201))
        .expect(1)
        .mount(&server)
        .await;

    let meeting = OnlineMeeting::default().with_subject("User Token Meeting");
    let created: OnlineMeeting = client(&server)
        .me()
        .create(&meeting)
        .await
        .expect("201")
        .into_inner();

    assert_eq!(
        created.allowed_presenters,
        Some(OnlineMeetingPresenters::Other("someFutureValue".into()))
    );
    assert!(created.additional_properties.contains_key("@odata.context"));
    let body: serde_json::Value = received(&server).await[0].body_json().expect("JSON");
    assert_eq!(body, json!({"subject": "User Token Meeting"}));
}

#[tokio::test]
async fn the_response_facts_are_reachable_from_a_success() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CREATE_OR_GET_PATH))
        .respond_with(meeting_response(201))
        .mount(&server)
        .await;

    let response = client(&server)
        .me()
        .create_or_get(&request())
        .await
        .expect("201");

    assert_eq!(response.status(), 201);
    assert_eq!(
        response.request_id(),
        Some("5c7e1d3a-0000-4d2b-9a7e-response-id")
    );
    assert_eq!(response.attempts(), 1);
    let sent = &received(&server).await[0];
    assert_eq!(
        header(sent, "client-request-id"),
        Some(response.client_request_id())
    );
    assert!(
        response.is_created(),
        "the response dereferences to the outcome"
    );
    let meeting = response.into_inner().into_meeting();
    assert_eq!(
        meeting.subject.as_deref(),
        Some("Create a meeting with customId provided")
    );
}

#[tokio::test]
async fn base_url_replaces_the_host_and_keeps_the_version_segment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/beta/me/onlineMeetings/createOrGet"))
        .respond_with(meeting_response(201))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/graph/v1.0/me/onlineMeetings"))
        .respond_with(meeting_response(201))
        .expect(1)
        .mount(&server)
        .await;

    let beta = builder(&server)
        .api_version(ApiVersion::Beta)
        .build()
        .expect("valid");
    assert_eq!(beta.base_url().as_str(), format!("{}/beta", server.uri()));
    beta.me().create_or_get(&request()).await.expect("beta");

    // A path on the base URL is kept as a prefix (a proxy, for example).
    let prefixed = GraphClient::builder()
        .base_url(format!("{}/graph/", server.uri()))
        .bearer_token(TOKEN)
        .build()
        .expect("valid");
    prefixed
        .me()
        .create(&OnlineMeeting::default())
        .await
        .expect("prefixed");
}
