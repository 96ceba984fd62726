//! What every request carries: `Prefer: include-unknown-enum-members` (unless turned
//! off), `Accept-Language` when set, a `User-Agent` naming this crate, a fresh UUID as
//! `client-request-id`, JSON content headers; and what it does not: progenitor's
//! `api-version` header.

use crate::support::*;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

async fn one_request(
    builder: graph_online_meetings::GraphClientBuilder,
    server: &MockServer,
) -> wiremock::Request {
    builder
        .build()
        .expect("valid")
        .me()
        .create_or_get(&request())
        .await
        .expect("201");
    received(server).await.remove(0)
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
async fn default_headers() {
    let server = server().await;
    let sent = one_request(builder(&server), &server).await;

    assert_eq!(
        header(&sent, "prefer"),
        Some("include-unknown-enum-members")
    );
    assert_eq!(
        header(&sent, "user-agent"),
        Some(concat!("graph-online-meetings/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(header(&sent, "content-type"), Some("application/json"));
    assert_eq!(header(&sent, "accept"), Some("application/json"));
    assert_eq!(header(&sent, "accept-language"), None);
    let id = header(&sent, "client-request-id").expect("a client-request-id");
    let uuid = uuid::Uuid::parse_str(id).expect("a UUID");
    assert_eq!(uuid.get_version_num(), 4);
}

#[tokio::test]
async fn progenitors_api_version_header_is_not_sent() {
    let server = server().await;
    let sent = one_request(builder(&server), &server).await;

    assert!(
        !sent.headers.contains_key("api-version"),
        "{:?}",
        sent.headers
    );
    // The version is in the path instead.
    assert!(sent.url.path().starts_with("/v1.0/"));
}

#[tokio::test]
async fn accept_language_is_sent_when_set() {
    let server = server().await;
    let sent = one_request(builder(&server).accept_language("ja-JP"), &server).await;

    assert_eq!(header(&sent, "accept-language"), Some("ja-JP"));
}

/// A preference the caller gives goes out with the client's own, as one header.
#[tokio::test]
async fn the_caller_s_preferences_and_the_client_s_are_one_header() {
    let server = server().await;
    let sent = one_request(
        builder(&server)
            .prefer("outlook.timezone=\"Pacific Standard Time\"")
            .prefer("odata.maxpagesize=5"),
        &server,
    )
    .await;

    let values: Vec<_> = sent.headers.get_all("prefer").iter().collect();
    assert_eq!(values.len(), 1, "{values:?}");
    assert_eq!(
        header(&sent, "prefer"),
        Some(
            "outlook.timezone=\"Pacific Standard Time\", odata.maxpagesize=5, \
             include-unknown-enum-members"
        )
    );
}

#[tokio::test]
async fn prefer_can_be_turned_off() {
    let server = server().await;
    let sent = one_request(
        builder(&server).include_unknown_enum_members(false),
        &server,
    )
    .await;

    assert_eq!(header(&sent, "prefer"), None);
}

#[tokio::test]
async fn each_call_gets_its_own_client_request_id() {
    let server = server().await;
    let client = client(&server);
    let first = client.me().create_or_get(&request()).await.expect("201");
    let second = client.me().create_or_get(&request()).await.expect("201");

    assert_ne!(first.client_request_id(), second.client_request_id());
    for id in [first.client_request_id(), second.client_request_id()] {
        let parsed = uuid::Uuid::try_parse(id).expect("a UUID");
        assert_eq!(parsed.get_version(), Some(uuid::Version::Random), "{id}");
        assert_eq!(
            parsed.hyphenated().to_string(),
            id,
            "lower-case, hyphenated"
        );
    }
    let sent: Vec<_> = received(&server)
        .await
        .iter()
        .map(|r| header(r, "client-request-id").map(str::to_owned))
        .collect();
    assert_eq!(
        sent,
        [
            Some(first.client_request_id().to_owned()),
            Some(second.client_request_id().to_owned())
        ]
    );
}

#[tokio::test]
async fn an_invalid_accept_language_is_a_builder_error() {
    let server = server().await;
    let err = builder(&server)
        .accept_language("ja\nJP")
        .build()
        .expect_err("not a header value");
    assert!(
        matches!(err, graph_online_meetings::Error::Config(_)),
        "{err:?}"
    );
}
