//! A `userId` stays one path segment: everything but the unreserved characters is
//! percent-encoded, and `.`, `..` or an empty `userId` (which URL parsing would resolve
//! to another path, encoded or not) are rejected before anything is sent.

use crate::support::*;
use graph_online_meetings::{Error, ValidationError};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

async fn path_sent_for(user_id: &str) -> (String, Option<String>) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(meeting_response(201))
        .mount(&server)
        .await;
    client(&server)
        .user(user_id)
        .create_or_get(&request())
        .await
        .expect("201");
    let sent = received(&server).await.remove(0);
    (
        sent.url.path().to_owned(),
        sent.url.query().map(str::to_owned),
    )
}

#[tokio::test]
async fn a_user_id_with_separators_is_one_encoded_segment() {
    let (path, query) = path_sent_for("a/../b?x=1#y").await;
    assert_eq!(
        path,
        "/v1.0/users/a%2F..%2Fb%3Fx%3D1%23y/onlineMeetings/createOrGet"
    );
    assert_eq!(query, None);
}

#[tokio::test]
async fn other_awkward_user_ids_stay_in_their_segment() {
    for (user_id, segment) in [
        (r"a\..\b", r"a%5C..%5Cb"),
        ("%2e%2e", "%252e%252e"),
        ("adele.vance@contoso.com", "adele.vance%40contoso.com"),
        ("Zoë Ü", "Zo%C3%AB%20%C3%9C"),
        ("...", "..."),
        (
            "1f35f2e6-9cab-44ad-8d5a-b74c14720000",
            "1f35f2e6-9cab-44ad-8d5a-b74c14720000",
        ),
    ] {
        let (path, query) = path_sent_for(user_id).await;
        assert_eq!(
            path,
            format!("/v1.0/users/{segment}/onlineMeetings/createOrGet"),
            "{user_id:?}"
        );
        assert_eq!(query, None);
    }
}

#[tokio::test]
async fn dot_segments_and_empty_user_ids_are_rejected_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(meeting_response(201))
        .mount(&server)
        .await;
    let client = client(&server);

    for user_id in [".", "..", ""] {
        let err = client
            .user(user_id)
            .create_or_get(&request())
            .await
            .expect_err("rejected");
        assert!(
            matches!(
                err,
                Error::Validation(
                    ValidationError::DotSegment { name: "userId", .. }
                        | ValidationError::Empty { name: "userId" }
                )
            ),
            "{user_id:?}: {err:?}"
        );
    }
    assert!(
        received(&server).await.is_empty(),
        "nothing reached any path"
    );
}

/// The raw client skips the argument checks, but not the check of where a request goes:
/// the URL parser resolves `/users/../` away, which would call
/// `/v1.0/onlineMeetings/createOrGet`. An empty user id leaves the path's shape as it is
/// and is sent (Graph answers it).
#[tokio::test]
async fn the_raw_client_refuses_a_user_id_that_left_its_segment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(meeting_response(201))
        .mount(&server)
        .await;
    let client = client(&server);

    for user_id in ["..", "."] {
        let err = client
            .raw()
            .create_or_get_online_meeting_for_user(user_id, &request())
            .await
            .expect_err("refused");
        assert!(err.to_string().contains("shape"), "{user_id:?}: {err}");
    }
    assert!(received(&server).await.is_empty());
    client
        .raw()
        .create_or_get_online_meeting_for_user("", &request())
        .await
        .expect("sent");
    let sent = received(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].url.path(),
        "/v1.0/users//onlineMeetings/createOrGet"
    );
}

/// The generated client itself encodes path parameters into one segment (the codegen's
/// `paths` transform replaces progenitor's `encode_path`, which leaves `\` alone; URL
/// parsing reads `\` as `/`, so `a\..\b` would otherwise call `/users/b/...`).
#[tokio::test]
async fn the_raw_client_keeps_backslashes_in_their_segment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(meeting_response(201))
        .mount(&server)
        .await;
    let client = client(&server);

    let meeting = client
        .raw()
        .create_or_get_online_meeting_for_user(r"a\..\b", &request())
        .await
        .expect("sent to the right path");
    assert_eq!(meeting.status().as_u16(), 201);
    let sent = received(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].url.path(),
        "/v1.0/users/a%5C..%5Cb/onlineMeetings/createOrGet"
    );
}
