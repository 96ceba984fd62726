//! create and createOrGet semantics over real HTTP, and (in `artifacts`) what comes after a
//! meeting.

mod common;
// The attendance reports, transcripts and recordings of ended meetings (tests/artifacts/mod.rs:
// in a subdirectory, so that it is a module of this binary rather than a binary of its own).
mod artifacts;

use chrono::{DateTime, TimeDelta};
use common::*;
use graph_online_meetings_emulator::{TokenKind, fake_token, fake_token_from_claims};
use serde_json::{Value, json};

const ODATA_JSON: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

fn time(value: &Value) -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(value.as_str().expect("a time string")).expect("RFC 3339")
}

#[tokio::test]
async fn create_or_get_creates_then_returns_the_same_meeting() {
    let emulator = start().await;
    let client = client();
    let url = emulator.url("/v1.0/me/onlineMeetings/createOrGet");
    let token = delegated(TENANT, USER);
    let body = json!({
        "startDateTime": "2020-02-06T01:49:21.3524945+00:00",
        "endDateTime": "2020-02-06T02:19:21.3524945+00:00",
        "subject": "Create a meeting with customId provided",
        "externalId": "7eb8263f-d0e0-4149-bb1c-1f0476083c56",
    });

    let first = post(&client, &url, &token, &body).await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.header("content-type"), Some(ODATA_JSON));
    let second = post(&client, &url, &token, &body).await;
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(second.header("content-type"), Some(ODATA_JSON));

    assert_eq!(first.body["id"], second.body["id"]);
    assert_eq!(
        first.body, second.body,
        "the stored meeting comes back as is"
    );
    assert_ne!(
        first.header("request-id"),
        second.header("request-id"),
        "each answer has its own request-id"
    );
    assert_eq!(emulator.meeting_count(), 1);
}

#[tokio::test]
async fn an_existing_meeting_is_returned_unchanged() {
    let emulator = start().await;
    let client = client();
    let url = emulator.url("/v1.0/me/onlineMeetings/createOrGet");
    let token = delegated(TENANT, USER);
    let first = post(
        &client,
        &url,
        &token,
        &json!({"externalId": "e1", "subject": "first"}),
    )
    .await;
    let second = post(
        &client,
        &url,
        &token,
        &json!({"externalId": "e1", "subject": "second"}),
    )
    .await;
    assert_eq!((first.status, second.status), (201, 200));
    assert_eq!(second.body["subject"], "first");
    assert_eq!(second.body["id"], first.body["id"]);
}

#[tokio::test]
async fn the_meeting_has_graphs_shape() {
    let emulator = start().await;
    let client = client();
    let token = fake_token_from_claims(&json!({
        "tid": TENANT, "oid": USER, "scp": "OnlineMeetings.ReadWrite", "upn": "adele@contoso.com"
    }));
    let request = json!({
        "startDateTime": "2019-07-12T14:30:34.2444915-07:00",
        "endDateTime": "2019-07-12T15:00:34.2464912-07:00",
        "subject": "User Token Meeting",
        "externalId": "shape-1",
        "participants": {
            "attendees": [{
                "identity": {"user": {"id": OTHER_USER}},
                "upn": "test1@contoso.com"
            }]
        },
        "allowedPresenters": "organizer",
        "someFutureProperty": {"nested": [1, 2, 3]},
        "@odata.type": "#microsoft.graph.onlineMeeting"
    });
    let answer = post(
        &client,
        &emulator.url("/v1.0/me/onlineMeetings/createOrGet"),
        &token,
        &request,
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let meeting = &answer.body;

    let keys: Vec<&String> = meeting.as_object().expect("an object").keys().collect();
    assert_eq!(keys.first().map(|k| k.as_str()), Some("@odata.context"));
    assert_eq!(
        meeting["@odata.context"],
        format!(
            "https://graph.microsoft.com/v1.0/$metadata#users('{USER}')/onlineMeetings/$entity"
        )
    );
    let id = meeting["id"].as_str().expect("id");
    assert!(id.len() > 20 && !id.contains(' '), "{id}");
    time(&meeting["creationDateTime"]);
    assert_eq!(
        meeting["startDateTime"],
        "2019-07-12T14:30:34.2444915-07:00"
    );
    assert_eq!(meeting["endDateTime"], "2019-07-12T15:00:34.2464912-07:00");
    assert!(
        meeting["joinWebUrl"]
            .as_str()
            .expect("joinWebUrl")
            .starts_with("https://teams.microsoft.com/l/meetup-join/19%3Ameeting_")
    );
    assert_eq!(meeting["subject"], "User Token Meeting");
    assert_eq!(meeting["externalId"], "shape-1");

    let join = &meeting["joinMeetingIdSettings"];
    assert_eq!(join["isPasscodeRequired"], true);
    let join_id = join["joinMeetingId"].as_str().expect("joinMeetingId");
    assert!(!join_id.is_empty() && join_id.bytes().all(|b| b.is_ascii_digit()));
    assert!(join["passcode"].as_str().is_some_and(|p| !p.is_empty()));

    let audio = &meeting["audioConferencing"];
    for key in [
        "conferenceId",
        "tollNumber",
        "tollFreeNumber",
        "dialinUrl",
        "tollNumbers",
        "tollFreeNumbers",
    ] {
        assert!(!audio[key].is_null(), "audioConferencing.{key}");
    }

    let chat = &meeting["chatInfo"];
    assert!(
        chat["threadId"]
            .as_str()
            .is_some_and(|t| t.starts_with("19:"))
    );
    assert_eq!(chat["messageId"], "0");
    assert_eq!(chat["replyChainMessageId"], Value::Null);

    let participant_keys: Vec<&String> = meeting["participants"]
        .as_object()
        .expect("participants")
        .keys()
        .collect();
    assert_eq!(
        participant_keys,
        ["organizer", "attendees", "producers", "contributors"]
    );
    let organizer = &meeting["participants"]["organizer"];
    assert_eq!(organizer["identity"]["user"]["id"], USER);
    assert_eq!(organizer["identity"]["user"]["tenantId"], TENANT);
    assert_eq!(organizer["identity"]["user"]["displayName"], Value::Null);
    assert_eq!(organizer["upn"], "adele@contoso.com");
    assert_eq!(organizer["role"], "presenter");
    let attendees = meeting["participants"]["attendees"]
        .as_array()
        .expect("attendees");
    assert_eq!(attendees.len(), 1);
    assert_eq!(attendees[0]["upn"], "test1@contoso.com");
    assert_eq!(attendees[0]["identity"]["user"]["id"], OTHER_USER);

    // Defaults, a caller's value over a default, and unknown properties echoed.
    assert_eq!(meeting["isBroadcast"], false);
    assert_eq!(meeting["allowMeetingChat"], "enabled");
    assert_eq!(meeting["isEntryExitAnnounced"], true);
    assert_eq!(meeting["lobbyBypassSettings"]["scope"], "organization");
    assert!(meeting["videoTeleconferenceId"].is_string());
    assert_eq!(meeting["allowedPresenters"], "organizer");
    assert_eq!(meeting["someFutureProperty"], json!({"nested": [1, 2, 3]}));
    assert_eq!(meeting["@odata.type"], "#microsoft.graph.onlineMeeting");
}

#[tokio::test]
async fn one_external_id_for_another_user_or_tenant_is_another_meeting() {
    let emulator = start().await;
    let client = client();
    let url = emulator.url("/v1.0/me/onlineMeetings/createOrGet");
    let body = json!({"externalId": "shared-key"});

    let mine = post(&client, &url, &delegated(TENANT, USER), &body).await;
    let other_user = post(&client, &url, &delegated(TENANT, OTHER_USER), &body).await;
    let other_tenant = post(&client, &url, &delegated("other-tenant", USER), &body).await;
    assert_eq!(
        (mine.status, other_user.status, other_tenant.status),
        (201, 201, 201)
    );
    assert_ne!(mine.body["id"], other_user.body["id"]);
    assert_ne!(mine.body["id"], other_tenant.body["id"]);
    assert_ne!(other_user.body["id"], other_tenant.body["id"]);
    assert_eq!(
        other_tenant.body["participants"]["organizer"]["identity"]["user"]["tenantId"],
        "other-tenant"
    );

    // Each of them gets its own meeting back.
    let mine_again = post(&client, &url, &delegated(TENANT, USER), &body).await;
    assert_eq!(mine_again.status, 200);
    assert_eq!(mine_again.body["id"], mine.body["id"]);
    assert_eq!(emulator.meeting_count(), 3);
}

#[tokio::test]
async fn an_app_token_acts_as_the_user_in_the_path() {
    let emulator = start().await;
    let client = client();
    let body = json!({"externalId": "app-1"});
    let users_url = emulator.url(&format!("/v1.0/users/{USER}/onlineMeetings/createOrGet"));

    let created = post(&client, &users_url, &application(TENANT), &body).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(
        created.body["participants"]["organizer"]["identity"]["user"]["id"],
        USER
    );
    assert_eq!(
        created.body["@odata.context"],
        format!(
            "https://graph.microsoft.com/v1.0/$metadata#users('{USER}')/onlineMeetings/$entity"
        )
    );

    // Same tenant + user + externalId through /me with the user's own token: the same meeting.
    let via_me = post(
        &client,
        &emulator.url("/v1.0/me/onlineMeetings/createOrGet"),
        &delegated(TENANT, USER),
        &body,
    )
    .await;
    assert_eq!(via_me.status, 200);
    assert_eq!(via_me.body["id"], created.body["id"]);

    // The user id is compared case-insensitively.
    let upper = emulator.url(&format!(
        "/v1.0/users/{}/onlineMeetings/createOrGet",
        USER.to_uppercase()
    ));
    let again = post(&client, &upper, &application(TENANT), &body).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["id"], created.body["id"]);
}

#[tokio::test]
async fn a_delegated_token_may_use_users_only_for_itself() {
    let emulator = start().await;
    let client = client();
    let body = json!({"externalId": "self-1"});
    let token = delegated(TENANT, USER);

    let own = post(
        &client,
        &emulator.url(&format!("/beta/users/{USER}/onlineMeetings/createOrGet")),
        &token,
        &body,
    )
    .await;
    assert_eq!(own.status, 201, "{}", own.body);

    let other = post(
        &client,
        &emulator.url(&format!(
            "/beta/users/{OTHER_USER}/onlineMeetings/createOrGet"
        )),
        &token,
        &body,
    )
    .await;
    assert_eq!(other.status, 403, "{}", other.body);
    assert_eq!(other.error_code(), "Forbidden");
}

#[tokio::test]
async fn me_with_an_app_token_is_400() {
    let emulator = start().await;
    let client = client();
    for path in [
        "/v1.0/me/onlineMeetings",
        "/v1.0/me/onlineMeetings/createOrGet",
        "/beta/me/onlineMeetings/createOrGet",
    ] {
        let answer = post(
            &client,
            &emulator.url(path),
            &application(TENANT),
            &json!({"externalId": "x"}),
        )
        .await;
        assert_eq!(answer.status, 400, "{path}: {}", answer.body);
        assert_eq!(answer.error_code(), "BadRequest");
        assert_eq!(
            answer.message(),
            "/me request is only valid with delegated authentication flow."
        );
    }
    assert_eq!(emulator.meeting_count(), 0);
}

#[tokio::test]
async fn plain_create_is_not_idempotent() {
    let emulator = start().await;
    let client = client();
    let url = emulator.url("/v1.0/me/onlineMeetings");
    let token = delegated(TENANT, USER);
    let body = json!({"subject": "User Token Meeting", "externalId": "ignored-here"});
    let first = post(&client, &url, &token, &body).await;
    let second = post(&client, &url, &token, &body).await;
    assert_eq!((first.status, second.status), (201, 201));
    assert_ne!(first.body["id"], second.body["id"]);
    assert_eq!(first.body["subject"], "User Token Meeting");
    assert_eq!(emulator.meeting_count(), 2);
    let stored = emulator.meetings();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0]["id"], first.body["id"]);
}

#[tokio::test]
async fn time_rules() {
    let emulator = start().await;
    let client = client();
    let token = delegated(TENANT, USER);
    for (path, extra) in [
        ("/v1.0/me/onlineMeetings", json!({})),
        (
            "/v1.0/me/onlineMeetings/createOrGet",
            json!({"externalId": "unused"}),
        ),
    ] {
        let url = emulator.url(path);
        let with = |times: Value, n: usize| {
            let mut body = times;
            if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
                for (k, v) in extra {
                    let v = match v.as_str() {
                        Some(s) => json!(format!("{s}-{n}")),
                        None => v.clone(),
                    };
                    body.insert(k.clone(), v);
                }
            }
            body
        };

        // Both missing: start = now, end = start + 1 h.
        let both_missing = post(&client, &url, &token, &with(json!({}), 1)).await;
        assert_eq!(both_missing.status, 201, "{path}: {}", both_missing.body);
        let start = time(&both_missing.body["startDateTime"]);
        let end = time(&both_missing.body["endDateTime"]);
        assert_eq!(end - start, TimeDelta::hours(1), "{path}");
        assert!(
            both_missing.body["startDateTime"]
                .as_str()
                .is_some_and(|s| s.ends_with('Z'))
        );

        // Only the start: end = start + 1 h, in the caller's offset.
        let only_start = post(
            &client,
            &url,
            &token,
            &with(
                json!({"startDateTime": "2019-07-12T14:30:34.2444915-07:00"}),
                2,
            ),
        )
        .await;
        assert_eq!(only_start.status, 201, "{path}: {}", only_start.body);
        assert_eq!(
            only_start.body["startDateTime"],
            "2019-07-12T14:30:34.2444915-07:00"
        );
        assert_eq!(
            only_start.body["endDateTime"],
            "2019-07-12T15:30:34.2444915-07:00"
        );

        // An end equal to the start is not earlier: accepted.
        let equal = post(
            &client,
            &url,
            &token,
            &with(
                json!({"startDateTime": "2020-01-01T10:00:00Z", "endDateTime": "2020-01-01T11:00:00+01:00"}),
                3,
            ),
        )
        .await;
        assert_eq!(equal.status, 201, "{path}: {}", equal.body);

        // Errors.
        for (n, bad) in [
            json!({"endDateTime": "2020-02-06T02:19:21Z"}),
            json!({"startDateTime": "2020-02-06T02:19:21Z", "endDateTime": "2020-02-06T02:19:20.9Z"}),
            json!({"startDateTime": "not a date"}),
            json!({"startDateTime": "2020-02-06 02:19:21"}),
            json!({"startDateTime": 1_580_955_561}),
            json!({"startDateTime": "2020-02-06T02:19:21Z", "endDateTime": false}),
        ]
        .into_iter()
        .enumerate()
        {
            let answer = post(&client, &url, &token, &with(bad.clone(), 10 + n)).await;
            assert_eq!(answer.status, 400, "{path} {bad}: {}", answer.body);
            assert_eq!(answer.error_code(), "BadRequest");
        }
    }
    // Only the successful calls made meetings: 3 per route.
    assert_eq!(emulator.meeting_count(), 6);
}

#[tokio::test]
async fn external_id_must_be_a_non_empty_string() {
    let emulator = start().await;
    let client = client();
    let url = emulator.url("/v1.0/me/onlineMeetings/createOrGet");
    let token = delegated(TENANT, USER);
    for body in [
        json!({}),
        json!({"externalId": null}),
        json!({"externalId": ""}),
        json!({"externalId": 42}),
        json!({"externalId": {"id": "x"}}),
    ] {
        let answer = post(&client, &url, &token, &body).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.body);
        assert_eq!(answer.error_code(), "BadRequest");
        assert!(
            answer.message().contains("externalId"),
            "{}",
            answer.message()
        );
    }
    assert_eq!(emulator.meeting_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_create_or_get_with_one_key_creates_one_meeting() {
    let emulator = start().await;
    let client = client();
    let url = emulator.url(&format!("/v1.0/users/{USER}/onlineMeetings/createOrGet"));
    let token = application(TENANT);
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..64 {
        let client = client.clone();
        let url = url.clone();
        let token = token.clone();
        calls.spawn(
            async move { post(&client, &url, &token, &json!({"externalId": "race"})).await },
        );
    }
    let mut created = 0;
    let mut existing = 0;
    let mut ids = std::collections::HashSet::new();
    while let Some(answer) = calls.join_next().await {
        let answer = answer.expect("the task finishes");
        match answer.status {
            201 => created += 1,
            200 => existing += 1,
            other => panic!("unexpected status {other}: {}", answer.body),
        }
        ids.insert(answer.body["id"].as_str().map(str::to_owned));
    }
    assert_eq!(created, 1);
    assert_eq!(existing, 63);
    assert_eq!(ids.len(), 1, "every answer carries the same meeting");
    assert_eq!(emulator.meeting_count(), 1);
}

#[tokio::test]
async fn beta_routes_answer_with_beta_context() {
    let emulator = start().await;
    let client = client();
    let token = delegated(TENANT, USER);
    let created = post(
        &client,
        &emulator.url("/beta/me/onlineMeetings"),
        &token,
        &json!({"subject": "beta"}),
    )
    .await;
    assert_eq!(created.status, 201);
    assert!(
        created.body["@odata.context"]
            .as_str()
            .is_some_and(|c| c.starts_with("https://graph.microsoft.com/beta/$metadata#users("))
    );
    assert_eq!(created.body["autoAdmittedUsers"], "everyoneInCompany");
}

#[tokio::test]
async fn a_channel_meeting_keeps_the_callers_thread() {
    let emulator = start().await;
    let client = client();
    let thread = "19:7ebda77322dd4505ac4dedb5b67df076@thread.tacv2";
    let answer = post(
        &client,
        &emulator.url("/beta/me/onlineMeetings/createOrGet"),
        &fake_token(TENANT, USER, TokenKind::Delegated),
        &json!({"externalId": "channel-1", "chatInfo": {"threadId": thread}}),
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.body["chatInfo"]["threadId"], thread);
    let message_id = answer.body["chatInfo"]["messageId"]
        .as_str()
        .expect("messageId");
    assert!(message_id != "0" && message_id.bytes().all(|b| b.is_ascii_digit()));
}

#[tokio::test]
async fn client_request_id_is_echoed() {
    let emulator = start().await;
    let client = client();
    let response = client
        .post(emulator.url("/v1.0/me/onlineMeetings"))
        .bearer_auth(delegated(TENANT, USER))
        .header("client-request-id", "my-correlation-id")
        .json(&json!({}))
        .send()
        .await
        .expect("answered");
    let answer = answer(response).await;
    assert_eq!(answer.status, 201);
    assert_eq!(
        answer.header("client-request-id"),
        Some("my-correlation-id")
    );
    let request_id = answer.header("request-id").expect("request-id");
    assert!(uuid::Uuid::parse_str(request_id).is_ok(), "{request_id}");
}
