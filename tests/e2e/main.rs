//! End to end: `GraphClient` against the bundled emulator (`graph-online-meetings-emulator`
//! on 127.0.0.1). What is checked here is what only the two together show: every
//! operation in both versions, createOrGet's `201`/`200` becoming `Created`/`Existing`,
//! path segments arriving intact, the ids of every answer, unknown properties both ways,
//! a retried create making one meeting, and simultaneous createOrGet calls under
//! throttling making one meeting; the lifecycle (`lifecycle`) and the emulator's
//! conformance to the spec (`conformance`).
//!
//! The emulator's own rules (time rules, identity, errors) are tested in
//! `emulator/tests`, and the client's retries and validation against wiremock in
//! `tests/client`; they are not repeated here. Every test counts requests with the
//! emulator's own counters; none asserts a timing. Every test shuts its emulator down.

mod artifacts;
#[path = "../common/mod.rs"]
mod common;
mod conformance;
mod lifecycle;
mod load;
#[cfg(feature = "axum")]
mod notifications;
mod subscriptions;
mod support;
mod throttling;

use std::collections::HashSet;
use std::sync::Arc;

use graph_online_meetings::types::{CreateOrGetRequest, OnlineMeeting};
use graph_online_meetings::{ApiVersion, CreateOrGet};
use graph_online_meetings_emulator::{
    Fault, Route, TokenKind, VersionSegment as EmulatorVersion, fake_token, fake_token_from_claims,
};
use serde_json::json;
use support::*;

// ---------------------------------------------------------------------------------------
// Every operation, in both versions
// ---------------------------------------------------------------------------------------

/// Every operation (create, createOrGet for `/me`, createOrGet for `/users/{id}`) works
/// under both `v1.0` and `beta`: the client calls the version it was built with (the
/// emulator counts each call under that version, and the answer's `@odata.context`
/// names it).
#[tokio::test]
async fn every_operation_works_under_v1_and_beta() {
    let emulator = start().await;
    let stats = emulator.stats();

    for (version, segment, emulated) in [
        (ApiVersion::V1, "v1.0", EmulatorVersion::V1),
        (ApiVersion::Beta, "beta", EmulatorVersion::Beta),
    ] {
        let me = client_with(
            &emulator,
            fake_token(TENANT, USER, TokenKind::Delegated),
            version,
            fast_retries(),
        );
        let app = client_with(
            &emulator,
            fake_token(TENANT, APP, TokenKind::Application),
            version,
            fast_retries(),
        );
        assert_eq!(me.base_url().path(), format!("/{segment}"));
        let context = format!("https://graph.microsoft.com/{segment}/$metadata#users(");
        let context_of = |meeting: &OnlineMeeting| {
            meeting
                .additional_properties
                .get("@odata.context")
                .and_then(|v| v.as_str())
                .unwrap_or_else(|| panic!("Graph sends @odata.context: {meeting:?}"))
                .to_owned()
        };

        let created = me
            .me()
            .create(&OnlineMeeting::default().with_subject(format!("create {segment}")))
            .await
            .expect("create");
        assert_eq!(created.status(), 201);
        assert_eq!(
            created.subject.as_deref(),
            Some(&*format!("create {segment}"))
        );
        assert!(context_of(&created).starts_with(&context), "{created:?}");
        // The beta-only property the emulator sends is kept (an unknown property here).
        assert_eq!(
            created
                .additional_properties
                .contains_key("autoAdmittedUsers"),
            version == ApiVersion::Beta,
            "{created:?}"
        );

        let request = CreateOrGetRequest::new(format!("every-operation-{segment}"));
        let mine = me
            .me()
            .create_or_get(&request)
            .await
            .expect("createOrGet /me");
        assert!(mine.is_created(), "{mine:?}");
        assert!(context_of(mine.meeting()).starts_with(&context));

        let theirs = app
            .user(OTHER_USER)
            .create_or_get(&request)
            .await
            .expect("createOrGet /users/{id}");
        assert!(theirs.is_created(), "{theirs:?}");
        assert!(context_of(theirs.meeting()).starts_with(&context));

        for operation in [
            Route::CreateMe,
            Route::CreateOrGetMe,
            Route::CreateOrGetUser,
        ] {
            assert_eq!(
                stats.count_in(operation, emulated),
                1,
                "{operation} in {segment}"
            );
        }
    }
    assert_eq!(stats.total(), 6);
    assert_eq!(emulator.meeting_count(), 6);
    stop(emulator).await;
}

// ---------------------------------------------------------------------------------------
// createOrGet: tenant + user + externalId
// ---------------------------------------------------------------------------------------

/// createOrGet (`/me`): the first call creates (`201`, `CreateOrGet::Created`), a later one
/// with the same `externalId` returns the same meeting (`200`, `Existing`): the same id,
/// join URL and times, unchanged even though the later body asks for another subject.
#[tokio::test]
async fn create_or_get_creates_then_returns_the_same_meeting() {
    let emulator = start().await;
    let client = delegated(&emulator);
    let request = CreateOrGetRequest::new("order-42").with_subject("Kick-off");

    let first = client
        .me()
        .create_or_get(&request)
        .await
        .expect("first createOrGet");
    let second = client
        .me()
        .create_or_get(&request.clone().with_subject("Renamed"))
        .await
        .expect("second createOrGet");

    let (CreateOrGet::Created(created), CreateOrGet::Existing(existing)) =
        (first.value(), second.value())
    else {
        panic!("expected Created then Existing, got {first:?} and {second:?}");
    };
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (201, 200)
    );
    assert_eq!(
        (
            first.value().status().as_u16(),
            second.value().status().as_u16()
        ),
        (201, 200)
    );
    assert_eq!(id_of(created), id_of(existing));
    assert!(created.join_web_url.is_some(), "{created:?}");
    assert_eq!(created.join_web_url, existing.join_web_url);
    assert_eq!(created.start_date_time, existing.start_date_time);
    assert_eq!(created.end_date_time, existing.end_date_time);
    assert_eq!(created.external_id.as_deref(), Some("order-42"));
    assert_eq!(existing.subject.as_deref(), Some("Kick-off"));
    assert_eq!(emulator.meeting_count(), 1);
    assert_eq!(emulator.stats().count(Route::CreateOrGetMe), 2);
    stop(emulator).await;
}

/// createOrGet for a user (`/users/{id}`, application token): `201` then `200` with the
/// same meeting, like `/me`.
#[tokio::test]
async fn create_or_get_for_user_creates_then_returns_the_same_meeting() {
    let emulator = start().await;
    let client = application(&emulator);
    let request = CreateOrGetRequest::new("order-43").with_subject("Review");

    let first = client
        .user(USER)
        .create_or_get(&request)
        .await
        .expect("first createOrGet for the user");
    let second = client
        .user(USER)
        .create_or_get(&request)
        .await
        .expect("second createOrGet for the user");

    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (201, 200)
    );
    assert!(first.is_created() && !second.is_created());
    assert_eq!(id_of(first.meeting()), id_of(second.meeting()));
    assert_eq!(first.meeting().join_web_url, second.meeting().join_web_url);
    assert_eq!(emulator.meeting_count(), 1);
    assert_eq!(emulator.stats().count(Route::CreateOrGetUser), 2);
    stop(emulator).await;
}

/// A `userId` is one path segment end to end: a userPrincipalName (`@` percent-encoded)
/// and an id full of reserved characters (`/ ? # %`) reach the emulator's
/// `/users/{userId}` route intact (no 404), and the meeting is organized by exactly that
/// id; the id compares case-insensitively. A delegated token whose `upn` is the
/// userPrincipalName in the path acts for its own user, so `/me` then finds that meeting.
#[tokio::test]
async fn user_ids_reach_the_emulator_as_one_path_segment() {
    let emulator = start().await;
    let app = application(&emulator);
    let upn = "adele.vance@contoso.com";
    let odd = "a/b?c=1#d%2e..";
    let request = CreateOrGetRequest::new("segment");

    for user_id in [upn, odd] {
        let created = app
            .user(user_id)
            .create_or_get(&request)
            .await
            .expect("app on behalf of the user");
        assert!(created.is_created(), "{created:?}");
        assert_eq!(organizer(created.meeting()).0, user_id);
        let again = app
            .user(&user_id.to_uppercase())
            .create_or_get(&request)
            .await
            .expect("the same user id in upper case");
        assert!(!again.is_created(), "{again:?}");
        assert_eq!(id_of(again.meeting()), id_of(created.meeting()));
    }
    assert_eq!(
        emulator.stats().unmatched(),
        0,
        "no request missed the route"
    );
    assert_eq!(emulator.stats().count(Route::CreateOrGetUser), 4);

    let adele = client_with(
        &emulator,
        fake_token_from_claims(&json!({
            "tid": TENANT, "oid": USER, "scp": "OnlineMeetings.ReadWrite", "upn": upn,
        })),
        ApiVersion::V1,
        fast_retries(),
    );
    let request = CreateOrGetRequest::new("by-upn");
    let by_upn = adele
        .user(upn)
        .create_or_get(&request)
        .await
        .expect("a delegated token may name its own UPN");
    assert!(by_upn.is_created(), "{by_upn:?}");
    assert_eq!(organizer(by_upn.meeting()), (USER.into(), TENANT.into()));
    let via_me = adele.me().create_or_get(&request).await.expect("/me");
    assert!(!via_me.is_created(), "{via_me:?}");
    assert_eq!(id_of(via_me.meeting()), id_of(by_upn.meeting()));
    stop(emulator).await;
}

// ---------------------------------------------------------------------------------------
// Time rules
// ---------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------

/// A missing, malformed or incomplete token is `401 InvalidAuthenticationToken` (with
/// Graph's `WWW-Authenticate` challenge) for every operation; it is not retried, and the
/// error carries the request-id and the client-request-id the client sent.
#[tokio::test]
async fn a_malformed_token_is_401_invalid_authentication_token() {
    let emulator = start().await;
    let request = CreateOrGetRequest::new("bad-token");
    let without_tid = fake_token_from_claims(&json!({"oid": USER, "scp": "x"}));

    for token in ["not-a-jwt".to_owned(), without_tid] {
        let client = client_with(&emulator, token, ApiVersion::V1, fast_retries());
        let errors = [
            client
                .me()
                .create(&OnlineMeeting::default())
                .await
                .map(drop),
            client.me().create_or_get(&request).await.map(drop),
            client.user(USER).create_or_get(&request).await.map(drop),
        ];
        for result in errors {
            let err = result.expect_err("a bad token is refused");
            let graph = api_error(&err);
            assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
            assert_eq!(graph.code(), Some("InvalidAuthenticationToken"));
            assert!(graph.message().is_some_and(|m| !m.is_empty()), "{graph:?}");
            assert!(
                header(graph.headers(), "www-authenticate")
                    .is_some_and(|v| v.starts_with("Bearer")),
                "{graph:?}"
            );
            assert_eq!(graph.attempts(), 1, "401 is not retried");
            assert_error_ids(&err);
        }
    }
    assert_eq!(emulator.stats().total(), 6);
    assert_eq!(emulator.meeting_count(), 0);
    stop(emulator).await;
}

// ---------------------------------------------------------------------------------------
// The ids of successes
// ---------------------------------------------------------------------------------------

/// Successes expose Graph's `request-id` and the `client-request-id` the client sent
/// (echoed by the server) through the `Response` of every operation; each call has its
/// own ids, and a call made once reports one attempt.
#[tokio::test]
async fn successes_expose_request_id_and_client_request_id() {
    let emulator = start().await;
    let me = delegated(&emulator);
    let app = application(&emulator);
    let request = CreateOrGetRequest::new("ids");

    let create = me
        .me()
        .create(&OnlineMeeting::default())
        .await
        .expect("create");
    let create_or_get = me.me().create_or_get(&request).await.expect("createOrGet");
    let for_user = app
        .user(USER)
        .create_or_get(&request)
        .await
        .expect("createOrGet for the user");

    assert_response_ids(&create);
    assert_response_ids(&create_or_get);
    assert_response_ids(&for_user);
    let request_ids: HashSet<_> = [
        create.request_id(),
        create_or_get.request_id(),
        for_user.request_id(),
    ]
    .into();
    assert_eq!(request_ids.len(), 3, "a new request-id per request");
    let sent: HashSet<_> = [
        create.client_request_id(),
        create_or_get.client_request_id(),
        for_user.client_request_id(),
    ]
    .into();
    assert_eq!(sent.len(), 3, "a new client-request-id per call");
    assert_eq!(
        (
            create.attempts(),
            create_or_get.attempts(),
            for_user.attempts()
        ),
        (1, 1, 1)
    );
    assert_eq!(
        [create.status(), create_or_get.status(), for_user.status()].map(|s| s.as_u16()),
        [201, 201, 200]
    );
    stop(emulator).await;
}

// ---------------------------------------------------------------------------------------
// Unknown properties
// ---------------------------------------------------------------------------------------

/// Unknown properties are kept both ways: properties in a request's
/// `additional_properties` are sent, the emulator echoes request properties, and they come
/// back in the response's `additional_properties` (an explicit `null` included), for
/// createOrGet and for create.
#[tokio::test]
async fn unknown_request_properties_come_back_in_additional_properties() {
    let emulator = start().await;
    let client = delegated(&emulator);
    let ticket = json!({"system": "contoso", "id": 4711, "tags": ["p1", "ops"]});

    let mut request = CreateOrGetRequest::new("unknown-properties");
    request
        .additional_properties
        .insert("contosoTicket".into(), ticket.clone());
    request
        .additional_properties
        .insert("futureFlag".into(), json!(true));
    request
        .additional_properties
        .insert("explicitNull".into(), json!(null));
    let meeting = client
        .me()
        .create_or_get(&request)
        .await
        .expect("createOrGet with unknown properties")
        .into_meeting();
    assert_eq!(
        meeting.additional_properties.get("contosoTicket"),
        Some(&ticket)
    );
    assert_eq!(
        meeting.additional_properties.get("futureFlag"),
        Some(&json!(true))
    );
    assert_eq!(
        meeting.additional_properties.get("explicitNull"),
        Some(&json!(null))
    );

    let mut body = OnlineMeeting::default();
    body.additional_properties
        .insert("contosoTicket".into(), ticket.clone());
    let created = client
        .me()
        .create(&body)
        .await
        .expect("create with an unknown property");
    assert_eq!(
        created.additional_properties.get("contosoTicket"),
        Some(&ticket)
    );

    // The emulator stored what the client sent.
    let stored = emulator.meetings();
    assert_eq!(stored.len(), 2);
    assert!(
        stored.iter().all(|m| m["contosoTicket"] == ticket),
        "{stored:?}"
    );
    stop(emulator).await;
}

// ---------------------------------------------------------------------------------------
// Retries against injected faults
// ---------------------------------------------------------------------------------------

/// createOrGet for a user is idempotent too: a `429` (fractional `Retry-After`) and a
/// `503` are retried.
#[tokio::test]
async fn throttled_and_unavailable_create_or_get_for_user_is_retried() {
    let emulator = start().await;
    let client = application(&emulator);
    emulator
        .faults()
        .fail_next(1, Fault::throttle("0.01"))
        .expect("a valid Retry-After");
    emulator
        .faults()
        .fail_next(1, Fault::unavailable())
        .expect("a valid fault");

    let response = client
        .user(USER)
        .create_or_get(&CreateOrGetRequest::new("for-user"))
        .await
        .expect("retried until it succeeds");

    assert!(response.is_created(), "{response:?}");
    assert_eq!(response.attempts(), 3);
    assert_eq!(emulator.stats().count(Route::CreateOrGetUser), 3);
    assert_eq!(emulator.meeting_count(), 1);
    stop(emulator).await;
}

/// A plain create is retried after a `429` (the request was refused, not processed), and
/// the retry makes exactly one meeting.
#[tokio::test]
async fn throttled_create_is_retried_and_makes_one_meeting() {
    let emulator = start().await;
    let client = delegated(&emulator);
    emulator
        .faults()
        .fail_next(1, Fault::throttle("0"))
        .expect("a valid Retry-After");

    let response = client
        .me()
        .create(&OnlineMeeting::default())
        .await
        .expect("retried after 429");

    assert_eq!(response.status(), 201);
    assert_eq!(response.attempts(), 2);
    assert_eq!(emulator.stats().count(Route::CreateMe), 2);
    assert_eq!(emulator.meeting_count(), 1);
    stop(emulator).await;
}

// ---------------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------------

/// Concurrency, throttling and the key together: 64 simultaneous createOrGet calls for one
/// user and key, half through `/me` (the user's delegated token) and half through
/// `/users/{id}` (an application token), while 16 `429`s are injected: every call
/// succeeds after its retries, and exactly one meeting is created.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_create_or_get_under_throttling_still_creates_exactly_one() {
    const CALLS: usize = 64;
    const FAULTS: u32 = 16;
    let emulator = start().await;
    // More attempts than faults: no call can run out of attempts.
    let policy = fast_retries().with_max_attempts(FAULTS + 2);
    let me = client_with(
        &emulator,
        fake_token(TENANT, USER, TokenKind::Delegated),
        ApiVersion::V1,
        policy.clone(),
    );
    let app = client_with(
        &emulator,
        fake_token(TENANT, APP, TokenKind::Application),
        ApiVersion::V1,
        policy,
    );
    emulator
        .faults()
        .fail_next(FAULTS, Fault::throttle("0"))
        .expect("a valid Retry-After");
    let request = Arc::new(CreateOrGetRequest::new("concurrent-throttled"));
    let barrier = Arc::new(tokio::sync::Barrier::new(CALLS));

    let mut tasks = tokio::task::JoinSet::new();
    for call in 0..CALLS {
        let (me, app) = (me.clone(), app.clone());
        let request = Arc::clone(&request);
        let barrier = Arc::clone(&barrier);
        tasks.spawn(async move {
            barrier.wait().await;
            if call % 2 == 0 {
                me.me().create_or_get(&request).await
            } else {
                app.user(USER).create_or_get(&request).await
            }
        });
    }
    let mut outcomes = Vec::with_capacity(CALLS);
    while let Some(joined) = tasks.join_next().await {
        outcomes.push(
            joined
                .expect("the task did not panic")
                .expect("every createOrGet succeeds after its retries"),
        );
    }

    assert_eq!(outcomes.iter().filter(|o| o.is_created()).count(), 1);
    let ids: HashSet<_> = outcomes.iter().map(|o| id_of(o.meeting())).collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(emulator.faults().pending(), 0);
    assert_eq!(emulator.stats().total(), CALLS as u64 + u64::from(FAULTS));
    assert_eq!(emulator.meeting_count(), 1);
    stop(emulator).await;
}
