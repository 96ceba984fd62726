//! End to end: `GraphClient` against the bundled emulator (`graph-online-meetings-emulator`
//! on 127.0.0.1), for every operation and every documented rule: the createOrGet key
//! (tenant + user + `externalId`), the time rules, identity, the ids of every answer,
//! unknown properties, retries against injected `429`/`503` faults, and 64 simultaneous
//! createOrGet calls with one key.
//!
//! Every test counts requests with the emulator's own counters; none asserts a timing.
//! Every test shuts its emulator down.

mod conformance;
mod lifecycle;
mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use graph_online_meetings::types::{CreateOrGetRequest, OdataError, OnlineMeeting};
use graph_online_meetings::{ApiVersion, CreateOrGet, Error, RetryPolicy, ValidationError, raw};
use graph_online_meetings_emulator::{
    Emulator, Fault, Route, TokenKind, VersionSegment as EmulatorVersion, fake_token,
    fake_token_from_claims,
};
use serde_json::json;
use support::*;

/// The status and Graph error body of a raw (progenitor) call that Graph refused.
fn raw_refusal(
    result: Result<raw::ResponseValue<OnlineMeeting>, raw::Error<OdataError>>,
) -> (u16, OdataError) {
    match result {
        Err(raw::Error::ErrorResponse(value)) => {
            let status = value.status().as_u16();
            assert!(
                header(value.headers(), "request-id").is_some(),
                "a refusal carries a request-id"
            );
            (status, value.into_inner())
        }
        Err(other) => panic!("expected a Graph error answer, got {other:?}"),
        Ok(value) => panic!("expected a refusal, got {} {value:?}", value.status()),
    }
}

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
            .create_online_meeting_with_response(&OnlineMeeting {
                subject: Some(format!("create {segment}")),
                ..Default::default()
            })
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
        let mine = me.create_or_get(&request).await.expect("createOrGet /me");
        assert!(mine.is_created(), "{mine:?}");
        assert!(context_of(mine.meeting()).starts_with(&context));

        let theirs = app
            .create_or_get_for_user(OTHER_USER, &request)
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

/// Plain create is not idempotent (README, emulator docs): two creates with the same body
/// make two meetings, each `201`, with different ids and join URLs.
#[tokio::test]
async fn create_is_not_idempotent_two_creates_make_two_meetings() {
    let emulator = start().await;
    let client = delegated(&emulator);
    let start_time = at("2030-05-04T10:00:00+02:00");
    let body = OnlineMeeting {
        subject: Some("Same body twice".into()),
        start_date_time: Some(start_time),
        end_date_time: Some(start_time + TimeDelta::minutes(30)),
        ..Default::default()
    };

    let first = client
        .create_online_meeting_with_response(&body)
        .await
        .expect("first create");
    let second = client
        .create_online_meeting_with_response(&body)
        .await
        .expect("second create");

    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (201, 201)
    );
    assert_ne!(id_of(&first), id_of(&second));
    assert_ne!(first.join_web_url, second.join_web_url);
    assert_eq!(first.subject, second.subject);
    assert_eq!(emulator.meeting_count(), 2);
    assert_eq!(emulator.stats().count(Route::CreateMe), 2);
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
        .create_or_get_with_response(&request)
        .await
        .expect("first createOrGet");
    let second = client
        .create_or_get_with_response(&request.clone().with_subject("Renamed"))
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
        .create_or_get_for_user_with_response(USER, &request)
        .await
        .expect("first createOrGet for the user");
    let second = client
        .create_or_get_for_user_with_response(USER, &request)
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

/// The createOrGet key includes the user: the same `externalId` for another user (another
/// token `oid`, same tenant) makes a different meeting, organized by that user; each user
/// then gets back their own.
#[tokio::test]
async fn the_same_external_id_for_another_user_is_another_meeting() {
    let emulator = start().await;
    let adele = delegated(&emulator);
    let other = client_as(&emulator, TENANT, OTHER_USER, TokenKind::Delegated);
    let request = CreateOrGetRequest::new("shared-key");

    let hers = adele.create_or_get(&request).await.expect("first user");
    let theirs = other.create_or_get(&request).await.expect("second user");
    assert!(
        hers.is_created() && theirs.is_created(),
        "{hers:?} {theirs:?}"
    );
    assert_ne!(id_of(hers.meeting()), id_of(theirs.meeting()));
    assert_ne!(hers.meeting().join_web_url, theirs.meeting().join_web_url);
    assert_eq!(organizer(hers.meeting()), (USER.into(), TENANT.into()));
    assert_eq!(
        organizer(theirs.meeting()),
        (OTHER_USER.into(), TENANT.into())
    );

    let again = adele
        .create_or_get(&request)
        .await
        .expect("first user again");
    assert!(!again.is_created());
    assert_eq!(id_of(again.meeting()), id_of(hers.meeting()));
    let again = other
        .create_or_get(&request)
        .await
        .expect("second user again");
    assert!(!again.is_created());
    assert_eq!(id_of(again.meeting()), id_of(theirs.meeting()));

    // Another externalId of the same user is another meeting too.
    let different = adele
        .create_or_get(&CreateOrGetRequest::new("another-key"))
        .await
        .expect("another externalId");
    assert!(different.is_created());
    assert_eq!(emulator.meeting_count(), 3);
    stop(emulator).await;
}

/// The createOrGet key includes the tenant: the same user id and `externalId` in another
/// tenant makes a different meeting, in that tenant.
#[tokio::test]
async fn the_same_external_id_in_another_tenant_is_another_meeting() {
    let emulator = start().await;
    let home = delegated(&emulator);
    let away = client_as(&emulator, OTHER_TENANT, USER, TokenKind::Delegated);
    let request = CreateOrGetRequest::new("tenant-scoped");

    let first = home.create_or_get(&request).await.expect("home tenant");
    let second = away.create_or_get(&request).await.expect("other tenant");

    assert!(
        first.is_created() && second.is_created(),
        "{first:?} {second:?}"
    );
    assert_ne!(id_of(first.meeting()), id_of(second.meeting()));
    assert_eq!(organizer(first.meeting()).1, TENANT);
    assert_eq!(organizer(second.meeting()).1, OTHER_TENANT);

    // The same for application calls on behalf of the user.
    let app_home = application(&emulator);
    let app_away = client_as(&emulator, OTHER_TENANT, APP, TokenKind::Application);
    let request = CreateOrGetRequest::new("tenant-scoped-app");
    let first = app_home
        .create_or_get_for_user(USER, &request)
        .await
        .expect("home tenant, app");
    let second = app_away
        .create_or_get_for_user(USER, &request)
        .await
        .expect("other tenant, app");
    assert!(
        first.is_created() && second.is_created(),
        "{first:?} {second:?}"
    );
    assert_ne!(id_of(first.meeting()), id_of(second.meeting()));
    assert_eq!(emulator.meeting_count(), 4);
    stop(emulator).await;
}

/// `/users/{id}` with an application token acts as that user (not as the app): the
/// meeting's organizer is the user, and the key is tenant + that user + `externalId`, so
/// the user's own `/me` createOrGet (delegated token, same `externalId`) finds the same
/// meeting, as does `/users/{own id}` with the user's delegated token and the user id in
/// another case (ids compare case-insensitively). Another user in the path is another
/// meeting.
#[tokio::test]
async fn an_application_token_acts_as_the_user_in_the_path() {
    let emulator = start().await;
    let app = application(&emulator);
    let me = delegated(&emulator);
    let request = CreateOrGetRequest::new("on-behalf-of");

    let created = app
        .create_or_get_for_user(USER, &request)
        .await
        .expect("app on behalf of the user");
    assert!(created.is_created(), "{created:?}");
    assert_eq!(organizer(created.meeting()), (USER.into(), TENANT.into()));
    let id = id_of(created.meeting()).to_owned();

    let via_me = me.create_or_get(&request).await.expect("the user's /me");
    assert!(!via_me.is_created(), "the user's /me finds it: {via_me:?}");
    assert_eq!(id_of(via_me.meeting()), id);
    assert_eq!(
        via_me.meeting().join_web_url,
        created.meeting().join_web_url
    );

    let via_self = me
        .create_or_get_for_user(USER, &request)
        .await
        .expect("a delegated token may name its own user");
    assert!(!via_self.is_created(), "{via_self:?}");
    assert_eq!(id_of(via_self.meeting()), id);

    let upper = app
        .create_or_get_for_user(&USER.to_uppercase(), &request)
        .await
        .expect("the user id in upper case");
    assert!(!upper.is_created(), "{upper:?}");
    assert_eq!(id_of(upper.meeting()), id);

    let other = app
        .create_or_get_for_user(OTHER_USER, &request)
        .await
        .expect("app on behalf of another user");
    assert!(other.is_created(), "{other:?}");
    assert_ne!(id_of(other.meeting()), id);
    assert_eq!(organizer(other.meeting()).0, OTHER_USER);

    assert_eq!(emulator.meeting_count(), 2);
    let counts = emulator.stats().snapshot();
    assert_eq!(
        (
            counts.count(Route::CreateOrGetMe),
            counts.count(Route::CreateOrGetUser)
        ),
        (1, 4)
    );
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
            .create_or_get_for_user(user_id, &request)
            .await
            .expect("app on behalf of the user");
        assert!(created.is_created(), "{created:?}");
        assert_eq!(organizer(created.meeting()).0, user_id);
        let again = app
            .create_or_get_for_user(&user_id.to_uppercase(), &request)
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
        .create_or_get_for_user(upn, &request)
        .await
        .expect("a delegated token may name its own UPN");
    assert!(by_upn.is_created(), "{by_upn:?}");
    assert_eq!(organizer(by_upn.meeting()), (USER.into(), TENANT.into()));
    let via_me = adele.create_or_get(&request).await.expect("/me");
    assert!(!via_me.is_created(), "{via_me:?}");
    assert_eq!(id_of(via_me.meeting()), id_of(by_upn.meeting()));
    stop(emulator).await;
}

// ---------------------------------------------------------------------------------------
// Time rules
// ---------------------------------------------------------------------------------------

/// No start and no end: Graph starts the meeting now and ends it an hour later. Start
/// and end are both present, in UTC (made from the clock), exactly one hour apart, for
/// createOrGet and for plain create.
#[tokio::test]
async fn no_times_means_now_until_an_hour_later() {
    let emulator = start().await;
    let client = delegated(&emulator);

    let from_create_or_get = client
        .create_or_get(&CreateOrGetRequest::new("no-times"))
        .await
        .expect("createOrGet without times")
        .into_meeting();
    let from_create = client
        .create_online_meeting(&OnlineMeeting::default())
        .await
        .expect("create without times");

    for meeting in [&from_create_or_get, &from_create] {
        let start = meeting.start_date_time.expect("a start is set");
        let end = meeting.end_date_time.expect("an end is set");
        assert_eq!(end - start, TimeDelta::hours(1), "{meeting:?}");
        assert_eq!(start.offset().local_minus_utc(), 0, "{start}");
    }
    stop(emulator).await;
}

/// A start alone: the end is the start + 1 hour, and keeps the start's offset (for
/// createOrGet `/me`, createOrGet `/users/{id}` and plain create).
#[tokio::test]
async fn a_start_alone_ends_an_hour_later_in_its_offset() {
    let emulator = start().await;
    let me = delegated(&emulator);
    let app = application(&emulator);
    let kolkata = at("2030-01-15T09:00:00+05:30");
    let denver = at("2030-07-01T16:45:30.25-07:00");

    let mut request = CreateOrGetRequest::new("start-only");
    request.start_date_time = Some(kolkata);
    let via_me = me
        .create_or_get(&request)
        .await
        .expect("createOrGet")
        .into_meeting();
    // Another key: with "start-only", USER's meeting already exists (same tenant + user).
    request.external_id = "start-only-for-user".into();
    request.start_date_time = Some(denver);
    let via_user = app
        .create_or_get_for_user(USER, &request)
        .await
        .expect("createOrGet for the user")
        .into_meeting();
    let created = me
        .create_online_meeting(&OnlineMeeting {
            start_date_time: Some(kolkata),
            ..Default::default()
        })
        .await
        .expect("create");

    for (meeting, start) in [(&via_me, kolkata), (&via_user, denver), (&created, kolkata)] {
        let got_start = meeting.start_date_time.expect("the start");
        let end = meeting.end_date_time.expect("the computed end");
        assert_eq!(got_start, start, "{meeting:?}");
        assert_eq!(
            got_start.offset(),
            start.offset(),
            "the start keeps its offset"
        );
        assert_eq!(end, start + TimeDelta::hours(1));
        assert_eq!(
            end.offset(),
            start.offset(),
            "the end keeps the start's offset"
        );
    }
    assert_eq!(
        created.end_date_time,
        Some(at("2030-01-15T10:00:00+05:30")),
        "same offset, one hour later"
    );
    stop(emulator).await;
}

/// Both times given: they are kept as sent, offsets included.
#[tokio::test]
async fn given_times_are_kept_as_sent() {
    let emulator = start().await;
    let client = delegated(&emulator);
    let start = at("2030-03-10T08:00:00-05:00");
    let end = at("2030-03-10T15:30:00+01:00");

    let meeting = client
        .create_or_get(&CreateOrGetRequest::new("both-times").with_times(start, end))
        .await
        .expect("createOrGet with both times")
        .into_meeting();

    assert_eq!(meeting.start_date_time, Some(start));
    assert_eq!(meeting.end_date_time, Some(end));
    assert_eq!(
        meeting.start_date_time.map(|t| *t.offset()),
        Some(*start.offset())
    );
    assert_eq!(
        meeting.end_date_time.map(|t| *t.offset()),
        Some(*end.offset())
    );
    stop(emulator).await;
}

/// An end without a start is rejected by the client before sending
/// (`Error::Validation(EndWithoutStart)`), for all three operations: the emulator sees no
/// request at all.
#[tokio::test]
async fn an_end_without_a_start_is_rejected_locally_and_nothing_is_sent() {
    let emulator = start().await;
    let client = delegated(&emulator);
    let end = at("2030-01-15T10:00:00Z");
    let mut request = CreateOrGetRequest::new("end-only");
    request.end_date_time = Some(end);
    let meeting = OnlineMeeting {
        end_date_time: Some(end),
        ..Default::default()
    };

    let errors = [
        client.create_or_get(&request).await.map(drop),
        client
            .create_or_get_for_user(USER, &request)
            .await
            .map(drop),
        client.create_online_meeting(&meeting).await.map(drop),
    ];
    for result in errors {
        let err = result.expect_err("an end without a start is invalid");
        assert!(
            matches!(&err, Error::Validation(ValidationError::EndWithoutStart { end: e }) if *e == end),
            "{err:?}"
        );
        assert_eq!(err.status(), None);
        assert_eq!(err.client_request_id(), None, "nothing was sent");
    }
    assert_eq!(emulator.stats().total(), 0);
    assert_eq!(emulator.meeting_count(), 0);
    stop(emulator).await;
}

/// An end earlier than the start is rejected by the client before sending
/// (`Error::Validation(EndBeforeStart)`), for all three operations: the emulator sees no
/// request at all.
#[tokio::test]
async fn an_end_before_the_start_is_rejected_locally_and_nothing_is_sent() {
    let emulator = start().await;
    let client = delegated(&emulator);
    let start = at("2030-01-15T10:00:00+01:00");
    // 08:30 UTC is before 09:00 UTC, although the wall-clock reading is later.
    let end = at("2030-01-15T10:30:00+02:00");
    let request = CreateOrGetRequest::new("end-before-start").with_times(start, end);
    let meeting = OnlineMeeting {
        start_date_time: Some(start),
        end_date_time: Some(end),
        ..Default::default()
    };

    let errors = [
        client.create_or_get(&request).await.map(drop),
        client
            .create_or_get_for_user(USER, &request)
            .await
            .map(drop),
        client.create_online_meeting(&meeting).await.map(drop),
    ];
    for result in errors {
        let err = result.expect_err("an end before the start is invalid");
        assert!(
            matches!(
                &err,
                Error::Validation(ValidationError::EndBeforeStart { start: s, end: e })
                    if *s == start && *e == end
            ),
            "{err:?}"
        );
    }
    assert_eq!(emulator.stats().total(), 0);
    assert_eq!(emulator.meeting_count(), 0);
    stop(emulator).await;
}

/// The emulator enforces the same time rules itself: sent through the raw client (which
/// skips the local validation), an end without a start and an end before the start are
/// Graph's `400 BadRequest` with the documented messages, for every operation, and
/// nothing is stored.
#[tokio::test]
async fn the_emulator_answers_400_for_the_time_rules() {
    let emulator = start().await;
    let me = delegated(&emulator);
    let raw = me.raw();
    let start = at("2030-01-15T10:00:00Z");
    let without_start = "The endDateTime cannot be provided without the startDateTime.";
    let before_start = "The endDateTime cannot be earlier than the startDateTime.";

    let mut end_only = CreateOrGetRequest::new("raw-times");
    end_only.end_date_time = Some(start);
    let reversed =
        CreateOrGetRequest::new("raw-times").with_times(start, start - TimeDelta::minutes(1));
    let meeting_end_only = OnlineMeeting {
        end_date_time: Some(start),
        ..Default::default()
    };
    let meeting_reversed = OnlineMeeting {
        start_date_time: Some(start),
        end_date_time: Some(start - TimeDelta::seconds(1)),
        ..Default::default()
    };

    let cases = [
        (
            raw.create_or_get_online_meeting(&end_only).await,
            without_start,
        ),
        (
            raw.create_or_get_online_meeting(&reversed).await,
            before_start,
        ),
        (
            raw.create_or_get_online_meeting_for_user(USER, &end_only)
                .await,
            without_start,
        ),
        (
            raw.create_or_get_online_meeting_for_user(USER, &reversed)
                .await,
            before_start,
        ),
        (
            raw.create_online_meeting(&meeting_end_only).await,
            without_start,
        ),
        (
            raw.create_online_meeting(&meeting_reversed).await,
            before_start,
        ),
    ];
    for (result, message) in cases {
        let (status, body) = raw_refusal(result);
        assert_eq!(status, 400);
        assert_eq!(body.error.code, "BadRequest");
        assert_eq!(body.error.message, message);
    }
    let counts = emulator.stats().snapshot();
    assert_eq!(
        (
            counts.count(Route::CreateOrGetMe),
            counts.count(Route::CreateOrGetUser),
            counts.count(Route::CreateMe)
        ),
        (2, 2, 2)
    );
    assert_eq!(emulator.meeting_count(), 0);
    stop(emulator).await;
}

/// The other rules checked before sending: an empty `externalId` (createOrGet requires
/// one) and a `userId` that is empty or a dot segment are `Error::Validation`, and nothing
/// is sent; the emulator's own answer to an empty `externalId` is `400 BadRequest`.
#[tokio::test]
async fn empty_external_ids_and_bad_user_ids_are_rejected() {
    let emulator = start().await;
    let client = application(&emulator);
    let empty = CreateOrGetRequest::new("");
    let valid = CreateOrGetRequest::new("valid");

    let err = client
        .create_or_get_for_user(USER, &empty)
        .await
        .expect_err("empty externalId");
    assert!(
        matches!(err, Error::Validation(ValidationError::EmptyExternalId)),
        "{err:?}"
    );
    let err = delegated(&emulator)
        .create_or_get(&empty)
        .await
        .expect_err("empty externalId");
    assert!(
        matches!(err, Error::Validation(ValidationError::EmptyExternalId)),
        "{err:?}"
    );
    let err = client
        .create_or_get_for_user("", &valid)
        .await
        .expect_err("empty userId");
    assert!(
        matches!(
            err,
            Error::Validation(ValidationError::EmptyPathParameter { name: "userId" })
        ),
        "{err:?}"
    );
    for dots in [".", ".."] {
        let err = client
            .create_or_get_for_user(dots, &valid)
            .await
            .expect_err("dot segment");
        assert!(
            matches!(&err, Error::Validation(ValidationError::DotSegment { value, .. }) if value == dots),
            "{err:?}"
        );
    }
    assert_eq!(emulator.stats().total(), 0);

    let (status, body) = raw_refusal(
        client
            .raw()
            .create_or_get_online_meeting_for_user(USER, &empty)
            .await,
    );
    assert_eq!(status, 400);
    assert_eq!(body.error.code, "BadRequest");
    assert_eq!(
        body.error.message,
        "The externalId property must not be empty."
    );
    assert_eq!(emulator.meeting_count(), 0);
    stop(emulator).await;
}

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
                .create_online_meeting(&OnlineMeeting::default())
                .await
                .map(drop),
            client.create_or_get(&request).await.map(drop),
            client
                .create_or_get_for_user(USER, &request)
                .await
                .map(drop),
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

/// `/me` with an application token is `400 BadRequest` ("/me request is only valid with
/// delegated authentication flow."), for createOrGet and for create; each call sends its
/// own client-request-id, and the error reports the one sent.
#[tokio::test]
async fn me_with_an_application_token_is_400() {
    let emulator = start().await;
    let client = application(&emulator);

    let create_or_get = client
        .create_or_get(&CreateOrGetRequest::new("app-on-me"))
        .await
        .expect_err("/me with an app token");
    let create = client
        .create_online_meeting(&OnlineMeeting::default())
        .await
        .expect_err("/me with an app token");

    for err in [&create_or_get, &create] {
        let graph = api_error(err);
        assert_eq!(graph.status(), 400);
        assert_eq!(graph.code(), Some("BadRequest"));
        assert_eq!(
            graph.message(),
            Some("/me request is only valid with delegated authentication flow.")
        );
        assert!(
            err.to_string()
                .starts_with("400 Bad Request: BadRequest: /me request"),
            "{err}"
        );
        assert_error_ids(err);
    }
    assert_ne!(
        create_or_get.client_request_id(),
        create.client_request_id()
    );
    assert_ne!(create_or_get.request_id(), create.request_id());
    assert_eq!(emulator.stats().total(), 2);
    assert_eq!(emulator.meeting_count(), 0);
    stop(emulator).await;
}

/// `/users/{other}` with a delegated token is `403 Forbidden`: a delegated token acts only
/// for its own user. The error carries its ids, and nothing is created.
#[tokio::test]
async fn users_other_with_a_delegated_token_is_403() {
    let emulator = start().await;
    let client = delegated(&emulator);

    let err = client
        .create_or_get_for_user(OTHER_USER, &CreateOrGetRequest::new("not-mine"))
        .await
        .expect_err("another user with a delegated token");

    let graph = api_error(&err);
    assert_eq!(graph.status(), 403);
    assert_eq!(graph.code(), Some("Forbidden"));
    assert!(
        graph.message().is_some_and(|m| m.contains(OTHER_USER)),
        "{graph:?}"
    );
    assert_eq!(graph.attempts(), 1);
    assert_error_ids(&err);
    assert_eq!(emulator.stats().count(Route::CreateOrGetUser), 1);
    assert_eq!(emulator.meeting_count(), 0);
    stop(emulator).await;
}

// ---------------------------------------------------------------------------------------
// The ids of successes
// ---------------------------------------------------------------------------------------

/// Successes expose Graph's `request-id` and the `client-request-id` the client sent
/// (echoed by the server) through the `*_with_response` variants of every operation; each
/// call has its own ids, and a call made once reports one attempt.
#[tokio::test]
async fn successes_expose_request_id_and_client_request_id() {
    let emulator = start().await;
    let me = delegated(&emulator);
    let app = application(&emulator);
    let request = CreateOrGetRequest::new("ids");

    let create = me
        .create_online_meeting_with_response(&OnlineMeeting::default())
        .await
        .expect("create");
    let create_or_get = me
        .create_or_get_with_response(&request)
        .await
        .expect("createOrGet");
    let for_user = app
        .create_or_get_for_user_with_response(USER, &request)
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
        .create_online_meeting(&body)
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

/// createOrGet is idempotent, so throttling is retried: two injected `429`s
/// (`Retry-After: 0`), then success; three requests in all, one meeting.
#[tokio::test]
async fn throttled_create_or_get_is_retried_until_it_succeeds() {
    let emulator = start().await;
    let client = delegated(&emulator);
    emulator
        .faults()
        .fail_next(2, Fault::throttle("0"))
        .expect("a valid Retry-After");

    let response = client
        .create_or_get_with_response(&CreateOrGetRequest::new("throttled"))
        .await
        .expect("retried until it succeeds");

    assert!(response.is_created(), "{response:?}");
    assert_eq!(response.attempts(), 3);
    assert_response_ids(&response);
    assert_eq!(emulator.stats().total(), 3);
    assert_eq!(emulator.stats().count(Route::CreateOrGetMe), 3);
    assert_eq!(emulator.faults().pending(), 0);
    assert_eq!(emulator.meeting_count(), 1);
    stop(emulator).await;
}

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
        .create_or_get_for_user_with_response(USER, &CreateOrGetRequest::new("for-user"))
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
        .create_online_meeting_with_response(&OnlineMeeting::default())
        .await
        .expect("retried after 429");

    assert_eq!(response.status(), 201);
    assert_eq!(response.attempts(), 2);
    assert_eq!(emulator.stats().count(Route::CreateMe), 2);
    assert_eq!(emulator.meeting_count(), 1);
    stop(emulator).await;
}

/// A plain create is not idempotent, so a `503` is not retried (a retry could make a
/// second meeting): exactly one request, the error is `503 ServiceUnavailable` with its
/// ids. The fault was consumed: the next create succeeds.
#[tokio::test]
async fn unavailable_create_is_not_retried() {
    let emulator = start().await;
    let client = delegated(&emulator);
    emulator
        .faults()
        .fail_next(
            1,
            Fault::Unavailable {
                retry_after: Some("0".into()),
            },
        )
        .expect("a valid Retry-After");

    let err = client
        .create_online_meeting(&OnlineMeeting::default())
        .await
        .expect_err("503 is not retried for a create");

    let graph = api_error(&err);
    assert_eq!(graph.status(), 503);
    assert_eq!(graph.code(), Some("ServiceUnavailable"));
    assert_eq!(graph.attempts(), 1);
    assert_eq!(err.retry_after(), Some(Duration::ZERO));
    assert_error_ids(&err);
    assert_eq!(emulator.stats().total(), 1);
    assert_eq!(emulator.meeting_count(), 0);

    client
        .create_online_meeting(&OnlineMeeting::default())
        .await
        .expect("the next create succeeds");
    assert_eq!(emulator.stats().count(Route::CreateMe), 2);
    assert_eq!(emulator.meeting_count(), 1);
    stop(emulator).await;
}

/// createOrGet is idempotent, so a `503` is retried (here without `Retry-After`: the
/// client backs off on its own).
#[tokio::test]
async fn unavailable_create_or_get_is_retried() {
    let emulator = start().await;
    let client = delegated(&emulator);
    emulator
        .faults()
        .fail_next(1, Fault::unavailable())
        .expect("a valid fault");

    let response = client
        .create_or_get_with_response(&CreateOrGetRequest::new("unavailable"))
        .await
        .expect("retried after 503");

    assert!(response.is_created(), "{response:?}");
    assert_eq!(response.attempts(), 2);
    assert_eq!(emulator.stats().count(Route::CreateOrGetMe), 2);
    assert_eq!(emulator.meeting_count(), 1);
    stop(emulator).await;
}

/// `RetryPolicy::disabled()` makes exactly one request per call, even for an idempotent
/// createOrGet answered `429` or `503`; the `429`'s `Retry-After` is reported.
#[tokio::test]
async fn disabled_retries_make_exactly_one_request() {
    let emulator = start().await;
    let client = client_with(
        &emulator,
        fake_token(TENANT, USER, TokenKind::Delegated),
        ApiVersion::V1,
        RetryPolicy::disabled(),
    );
    let request = CreateOrGetRequest::new("no-retries");

    emulator
        .faults()
        .fail_next(1, Fault::throttle("0"))
        .expect("a valid Retry-After");
    let err = client
        .create_or_get(&request)
        .await
        .expect_err("429, not retried");
    assert_eq!(api_error(&err).status(), 429);
    assert_eq!(api_error(&err).code(), Some("TooManyRequests"));
    assert_eq!(api_error(&err).attempts(), 1);
    assert_eq!(err.retry_after(), Some(Duration::ZERO));
    assert_error_ids(&err);
    assert_eq!(emulator.stats().total(), 1);

    emulator
        .faults()
        .fail_next(1, Fault::unavailable())
        .expect("a valid fault");
    let err = client
        .create_or_get(&request)
        .await
        .expect_err("503, not retried");
    assert_eq!(api_error(&err).status(), 503);
    assert_eq!(emulator.stats().total(), 2);

    assert_eq!(emulator.faults().pending(), 0);
    assert_eq!(emulator.meeting_count(), 0);
    stop(emulator).await;
}

/// Retries stop at the policy's maximum number of attempts (4 by default): with more
/// faults queued than that, the call fails with the last `429` after exactly 4 requests,
/// and the faults it did not reach are still queued.
#[tokio::test]
async fn retries_stop_at_the_maximum_number_of_attempts() {
    let emulator = start().await;
    let client = delegated(&emulator);
    emulator
        .faults()
        .fail_next(10, Fault::throttle("0"))
        .expect("a valid Retry-After");

    let err = client
        .create_or_get(&CreateOrGetRequest::new("always-throttled"))
        .await
        .expect_err("every attempt is throttled");

    assert_eq!(api_error(&err).status(), 429);
    assert_eq!(api_error(&err).attempts(), 4);
    assert_eq!(emulator.stats().total(), 4);
    assert_eq!(emulator.faults().pending(), 6);
    assert_eq!(emulator.meeting_count(), 0);
    stop(emulator).await;
}

/// A `Retry-After` longer than what is left of the total delay ends the retries: the
/// `429` is returned after one request, with the delay Graph asked for.
#[tokio::test]
async fn a_retry_after_beyond_the_total_delay_is_returned_at_once() {
    let emulator = start().await;
    let client = delegated(&emulator);
    emulator
        .faults()
        .fail_next(1, Fault::throttle("3600"))
        .expect("a valid Retry-After");

    let err = client
        .create_or_get(&CreateOrGetRequest::new("come-back-later"))
        .await
        .expect_err("not worth waiting");

    assert_eq!(api_error(&err).status(), 429);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(api_error(&err).attempts(), 1);
    assert_eq!(emulator.stats().total(), 1);
    stop(emulator).await;
}

/// Faults queued with `EmulatorBuilder::fail_next` come before those queued at run time,
/// and a createOrGet is retried through all of them: `429`, then `503`, then success.
#[tokio::test]
async fn faults_queued_at_start_come_first_and_are_retried() {
    let emulator = Emulator::builder()
        .fail_next(1, Fault::throttle("0"))
        .start("127.0.0.1:0")
        .await
        .expect("the emulator binds a free port on 127.0.0.1");
    emulator
        .faults()
        .fail_next(1, Fault::unavailable())
        .expect("a valid fault");
    assert_eq!(emulator.faults().pending(), 2);
    let client = delegated(&emulator);

    let response = client
        .create_or_get_with_response(&CreateOrGetRequest::new("queued-at-start"))
        .await
        .expect("retried through both faults");

    assert!(response.is_created(), "{response:?}");
    assert_eq!(response.attempts(), 3);
    assert_eq!(emulator.faults().pending(), 0);
    assert_eq!(emulator.stats().total(), 3);

    // Without retries, the order of the faults is visible.
    let once = client_with(
        &emulator,
        fake_token(TENANT, USER, TokenKind::Delegated),
        ApiVersion::V1,
        RetryPolicy::disabled(),
    );
    emulator
        .faults()
        .fail_next(1, Fault::throttle("0"))
        .expect("a valid Retry-After");
    emulator
        .faults()
        .fail_next(1, Fault::unavailable())
        .expect("a valid fault");
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let status = match once
            .create_or_get(&CreateOrGetRequest::new("queued-at-start"))
            .await
        {
            Ok(outcome) => outcome.status().as_u16(),
            Err(err) => api_error(&err).status().as_u16(),
        };
        statuses.push(status);
    }
    assert_eq!(statuses, [429, 503, 200]);
    stop(emulator).await;
}

/// A body over the emulator's limit (`EmulatorBuilder::max_body_bytes`) is
/// `413 RequestEntityTooLarge`: not retried, nothing created, and the client's next call
/// on the same connection pool succeeds.
#[tokio::test]
async fn a_body_over_the_limit_is_413_and_not_retried() {
    let emulator = Emulator::builder()
        .max_body_bytes(1024)
        .start("127.0.0.1:0")
        .await
        .expect("the emulator binds a free port on 127.0.0.1");
    let client = delegated(&emulator);

    let err = client
        .create_or_get(&CreateOrGetRequest::new("too-large").with_subject("x".repeat(4096)))
        .await
        .expect_err("the body is over the limit");

    let graph = api_error(&err);
    assert_eq!(graph.status(), 413);
    assert_eq!(graph.code(), Some("RequestEntityTooLarge"));
    assert_eq!(graph.attempts(), 1);
    assert_error_ids(&err);
    assert_eq!(emulator.meeting_count(), 0);

    let outcome = client
        .create_or_get(&CreateOrGetRequest::new("small-enough"))
        .await
        .expect("a small body after the 413");
    assert!(outcome.is_created());
    assert_eq!(emulator.stats().total(), 2);
    stop(emulator).await;
}

// ---------------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------------

/// 64 simultaneous createOrGet calls with one key, through one `GraphClient`, create
/// exactly one meeting (the emulator checks and inserts atomically): one `Created`, 63
/// `Existing`, all with the same id and join URL.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_simultaneous_create_or_get_with_one_key_create_exactly_one() {
    const CALLS: usize = 64;
    let emulator = start().await;
    let client = delegated(&emulator);
    let request = Arc::new(CreateOrGetRequest::new("concurrent-key").with_subject("Race"));
    let barrier = Arc::new(tokio::sync::Barrier::new(CALLS));

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CALLS {
        let client = client.clone();
        let request = Arc::clone(&request);
        let barrier = Arc::clone(&barrier);
        tasks.spawn(async move {
            barrier.wait().await;
            client.create_or_get(&request).await
        });
    }
    let mut outcomes = Vec::with_capacity(CALLS);
    while let Some(joined) = tasks.join_next().await {
        let outcome = joined
            .expect("the task did not panic")
            .expect("every createOrGet succeeds");
        outcomes.push(outcome);
    }

    assert_eq!(outcomes.len(), CALLS);
    let created = outcomes.iter().filter(|o| o.is_created()).count();
    assert_eq!(created, 1, "exactly one Created");
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| matches!(o, CreateOrGet::Existing(_)))
            .count(),
        CALLS - 1
    );
    let ids: HashSet<_> = outcomes.iter().map(|o| id_of(o.meeting())).collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let urls: HashSet<_> = outcomes
        .iter()
        .map(|o| o.meeting().join_web_url.clone())
        .collect();
    assert_eq!(urls.len(), 1, "{urls:?}");

    assert_eq!(emulator.stats().count(Route::CreateOrGetMe), CALLS as u64);
    let stored = emulator.meetings();
    assert_eq!(stored.len(), 1, "one meeting for the key");
    assert_eq!(stored[0]["externalId"], "concurrent-key");
    assert_eq!(stored[0]["id"].as_str(), ids.iter().next().copied());
    stop(emulator).await;
}

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
                me.create_or_get(&request).await
            } else {
                app.create_or_get_for_user(USER, &request).await
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
