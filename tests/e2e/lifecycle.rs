//! The meeting lifecycle end to end: `GraphClient` against the emulator, for `/me` and
//! for `/users/{userId}`: create, get, update, find by join URL, delete, and what a
//! deleted or foreign meeting looks like afterwards.

use graph_online_meetings::types::{CreateOrGetRequest, OnlineMeeting};
use graph_online_meetings::{Error, GraphClient};
use graph_online_meetings_emulator::Fault;
use reqwest::StatusCode;

use crate::support::*;

fn not_found(err: &Error) -> bool {
    matches!(err, Error::Api(e) if e.status() == StatusCode::NOT_FOUND
        && e.code() == Some("itemNotFound"))
}

/// `/me` and `/users/{USER}` calls of the same delegated user.
enum Scope {
    Me,
    User,
}

impl Scope {
    async fn create_or_get(
        &self,
        client: &GraphClient,
        request: &CreateOrGetRequest,
    ) -> OnlineMeeting {
        match self {
            Scope::Me => client.create_or_get(request).await,
            Scope::User => client.create_or_get_for_user(USER, request).await,
        }
        .expect("createOrGet")
        .into_meeting()
    }

    async fn get(&self, client: &GraphClient, id: &str) -> Result<OnlineMeeting, Error> {
        match self {
            Scope::Me => client.get_online_meeting(id).await,
            Scope::User => client.get_online_meeting_for_user(USER, id).await,
        }
    }

    async fn update(
        &self,
        client: &GraphClient,
        id: &str,
        changes: &OnlineMeeting,
    ) -> Result<OnlineMeeting, Error> {
        match self {
            Scope::Me => client.update_online_meeting(id, changes).await,
            Scope::User => {
                client
                    .update_online_meeting_for_user(USER, id, changes)
                    .await
            }
        }
    }

    async fn delete(&self, client: &GraphClient, id: &str) -> Result<(), Error> {
        match self {
            Scope::Me => client.delete_online_meeting(id).await,
            Scope::User => client.delete_online_meeting_for_user(USER, id).await,
        }
    }

    async fn find(&self, client: &GraphClient, url: &str) -> Vec<OnlineMeeting> {
        match self {
            Scope::Me => client.find_online_meetings_by_join_url(url).await,
            Scope::User => {
                client
                    .find_online_meetings_by_join_url_for_user(USER, url)
                    .await
            }
        }
        .expect("find by join URL")
    }
}

#[tokio::test]
async fn a_meeting_lives_and_dies_through_every_call() {
    let emulator = start().await;
    let client = delegated(&emulator);
    for scope in [Scope::Me, Scope::User] {
        let request = CreateOrGetRequest::new("lifecycle-1").with_subject("Plan");
        let created = scope.create_or_get(&client, &request).await;
        let id = id_of(&created).to_owned();

        let fetched = scope.get(&client, &id).await.expect("get");
        assert_eq!(fetched, created, "get returns the stored meeting");

        let start = at("2030-01-01T09:00:00+01:00");
        let changes = OnlineMeeting {
            subject: Some("Plan, moved".into()),
            start_date_time: Some(start),
            end_date_time: Some(start + chrono::TimeDelta::minutes(45)),
            ..Default::default()
        };
        let updated = scope.update(&client, &id, &changes).await.expect("update");
        assert_eq!(updated.subject.as_deref(), Some("Plan, moved"));
        assert_eq!(updated.start_date_time, Some(start));
        assert_eq!(id_of(&updated), id);
        assert_eq!(updated.join_web_url, created.join_web_url, "server-owned");
        assert_eq!(scope.get(&client, &id).await.expect("get"), updated);

        let join_url = created.join_web_url.clone().expect("a join URL");
        let found = scope.find(&client, &join_url).await;
        assert_eq!(found.iter().map(id_of).collect::<Vec<_>>(), [id.as_str()]);
        assert!(
            scope
                .find(&client, "https://teams.microsoft.com/l/none'x")
                .await
                .is_empty()
        );

        scope.delete(&client, &id).await.expect("delete");
        for err in [
            scope.get(&client, &id).await.expect_err("deleted"),
            scope
                .update(&client, &id, &changes)
                .await
                .expect_err("deleted"),
            scope.delete(&client, &id).await.expect_err("deleted"),
        ] {
            assert!(not_found(&err), "{err:?}");
        }
        assert!(scope.find(&client, &join_url).await.is_empty());

        // The external id is free again: createOrGet makes a new meeting.
        let again = scope.create_or_get(&client, &request).await;
        assert_ne!(id_of(&again), id);
        scope
            .delete(&client, id_of(&again))
            .await
            .expect("clean up");
    }
    assert_eq!(emulator.meeting_count(), 0);
    stop(emulator).await;
}

#[tokio::test]
async fn another_users_meeting_is_not_visible() {
    let emulator = start().await;
    let mine = delegated(&emulator);
    let app = application(&emulator);
    let meeting = mine
        .create_or_get(&CreateOrGetRequest::new("private"))
        .await
        .expect("created")
        .into_meeting();
    let id = id_of(&meeting);
    let join_url = meeting.join_web_url.as_deref().expect("a join URL");

    // The app acting for another user sees nothing of it…
    let err = app
        .get_online_meeting_for_user(OTHER_USER, id)
        .await
        .expect_err("another user's");
    assert!(not_found(&err), "{err:?}");
    let err = app
        .delete_online_meeting_for_user(OTHER_USER, id)
        .await
        .expect_err("another user's");
    assert!(not_found(&err), "{err:?}");
    let found = app
        .find_online_meetings_by_join_url_for_user(OTHER_USER, join_url)
        .await
        .expect("an empty collection");
    assert!(found.is_empty());
    // …and acting for its organizer, it does.
    let theirs = app
        .get_online_meeting_for_user(USER, id)
        .await
        .expect("the organizer's meeting");
    assert_eq!(&theirs, &meeting);
    stop(emulator).await;
}

#[tokio::test]
async fn get_and_delete_are_retried_but_update_only_after_429() {
    let emulator = start().await;
    let client = delegated(&emulator);
    let meeting = client
        .create_or_get(&CreateOrGetRequest::new("retried"))
        .await
        .expect("created")
        .into_meeting();
    let id = id_of(&meeting);

    emulator
        .faults()
        .fail_next(1, Fault::unavailable())
        .expect("queued");
    let response = client
        .get_online_meeting_with_response(id)
        .await
        .expect("503, then 200");
    assert_eq!(response.attempts(), 2);

    emulator
        .faults()
        .fail_next(1, Fault::unavailable())
        .expect("queued");
    let err = client
        .update_online_meeting(id, &OnlineMeeting::default())
        .await
        .expect_err("an update is not retried after 503");
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));

    emulator
        .faults()
        .fail_next(1, Fault::throttle("0"))
        .expect("queued");
    let response = client
        .update_online_meeting_with_response(id, &OnlineMeeting::default())
        .await
        .expect("429, then 200");
    assert_eq!(response.attempts(), 2);

    emulator
        .faults()
        .fail_next(1, Fault::unavailable())
        .expect("queued");
    let response = client
        .delete_online_meeting_with_response(id)
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
        let err = client.get_online_meeting(bad).await.expect_err("rejected");
        assert!(matches!(err, Error::Validation(_)), "{bad:?}: {err:?}");
        let err = client
            .delete_online_meeting_for_user(USER, bad)
            .await
            .expect_err("rejected");
        assert!(matches!(err, Error::Validation(_)), "{bad:?}: {err:?}");
    }
    // Anything else stays in its segment: Graph (here the emulator) says it is unknown.
    for odd in ["a/../b", r"a\..\b", "x?y#z", "%2e%2e"] {
        let err = client
            .get_online_meeting(odd)
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
