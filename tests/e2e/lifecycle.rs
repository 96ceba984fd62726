//! The meeting lifecycle end to end: `GraphClient` against the emulator, for `/me` and
//! for `/users/{userId}`: create, get, update, find by join URL and by join meeting ID,
//! delete, and what a
//! deleted or foreign meeting looks like afterwards.

use graph_online_meetings::types::{CreateOrGetRequest, OnlineMeeting};
use graph_online_meetings::{Error, Meetings, Scope};
use graph_online_meetings_emulator::Fault;
use reqwest::StatusCode;

use crate::support::*;

fn not_found(err: &Error) -> bool {
    matches!(err, Error::Api(e) if e.status() == StatusCode::NOT_FOUND
        && e.code() == Some("itemNotFound"))
}

/// The whole life of one meeting through one handle: the same code for `/me` and for
/// `/users/{USER}`.
async fn lifecycle<S: Scope>(meetings: Meetings<'_, S>) {
    let request = CreateOrGetRequest::new("lifecycle-1").with_subject("Plan");
    let created = meetings
        .create_or_get(&request)
        .await
        .expect("createOrGet")
        .into_inner()
        .into_meeting();
    let id = id_of(&created).to_owned();
    let meeting = meetings.meeting(&id);

    let fetched = meeting.get().await.expect("get");
    assert_eq!(*fetched, created, "get returns the stored meeting");

    let start = at("2030-01-01T09:00:00+01:00");
    let changes = OnlineMeeting::default()
        .with_subject("Plan, moved")
        .with_start_date_time(start)
        .with_end_date_time(start + chrono::TimeDelta::minutes(45));
    let updated = meeting.update(&changes).await.expect("update");
    assert_eq!(updated.subject.as_deref(), Some("Plan, moved"));
    assert_eq!(updated.start_date_time, Some(start));
    assert_eq!(id_of(&updated), id);
    assert_eq!(updated.join_web_url, created.join_web_url, "server-owned");
    assert_eq!(*meeting.get().await.expect("get"), *updated);

    let join_url = created.join_web_url.clone().expect("a join URL");
    let found = meetings.find_by_join_url(&join_url).await.expect("find");
    assert_eq!(found.iter().map(id_of).collect::<Vec<_>>(), [id.as_str()]);
    let none = meetings
        .find_by_join_url("https://teams.microsoft.com/l/none'x")
        .await
        .expect("find");
    assert!(none.is_empty());
    let join_meeting_id = created
        .join_meeting_id_settings
        .as_ref()
        .and_then(|settings| settings.join_meeting_id.clone())
        .expect("a join meeting ID");
    let found = meetings
        .find_by_join_meeting_id(&join_meeting_id)
        .await
        .expect("find by join meeting ID");
    assert_eq!(found.iter().map(id_of).collect::<Vec<_>>(), [id.as_str()]);
    let none = meetings
        .find_by_join_meeting_id("0000'0")
        .await
        .expect("find");
    assert!(none.is_empty());

    meeting.delete().await.expect("delete");
    for err in [
        meeting.get().await.expect_err("deleted"),
        meeting.update(&changes).await.expect_err("deleted"),
        meeting.delete().await.expect_err("deleted"),
    ] {
        assert!(not_found(&err), "{err:?}");
    }
    let found = meetings.find_by_join_url(&join_url).await.expect("find");
    assert!(found.is_empty());

    // The external id is free again: createOrGet makes a new meeting.
    let again = meetings.create_or_get(&request).await.expect("createOrGet");
    let again_id = id_of(again.meeting());
    assert_ne!(again_id, id);
    meetings.meeting(again_id).delete().await.expect("clean up");
}

#[tokio::test]
async fn a_meeting_lives_and_dies_through_every_call() {
    let emulator = start().await;
    let client = delegated(&emulator);
    lifecycle(client.me()).await;
    lifecycle(client.user(USER)).await;
    assert_eq!(emulator.meeting_count(), 0);
    stop(emulator).await;
}

#[tokio::test]
async fn another_users_meeting_is_not_visible() {
    let emulator = start().await;
    let mine = delegated(&emulator);
    let app = application(&emulator);
    let meeting = mine
        .me()
        .create_or_get(&CreateOrGetRequest::new("private"))
        .await
        .expect("created")
        .into_meeting();
    let id = id_of(&meeting);
    let join_url = meeting.join_web_url.as_deref().expect("a join URL");

    // The app acting for another user sees nothing of it…
    let err = app
        .user(OTHER_USER)
        .meeting(id)
        .get()
        .await
        .expect_err("another user's");
    assert!(not_found(&err), "{err:?}");
    let err = app
        .user(OTHER_USER)
        .meeting(id)
        .delete()
        .await
        .expect_err("another user's");
    assert!(not_found(&err), "{err:?}");
    let found = app
        .user(OTHER_USER)
        .find_by_join_url(join_url)
        .await
        .expect("an empty collection");
    assert!(found.is_empty());
    // …and acting for its organizer, it does.
    let theirs = app
        .user(USER)
        .meeting(id)
        .get()
        .await
        .expect("the organizer's meeting");
    assert_eq!(*theirs, meeting);
    stop(emulator).await;
}

#[tokio::test]
async fn get_and_delete_are_retried_but_update_only_after_429() {
    let emulator = start().await;
    let client = delegated(&emulator);
    let meeting = client
        .me()
        .create_or_get(&CreateOrGetRequest::new("retried"))
        .await
        .expect("created")
        .into_meeting();
    let id = id_of(&meeting);

    emulator
        .faults()
        .fail_next(1, Fault::unavailable())
        .expect("queued");
    let response = client.me().meeting(id).get().await.expect("503, then 200");
    assert_eq!(response.attempts(), 2);

    emulator
        .faults()
        .fail_next(1, Fault::unavailable())
        .expect("queued");
    let err = client
        .me()
        .meeting(id)
        .update(&OnlineMeeting::default())
        .await
        .expect_err("an update is not retried after 503");
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));

    emulator
        .faults()
        .fail_next(1, Fault::throttle("0"))
        .expect("queued");
    let response = client
        .me()
        .meeting(id)
        .update(&OnlineMeeting::default())
        .await
        .expect("429, then 200");
    assert_eq!(response.attempts(), 2);

    emulator
        .faults()
        .fail_next(1, Fault::unavailable())
        .expect("queued");
    let response = client
        .me()
        .meeting(id)
        .delete()
        .await
        .expect("503, then 204");
    assert_eq!(
        (response.attempts(), response.status()),
        (2, StatusCode::NO_CONTENT)
    );
    stop(emulator).await;
}

#[tokio::test]
async fn meeting_ids_are_one_validated_path_segment() {
    let emulator = start().await;
    let client = delegated(&emulator);
    for bad in ["", ".", ".."] {
        let err = client.me().meeting(bad).get().await.expect_err("rejected");
        assert!(matches!(err, Error::Validation(_)), "{bad:?}: {err:?}");
        let err = client
            .user(USER)
            .meeting(bad)
            .delete()
            .await
            .expect_err("rejected");
        assert!(matches!(err, Error::Validation(_)), "{bad:?}: {err:?}");
    }
    // Anything else stays in its segment: Graph (here the emulator) says it is unknown.
    for odd in ["a/../b", r"a\..\b", "x?y#z", "%2e%2e"] {
        let err = client
            .me()
            .meeting(odd)
            .get()
            .await
            .expect_err("unknown id");
        assert!(not_found(&err), "{odd:?}: {err:?}");
    }
    assert_eq!(
        emulator.stats().unmatched(),
        0,
        "every call reached its route"
    );
    stop(emulator).await;
}
