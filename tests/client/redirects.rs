//! The access token goes only to the configured Graph origin: a redirect to another host
//! (or port) is not followed, so the other host receives nothing, let alone the
//! `Authorization` header; a redirect within the origin is followed.

use crate::support::*;
use graph_online_meetings::{CreateOrGet, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed() {
    // Two servers on 127.0.0.1 with different ports are different origins.
    let graph = MockServer::start().await;
    let attacker = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(meeting_response(201))
        .mount(&attacker)
        .await;
    for status in [301, 302, 303, 307, 308] {
        graph.reset().await;
        let location = format!("{}/v1.0/me/onlineMeetings/createOrGet", attacker.uri());
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(status).insert_header("location", location.as_str()),
            )
            .mount(&graph)
            .await;

        let err = client(&graph)
            .me()
            .create_or_get(&request())
            .await
            .expect_err("not followed");

        let Error::UnexpectedStatus(unexpected) = &err else {
            panic!("expected Error::UnexpectedStatus, got {err:?}");
        };
        assert_eq!(unexpected.status(), status);
        assert_eq!(unexpected.location(), Some(location.as_str()));
        assert!(err.to_string().contains("not followed"), "{err}");
        assert!(!err.to_string().contains(TOKEN));
        assert_eq!(received(&graph).await.len(), 1);
    }
    let leaked = received(&attacker).await;
    assert!(leaked.is_empty(), "the other host received {leaked:?}");
}

#[tokio::test]
async fn a_redirect_within_the_graph_origin_is_followed_with_the_token() {
    let graph = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CREATE_OR_GET_PATH))
        .respond_with(
            ResponseTemplate::new(307).insert_header("location", "/v1.0/moved/createOrGet"),
        )
        .mount(&graph)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/moved/createOrGet"))
        .respond_with(meeting_response(201))
        .mount(&graph)
        .await;

    let outcome = client(&graph)
        .me()
        .create_or_get(&request())
        .await
        .expect("followed");

    assert!(matches!(*outcome, CreateOrGet::Created(_)));
    let requests = received(&graph).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(
        header(&requests[1], "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    // A 307 keeps the method and the body.
    assert_eq!(requests[1].body, requests[0].body);
}

#[tokio::test]
async fn reqwest_itself_strips_authorization_across_ports() {
    // What this crate's policy makes moot, checked anyway: reqwest's default policy
    // treats another port on the same host as another origin and drops Authorization.
    let first = MockServer::start().await;
    let second = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/next", second.uri()).as_str()),
        )
        .mount(&first)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&second)
        .await;

    let response = reqwest::Client::new()
        .post(format!("{}/start", first.uri()))
        .bearer_auth(TOKEN)
        .body("{}")
        .send()
        .await
        .expect("followed");

    assert_eq!(response.status(), 204);
    let requests = received(&second).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(header(&requests[0], "authorization"), None);
}
