//! What comes after a meeting: ending it (over HTTP and through the Rust API), then its
//! attendance reports and records, transcripts and recordings, paging, and the
//! `getAll…` functions with their delta. A module of the `meetings` test binary (a file in a
//! subdirectory, so that cargo does not build it as a binary of its own).

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, TimeDelta};
use graph_online_meetings_emulator::{
    Attendee, DEFAULT_PAGE_SIZE, Emulator, EmulatorError, Fault, MeetingEnd, Route,
    RunningEmulator, recording_byte,
};
use serde_json::{Value, json};

use crate::common::*;

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("an RFC 3339 time")
}

/// `count` attendees, attendee `i` from 09:00 + `i` minutes to 10:00.
fn attendees(count: usize) -> Vec<Attendee> {
    let nine = at("2026-01-05T09:00:00Z");
    (0..count)
        .map(|i| {
            let join = nine + TimeDelta::minutes(i64::try_from(i).expect("a small count"));
            Attendee::new(
                format!("Attendee {i:02}"),
                format!("attendee{i:02}@contoso.com"),
            )
            .interval(join, at("2026-01-05T10:00:00Z"))
        })
        .collect()
}

/// Creates a meeting for `user` (through `/me`) and returns its id.
async fn meeting_of(emulator: &RunningEmulator, client: &reqwest::Client, user: &str) -> String {
    let created = post(
        client,
        &emulator.url("/v1.0/me/onlineMeetings"),
        &delegated(TENANT, user),
        &json!({"subject": "after the meeting"}),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    created.body["id"].as_str().expect("an id").to_owned()
}

async fn get(client: &reqwest::Client, url: &str, token: &str) -> Answer {
    let response = client
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("the request is answered");
    answer(response).await
}

/// Every item of a collection, following `@odata.nextLink`; and how many pages it took.
async fn all_pages(client: &reqwest::Client, first: &str, token: &str) -> (Vec<Value>, usize) {
    let mut items = Vec::new();
    let mut pages = 0;
    let mut url = first.to_owned();
    loop {
        let page = get(client, &url, token).await;
        assert_eq!(page.status, 200, "{url}: {}", page.body);
        pages += 1;
        assert!(page.body["@odata.context"].is_string(), "{}", page.body);
        items.extend(
            page.body["value"]
                .as_array()
                .expect("value")
                .iter()
                .cloned(),
        );
        match page.body["@odata.nextLink"].as_str() {
            Some(next) => url = next.to_owned(),
            None => return (items, pages),
        }
    }
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[tokio::test]
async fn ending_a_meeting_over_http_makes_a_report_a_transcript_and_a_recording() {
    let emulator = start().await;
    let client = client();
    let token = delegated(TENANT, USER);
    let id = meeting_of(&emulator, &client, USER).await;
    let base = format!("/v1.0/me/onlineMeetings/{id}");

    let ended = post(
        &client,
        &emulator.url(&format!("/_emulator{base}/end")),
        &token,
        &json!({
            "attendees": [
                {"displayName": "Ada Lovelace", "emailAddress": "ada@contoso.com",
                 "intervals": [
                    {"joinDateTime": "2026-01-05T09:00:00Z", "leaveDateTime": "2026-01-05T09:20:00Z"},
                    {"joinDateTime": "2026-01-05T10:25:00+01:00", "leaveDateTime": "2026-01-05T10:40:00.5+01:00"}
                 ]},
                {"displayName": "Charles Babbage", "emailAddress": "charles@contoso.com", "intervals": []}
            ],
            "recordingBytes": 1000
        }),
    )
    .await;
    assert_eq!(ended.status, 204, "{}", ended.body);
    assert_eq!(ended.body, Value::Null, "no body");

    let reports = get(
        &client,
        &emulator.url(&format!("{base}/attendanceReports")),
        &token,
    )
    .await;
    assert_eq!(reports.status, 200, "{}", reports.body);
    assert_eq!(
        reports.body["@odata.context"],
        format!(
            "https://graph.microsoft.com/v1.0/$metadata#users('{USER}')/onlineMeetings('{id}')/attendanceReports"
        )
    );
    assert_eq!(
        keys(&reports.body),
        ["@odata.context", "value"],
        "one page, no links"
    );
    let report = &reports.body["value"][0];
    assert_eq!(
        keys(report),
        [
            "externalEventInformation",
            "id",
            "meetingEndDateTime",
            "meetingStartDateTime",
            "totalParticipantCount"
        ]
    );
    assert_eq!(report["totalParticipantCount"], 2);
    assert_eq!(
        report["meetingStartDateTime"],
        "2026-01-05T09:00:00.0000000Z"
    );
    assert_eq!(report["meetingEndDateTime"], "2026-01-05T09:40:00.5000000Z");
    assert_eq!(report["externalEventInformation"], json!([]));

    let report_id = report["id"].as_str().expect("a report id");
    let records = get(
        &client,
        &emulator.url(&format!(
            "{base}/attendanceReports/{report_id}/attendanceRecords"
        )),
        &token,
    )
    .await;
    assert_eq!(records.status, 200, "{}", records.body);
    let ada = &records.body["value"][0];
    assert_eq!(
        keys(ada),
        [
            "attendanceIntervals",
            "emailAddress",
            "externalRegistrationInformation",
            "id",
            "identity",
            "registrationId",
            "role",
            "totalAttendanceInSeconds"
        ]
    );
    assert_eq!(ada["emailAddress"], "ada@contoso.com");
    assert_eq!(ada["role"], "Attendee");
    assert_eq!(ada["totalAttendanceInSeconds"], 20 * 60 + 15 * 60);
    assert_eq!(keys(&ada["identity"]), ["displayName", "id"]);
    assert_eq!(ada["identity"]["displayName"], "Ada Lovelace");
    assert_eq!(
        ada["attendanceIntervals"][1],
        json!({
            "joinDateTime": "2026-01-05T10:25:00+01:00",
            "leaveDateTime": "2026-01-05T10:40:00.500+01:00",
            "durationInSeconds": 900
        })
    );
    assert_eq!(records.body["value"][1]["totalAttendanceInSeconds"], 0);

    let transcripts = get(
        &client,
        &emulator.url(&format!("{base}/transcripts")),
        &token,
    )
    .await;
    assert_eq!(transcripts.status, 200, "{}", transcripts.body);
    let transcript = &transcripts.body["value"][0];
    assert_eq!(
        keys(transcript),
        [
            "callId",
            "contentCorrelationId",
            "createdDateTime",
            "endDateTime",
            "id",
            "meetingId",
            "meetingOrganizer",
            "transcriptContentUrl"
        ]
    );
    assert_eq!(transcript["meetingId"], id.as_str());
    assert_eq!(transcript["meetingOrganizer"]["user"]["id"], USER);
    assert_eq!(transcript["endDateTime"], "2026-01-05T09:40:00.5000000Z");
    let created = transcript["createdDateTime"]
        .as_str()
        .expect("createdDateTime");
    assert_eq!(
        created.len(),
        "2026-01-05T09:40:00.5000000Z".len(),
        "{created}"
    );

    let recordings = get(
        &client,
        &emulator.url(&format!("{base}/recordings")),
        &token,
    )
    .await;
    assert_eq!(recordings.status, 200, "{}", recordings.body);
    let recording = &recordings.body["value"][0];
    assert!(recording["recordingContentUrl"].is_string());
    assert!(recording.get("transcriptContentUrl").is_none());
    assert_eq!(
        recording["contentCorrelationId"], transcript["contentCorrelationId"],
        "the transcript and the recording of one session are correlated"
    );
    assert_eq!(recording["callId"], transcript["callId"]);

    // The content URL leads back to the emulator, and works with the organizer's token.
    let content_url = transcript["transcriptContentUrl"].as_str().expect("a URL");
    assert!(
        content_url.starts_with(&format!("{}/v1.0/users/{USER}/", emulator.base_url())),
        "{content_url}"
    );
    let content = client
        .get(content_url)
        .bearer_auth(&token)
        .send()
        .await
        .expect("answered");
    assert_eq!(content.status(), 200);
    let vtt = content.text().await.expect("the VTT");
    assert!(
        vtt.starts_with("WEBVTT\n\n00:00:00.000 --> 00:00:05.000\n<v Ada Lovelace>"),
        "{vtt}"
    );
    assert!(vtt.contains("<v Charles Babbage>"), "{vtt}");

    // Through /users/{userId} with an application token: the same artifacts.
    let via_app = get(
        &client,
        &emulator.url(&format!(
            "/beta/users/{USER}/onlineMeetings/{id}/transcripts"
        )),
        &application(TENANT),
    )
    .await;
    assert_eq!(via_app.status, 200, "{}", via_app.body);
    assert_eq!(via_app.body["value"][0]["id"], transcript["id"]);
}

#[tokio::test]
async fn ending_through_the_rust_api_and_reading_the_content() {
    let emulator = start().await;
    let client = client();
    let token = delegated(TENANT, USER);
    let id = meeting_of(&emulator, &client, USER).await;
    let end = MeetingEnd::new(attendees(3)).recording_bytes(10);
    // The user is compared case-insensitively, like the routes do.
    let ended = emulator
        .end_meeting(TENANT, &USER.to_uppercase(), &id, &end)
        .expect("the meeting ends");
    assert_eq!(ended.recording_bytes, 10);
    for name in ["Attendee 00", "Attendee 01", "Attendee 02"] {
        assert!(
            ended.transcript_vtt.contains(&format!("<v {name}>")),
            "{name}"
        );
    }

    let transcript = format!(
        "/v1.0/me/onlineMeetings/{id}/transcripts/{}",
        ended.transcript_id
    );
    for query in ["", "?$format=text/vtt"] {
        let response = client
            .get(emulator.url(&format!("{transcript}/content{query}")))
            .bearer_auth(&token)
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 200, "{query}");
        assert_eq!(response.headers()["content-type"], "text/vtt");
        assert!(response.headers().contains_key("request-id"));
        let body = response.bytes().await.expect("the content");
        assert_eq!(body, ended.transcript_vtt.as_bytes(), "{query}");
    }
    let docx = get(
        &client,
        &emulator.url(&format!(
            "{transcript}/content?$format=application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )),
        &token,
    )
    .await;
    assert_eq!(docx.status, 400, "{}", docx.body);
    assert_eq!(docx.error_code(), "BadRequest");

    let metadata = client
        .get(emulator.url(&format!("{transcript}/metadataContent")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answered");
    assert_eq!(metadata.status(), 200);
    assert_eq!(metadata.headers()["content-type"], "text/vtt");
    let metadata = metadata.text().await.expect("the metadata");
    let lines: Vec<Value> = metadata
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).expect("a JSON cue"))
        .collect();
    assert_eq!(lines.len(), 3, "{metadata}");
    assert_eq!(lines[1]["speakerName"], "Attendee 01");
    assert_eq!(lines[1]["spokenLanguage"], "en-us");
    assert_eq!(lines[0]["startDateTime"], "2026-01-05T09:00:00.0000000Z");
    assert_eq!(lines[0]["endDateTime"], "2026-01-05T09:00:05.0000000Z");

    let one = get(&client, &emulator.url(&transcript), &token).await;
    assert_eq!(one.status, 200, "{}", one.body);
    assert_eq!(one.body["id"], ended.transcript_id.as_str());
    assert!(
        one.body["@odata.context"]
            .as_str()
            .is_some_and(|c| c.ends_with("/transcripts/$entity"))
    );
    let report = get(
        &client,
        &emulator.url(&format!(
            "/v1.0/me/onlineMeetings/{id}/attendanceReports/{}",
            ended.attendance_report_id
        )),
        &token,
    )
    .await;
    assert_eq!(report.status, 200, "{}", report.body);
    assert_eq!(report.body["totalParticipantCount"], 3);
    assert!(report.body.get("attendanceRecords").is_none());

    // Each end is a new session.
    let again = emulator
        .end_meeting(TENANT, USER, &id, &end)
        .expect("the meeting ends again");
    assert_ne!(again.transcript_id, ended.transcript_id);
    assert_ne!(again.attendance_report_id, ended.attendance_report_id);
    assert_ne!(again.recording_id, ended.recording_id);
    assert_eq!(again.transcript_vtt, ended.transcript_vtt, "deterministic");
    let reports = get(
        &client,
        &emulator.url(&format!("/v1.0/me/onlineMeetings/{id}/attendanceReports")),
        &token,
    )
    .await;
    let ids: Vec<&str> = reports.body["value"]
        .as_array()
        .expect("value")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            again.attendance_report_id.as_str(),
            ended.attendance_report_id.as_str()
        ],
        "most recent first"
    );

    // Errors of the Rust API.
    let backwards = MeetingEnd::new([Attendee::new("A", "a@contoso.com")
        .interval(at("2026-01-05T10:00:00Z"), at("2026-01-05T09:00:00Z"))]);
    assert!(matches!(
        emulator.end_meeting(TENANT, USER, &id, &backwards),
        Err(EmulatorError::InvalidMeetingEnd { .. })
    ));
    for (tenant, user, meeting) in [
        (TENANT, OTHER_USER, id.as_str()),
        ("other-tenant", USER, id.as_str()),
        (TENANT, USER, "no-such-meeting"),
    ] {
        let err = emulator
            .end_meeting(tenant, user, meeting, &end)
            .expect_err("not the organizer's meeting");
        assert!(
            matches!(err, EmulatorError::MeetingNotFound { .. }),
            "{err}"
        );
        assert!(err.to_string().contains(meeting), "{err}");
    }
}

#[tokio::test]
async fn twenty_five_attendees_are_listed_over_three_pages() {
    let emulator = start().await;
    let client = client();
    let id = meeting_of(&emulator, &client, USER).await;
    let ended = emulator
        .end_meeting(TENANT, USER, &id, &MeetingEnd::new(attendees(25)))
        .expect("the meeting ends");
    let token = application(TENANT);
    let records = emulator.url(&format!(
        "/v1.0/users/{USER}/onlineMeetings/{id}/attendanceReports/{}/attendanceRecords",
        ended.attendance_report_id
    ));

    let first = get(&client, &records, &token).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(
        first.body["value"].as_array().map(Vec::len),
        Some(DEFAULT_PAGE_SIZE)
    );
    let next = first.body["@odata.nextLink"].as_str().expect("a next link");
    assert!(
        next.starts_with(&format!("{records}?$skiptoken=")),
        "an absolute link to the same path: {next}"
    );
    assert_eq!(
        keys(&first.body),
        ["@odata.context", "@odata.nextLink", "value"]
    );

    let (items, pages) = all_pages(&client, &records, &token).await;
    assert_eq!(pages, 3);
    let emails: Vec<&str> = items
        .iter()
        .filter_map(|r| r["emailAddress"].as_str())
        .collect();
    let expected: Vec<String> = (0..25)
        .map(|i| format!("attendee{i:02}@contoso.com"))
        .collect();
    assert_eq!(emails, expected, "every record once, in order");

    // `$top` overrides the page size and is carried in the next link.
    let top = get(&client, &format!("{records}?$top=20"), &token).await;
    assert_eq!(top.body["value"].as_array().map(Vec::len), Some(20));
    let next = top.body["@odata.nextLink"].as_str().expect("a next link");
    assert!(next.contains("$top=20"), "{next}");
    let (items, pages) = all_pages(&client, &format!("{records}?$top=20"), &token).await;
    assert_eq!((items.len(), pages), (25, 2));
    for bad in ["0", "101", "ten"] {
        let answer = get(&client, &format!("{records}?$top={bad}"), &token).await;
        assert_eq!(answer.status, 400, "$top={bad}: {}", answer.body);
        assert_eq!(answer.error_code(), "BadRequest");
    }

    // The page size is configurable.
    let small = Emulator::builder()
        .page_size(4)
        .start("127.0.0.1:0")
        .await
        .expect("starts");
    let id = meeting_of(&small, &client, USER).await;
    for _ in 0..9 {
        small
            .end_meeting(TENANT, USER, &id, &MeetingEnd::default())
            .expect("ends");
    }
    let (items, pages) = all_pages(
        &client,
        &small.url(&format!("/beta/me/onlineMeetings/{id}/recordings")),
        &delegated(TENANT, USER),
    )
    .await;
    let unique: HashSet<&str> = items.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!((items.len(), unique.len(), pages), (9, 9, 3));
}

#[tokio::test]
async fn a_report_expands_all_its_records() {
    let emulator = start().await;
    let client = client();
    let token = delegated(TENANT, USER);
    let id = meeting_of(&emulator, &client, USER).await;
    let ended = emulator
        .end_meeting(TENANT, USER, &id, &MeetingEnd::new(attendees(25)))
        .expect("the meeting ends");
    let report = emulator.url(&format!(
        "/v1.0/me/onlineMeetings/{id}/attendanceReports/{}",
        ended.attendance_report_id
    ));

    let expanded = get(
        &client,
        &format!("{report}?$expand=attendanceRecords"),
        &token,
    )
    .await;
    assert_eq!(expanded.status, 200, "{}", expanded.body);
    assert_eq!(
        expanded.body["attendanceRecords"].as_array().map(Vec::len),
        Some(25),
        "all of them, not paged"
    );
    assert_eq!(
        expanded.body["@odata.context"],
        format!(
            "https://graph.microsoft.com/v1.0/$metadata#users('{USER}')/onlineMeetings('{id}')/attendanceReports(attendanceRecords())/$entity"
        )
    );
    assert!(expanded.body.get("@odata.nextLink").is_none());
    for bad in ["attendees", "attendanceRecords,foo"] {
        let answer = get(&client, &format!("{report}?$expand={bad}"), &token).await;
        assert_eq!(answer.status, 400, "{bad}: {}", answer.body);
        assert_eq!(answer.error_code(), "BadRequest");
    }
}

#[tokio::test]
async fn a_recording_is_streamed_with_its_length() {
    let emulator = start().await;
    let client = client();
    let token = delegated(TENANT, USER);
    let id = meeting_of(&emulator, &client, USER).await;
    let length = 3 * 64 * 1024 + 17;
    let ended = emulator
        .end_meeting(
            TENANT,
            USER,
            &id,
            &MeetingEnd::new([]).recording_bytes(length),
        )
        .expect("the meeting ends");
    let content = emulator.url(&format!(
        "/v1.0/me/onlineMeetings/{id}/recordings/{}/content",
        ended.recording_id
    ));
    let response = client
        .get(&content)
        .bearer_auth(&token)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "video/mp4");
    assert_eq!(response.content_length(), Some(length));
    let bytes = response.bytes().await.expect("the content");
    assert_eq!(bytes.len() as u64, length);
    for (offset, byte) in (0u64..).zip(bytes.iter()) {
        assert_eq!(*byte, recording_byte(offset), "offset {offset}");
    }

    // A 1 GiB recording is made as it is read: the first chunk arrives, the rest is never
    // made once the client hangs up.
    let huge = emulator
        .end_meeting(
            TENANT,
            USER,
            &id,
            &MeetingEnd::default().recording_bytes(1 << 30),
        )
        .expect("the meeting ends again");
    let mut response = client
        .get(emulator.url(&format!(
            "/v1.0/me/onlineMeetings/{id}/recordings/{}/content",
            huge.recording_id
        )))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.content_length(), Some(1 << 30));
    let chunk = response
        .chunk()
        .await
        .expect("a chunk")
        .expect("not the end");
    assert!(!chunk.is_empty());
    for (offset, byte) in (0u64..).zip(chunk.iter()) {
        assert_eq!(*byte, recording_byte(offset), "offset {offset}");
    }
    drop(response);

    // An empty recording.
    let empty = emulator
        .end_meeting(TENANT, USER, &id, &MeetingEnd::default())
        .expect("the meeting ends once more");
    let response = client
        .get(emulator.url(&format!(
            "/v1.0/me/onlineMeetings/{id}/recordings/{}/content",
            empty.recording_id
        )))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    assert_eq!(response.content_length(), Some(0));
}

#[tokio::test]
async fn get_all_transcripts_and_its_delta() {
    let emulator = start().await;
    let client = client();
    let app = application(TENANT);
    let first = meeting_of(&emulator, &client, USER).await;
    let second = meeting_of(&emulator, &client, USER).await;
    let theirs = meeting_of(&emulator, &client, OTHER_USER).await;
    let end = MeetingEnd::new(attendees(2));
    let mut mine = Vec::new();
    for meeting in [&first, &second, &first] {
        let ended = emulator
            .end_meeting(TENANT, USER, meeting, &end)
            .expect("ends");
        mine.push(ended.transcript_id);
    }
    emulator
        .end_meeting(TENANT, OTHER_USER, &theirs, &end)
        .expect("ends");
    let ids = |items: &[Value]| -> Vec<String> {
        items
            .iter()
            .filter_map(|t| t["id"].as_str().map(str::to_owned))
            .collect()
    };

    let function = format!(
        "/v1.0/users/{USER}/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='{USER}',startDateTime=2020-01-01T00:00:00Z,endDateTime=null)"
    );
    let all = get(&client, &emulator.url(&function), &app).await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(
        all.body["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.callTranscript)"
    );
    assert_eq!(
        ids(all.body["value"].as_array().expect("value")),
        mine,
        "mine, oldest first"
    );
    assert!(all.body.get("@odata.deltaLink").is_none(), "not a delta");
    assert_eq!(emulator.stats().count(Route::GetAllTranscripts), 1);
    assert_eq!(emulator.stats().count(Route::GetUser), 0);

    // Percent-encoded, without the times, and with `$top`.
    let encoded = format!(
        "/v1.0/users/{USER}/onlineMeetings/getAllTranscripts%28meetingOrganizerUserId%3D%27{}%27%29?$top=2",
        USER.to_uppercase()
    );
    let (items, pages) = all_pages(&client, &emulator.url(&encoded), &app).await;
    assert_eq!((ids(&items), pages), (mine.clone(), 2));

    // A window that ended before the meetings did.
    let past = format!(
        "/v1.0/users/{USER}/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='{USER}',startDateTime=2020-01-01T00:00:00Z,endDateTime=2020-01-02T00:00:00%2B01:00)"
    );
    let none = get(&client, &emulator.url(&past), &app).await;
    assert_eq!(none.status, 200, "{}", none.body);
    assert_eq!(none.body["value"], json!([]));

    // The delta: every page but the last has a next link, the last a delta link.
    let delta = format!("{function}/delta?$top=2");
    let mut url = emulator.url(&delta);
    let mut seen = Vec::new();
    let delta_link = loop {
        let page = get(&client, &url, &app).await;
        assert_eq!(page.status, 200, "{url}: {}", page.body);
        seen.extend(ids(page.body["value"].as_array().expect("value")));
        match (
            page.body["@odata.nextLink"].as_str(),
            page.body["@odata.deltaLink"].as_str(),
        ) {
            (Some(next), None) => url = next.to_owned(),
            (None, Some(delta)) => break delta.to_owned(),
            other => panic!("a page has exactly one link: {other:?}"),
        }
    };
    assert_eq!(seen, mine);
    assert!(delta_link.contains("/delta?$deltatoken="), "{delta_link}");
    assert_eq!(emulator.stats().count(Route::GetAllTranscriptsDelta), 2);

    // Nothing new yet: an empty page and a delta link again.
    let nothing = get(&client, &delta_link, &app).await;
    assert_eq!(nothing.status, 200, "{}", nothing.body);
    assert_eq!(nothing.body["value"], json!([]));
    assert!(nothing.body["@odata.deltaLink"].is_string());

    // End a meeting again (and another user's, which must not show): only the new one.
    let newest = emulator
        .end_meeting(TENANT, USER, &second, &end)
        .expect("ends again");
    emulator
        .end_meeting(TENANT, OTHER_USER, &theirs, &end)
        .expect("ends again");
    let changes = get(&client, &delta_link, &app).await;
    assert_eq!(changes.status, 200, "{}", changes.body);
    assert_eq!(
        ids(changes.body["value"].as_array().expect("value")),
        [newest.transcript_id.as_str()]
    );
    let next_delta = changes.body["@odata.deltaLink"]
        .as_str()
        .expect("a delta link");
    let after = get(&client, next_delta, &app).await;
    assert_eq!(after.body["value"], json!([]));

    // getAllRecordings works the same way, on recordings.
    let recordings = format!(
        "/beta/users/{USER}/onlineMeetings/getAllRecordings(meetingOrganizerUserId='{USER}')"
    );
    let (items, _) = all_pages(&client, &emulator.url(&recordings), &app).await;
    assert_eq!(items.len(), 4);
    assert!(items.iter().all(|r| r["recordingContentUrl"].is_string()));
    let recording_delta = get(&client, &emulator.url(&format!("{recordings}/delta")), &app).await;
    assert_eq!(
        recording_delta.body["value"].as_array().map(Vec::len),
        Some(4)
    );
    assert!(recording_delta.body["@odata.deltaLink"].is_string());
    assert_eq!(emulator.stats().count(Route::GetAllRecordings), 1);
    assert_eq!(emulator.stats().count(Route::GetAllRecordingsDelta), 1);

    // Errors (for delegated tokens, see `get_all_with_a_delegated_token`).
    let someone_else = format!(
        "/v1.0/users/{USER}/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='{OTHER_USER}')"
    );
    let mismatch = get(&client, &emulator.url(&someone_else), &app).await;
    assert_eq!(mismatch.status, 400, "{}", mismatch.body);
    assert!(
        mismatch.message().contains("meetingOrganizerUserId"),
        "{}",
        mismatch.message()
    );
    for bad in [
        "getAllTranscripts()",
        "getAllTranscripts(startDateTime=null,endDateTime=null)",
        "getAllTranscripts(meetingOrganizerUserId='x',startDateTime=yesterday)",
    ] {
        let answer = get(
            &client,
            &emulator.url(&format!("/v1.0/users/{USER}/onlineMeetings/{bad}")),
            &app,
        )
        .await;
        assert_eq!(answer.status, 400, "{bad}: {}", answer.body);
        assert_eq!(answer.error_code(), "BadRequest");
    }
    let bad_delta = get(
        &client,
        &emulator.url(&format!("{function}/delta?$deltatoken=garbage")),
        &app,
    )
    .await;
    assert_eq!(bad_delta.status, 400, "{}", bad_delta.body);
    let delta_on_plain = get(
        &client,
        &emulator.url(&format!(
            "{function}?{}",
            delta_link
                .split_once('?')
                .map(|(_, q)| q)
                .unwrap_or_default()
        )),
        &app,
    )
    .await;
    assert_eq!(delta_on_plain.status, 400, "{}", delta_on_plain.body);
}

/// getAllTranscripts takes a delegated token for its own user (in the path and in
/// `meetingOrganizerUserId`); its delta, getAllRecordings and its delta are
/// application-only.
#[tokio::test]
async fn get_all_with_a_delegated_token() {
    let emulator = start().await;
    let client = client();
    let mine = delegated(TENANT, USER);
    let meeting = meeting_of(&emulator, &client, USER).await;
    let ended = emulator
        .end_meeting(TENANT, USER, &meeting, &MeetingEnd::new(attendees(1)))
        .expect("ends");
    let theirs = meeting_of(&emulator, &client, OTHER_USER).await;
    emulator
        .end_meeting(TENANT, OTHER_USER, &theirs, &MeetingEnd::new(attendees(1)))
        .expect("ends");
    let call = |function: &str, path_user: &str, organizer: &str| {
        format!(
            "/v1.0/users/{path_user}/onlineMeetings/{function}(meetingOrganizerUserId='{organizer}',startDateTime=null,endDateTime=null)"
        )
    };

    // Its own transcripts: 200.
    let own = get(
        &client,
        &emulator.url(&call("getAllTranscripts", USER, USER)),
        &mine,
    )
    .await;
    assert_eq!(own.status, 200, "{}", own.body);
    let ids: Vec<&str> = own.body["value"]
        .as_array()
        .expect("value")
        .iter()
        .filter_map(|t| t["id"].as_str())
        .collect();
    assert_eq!(ids, [ended.transcript_id.as_str()]);
    assert_eq!(emulator.stats().count(Route::GetAllTranscripts), 1);

    // Another user, in the path or as the organizer: 403.
    for (path_user, organizer) in [(OTHER_USER, OTHER_USER), (USER, OTHER_USER)] {
        let other = get(
            &client,
            &emulator.url(&call("getAllTranscripts", path_user, organizer)),
            &mine,
        )
        .await;
        assert_eq!(other.status, 403, "{path_user}/{organizer}: {}", other.body);
        assert_eq!(other.error_code(), "Forbidden");
    }

    // getAllRecordings and the deltas: application tokens only, even for its own user.
    for path in [
        call("getAllRecordings", USER, USER),
        format!("{}/delta", call("getAllRecordings", USER, USER)),
        format!("{}/delta", call("getAllTranscripts", USER, USER)),
    ] {
        let refused = get(&client, &emulator.url(&path), &mine).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
        assert_eq!(refused.error_code(), "Forbidden");
        assert!(
            refused.message().contains("application"),
            "{}",
            refused.message()
        );
    }
}

#[tokio::test]
async fn another_users_or_a_deleted_meetings_artifacts_are_404() {
    let emulator = start().await;
    let client = client();
    let id = meeting_of(&emulator, &client, USER).await;
    let ended = emulator
        .end_meeting(TENANT, USER, &id, &MeetingEnd::new(attendees(1)))
        .expect("ends");
    let paths = [
        format!("/onlineMeetings/{id}/attendanceReports"),
        format!(
            "/onlineMeetings/{id}/attendanceReports/{}",
            ended.attendance_report_id
        ),
        format!(
            "/onlineMeetings/{id}/attendanceReports/{}/attendanceRecords",
            ended.attendance_report_id
        ),
        format!("/onlineMeetings/{id}/transcripts"),
        format!("/onlineMeetings/{id}/transcripts/{}", ended.transcript_id),
        format!(
            "/onlineMeetings/{id}/transcripts/{}/content",
            ended.transcript_id
        ),
        format!(
            "/onlineMeetings/{id}/transcripts/{}/metadataContent",
            ended.transcript_id
        ),
        format!("/onlineMeetings/{id}/recordings"),
        format!("/onlineMeetings/{id}/recordings/{}", ended.recording_id),
        format!(
            "/onlineMeetings/{id}/recordings/{}/content",
            ended.recording_id
        ),
    ];
    let mine = delegated(TENANT, USER);
    for path in &paths {
        let own = client
            .get(emulator.url(&format!("/v1.0/me{path}")))
            .bearer_auth(&mine)
            .send()
            .await
            .expect("answered");
        assert_eq!(own.status(), 200, "{path}");
        // Another user of the tenant, through /me and through an app token for that user.
        for (url, token) in [
            (format!("/v1.0/me{path}"), delegated(TENANT, OTHER_USER)),
            (
                format!("/v1.0/users/{OTHER_USER}{path}"),
                application(TENANT),
            ),
            (format!("/beta/me{path}"), delegated("other-tenant", USER)),
        ] {
            let answer = get(&client, &emulator.url(&url), &token).await;
            assert_eq!(answer.status, 404, "{url}: {}", answer.body);
            assert_eq!(answer.error_code(), "itemNotFound");
        }
        // The usual authentication errors.
        let forbidden = get(
            &client,
            &emulator.url(&format!("/v1.0/users/{OTHER_USER}{path}")),
            &mine,
        )
        .await;
        assert_eq!(forbidden.status, 403, "{path}");
        let app_on_me = get(
            &client,
            &emulator.url(&format!("/v1.0/me{path}")),
            &application(TENANT),
        )
        .await;
        assert_eq!(app_on_me.status, 400, "{path}");
        let anonymous = client
            .get(emulator.url(&format!("/v1.0/me{path}")))
            .send()
            .await
            .expect("answered");
        assert_eq!(anonymous.status(), 401, "{path}");
    }

    // Unknown artifact ids.
    for path in [
        format!("/onlineMeetings/{id}/attendanceReports/nope"),
        format!("/onlineMeetings/{id}/attendanceReports/nope/attendanceRecords"),
        format!("/onlineMeetings/{id}/transcripts/nope/content"),
        format!("/onlineMeetings/{id}/recordings/{}", ended.transcript_id),
        "/onlineMeetings/no-such-meeting/transcripts".to_owned(),
    ] {
        let answer = get(&client, &emulator.url(&format!("/v1.0/me{path}")), &mine).await;
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
        assert_eq!(answer.error_code(), "itemNotFound");
    }

    // A deleted meeting takes its artifacts with it.
    let deleted = client
        .delete(emulator.url(&format!("/v1.0/me/onlineMeetings/{id}")))
        .bearer_auth(&mine)
        .send()
        .await
        .expect("answered");
    assert_eq!(deleted.status(), 204);
    for path in &paths {
        let answer = get(&client, &emulator.url(&format!("/v1.0/me{path}")), &mine).await;
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
    }
    let end_deleted = post(
        &client,
        &emulator.url(&format!("/_emulator/v1.0/me/onlineMeetings/{id}/end")),
        &mine,
        &json!({"attendees": []}),
    )
    .await;
    assert_eq!(end_deleted.status, 404, "{}", end_deleted.body);
    assert_eq!(end_deleted.error_code(), "itemNotFound");
}

#[tokio::test]
async fn bad_skip_tokens_are_400() {
    let emulator = start().await;
    let client = client();
    let token = delegated(TENANT, USER);
    let id = meeting_of(&emulator, &client, USER).await;
    let ended = emulator
        .end_meeting(TENANT, USER, &id, &MeetingEnd::new(attendees(12)))
        .expect("ends");
    let records = emulator.url(&format!(
        "/v1.0/me/onlineMeetings/{id}/attendanceReports/{}/attendanceRecords",
        ended.attendance_report_id
    ));
    let first = get(&client, &records, &token).await;
    let next = first.body["@odata.nextLink"].as_str().expect("a next link");
    let token_of_records = next.split("$skiptoken=").nth(1).expect("a token");
    let transcripts = emulator.url(&format!("/v1.0/me/onlineMeetings/{id}/transcripts"));
    for url in [
        format!("{records}?$skiptoken=garbage"),
        format!("{records}?$skiptoken=%25%25"),
        format!("{records}?$skiptoken="),
        // A real token, of another collection.
        format!("{transcripts}?$skiptoken={token_of_records}"),
    ] {
        let answer = get(&client, &url, &token).await;
        assert_eq!(answer.status, 400, "{url}: {}", answer.body);
        assert_eq!(answer.error_code(), "BadRequest");
    }
    let good = get(&client, next, &token).await;
    assert_eq!(good.status, 200, "{}", good.body);
    assert_eq!(good.body["value"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn the_end_control_checks_its_caller_and_its_body() {
    let emulator = start().await;
    let client = client();
    let id = meeting_of(&emulator, &client, USER).await;
    let me = emulator.url(&format!("/_emulator/v1.0/me/onlineMeetings/{id}/end"));
    let users = emulator.url(&format!(
        "/_emulator/v1.0/users/{USER}/onlineMeetings/{id}/end"
    ));
    let token = delegated(TENANT, USER);
    let good = json!({"attendees": [{"displayName": "A", "emailAddress": "a@contoso.com",
        "intervals": [{"joinDateTime": "2026-01-05T09:00:00Z", "leaveDateTime": "2026-01-05T09:00:00Z"}]}]});

    for (url, token) in [
        (&me, token.clone()),
        (&users, application(TENANT)),
        (&users, token.clone()),
    ] {
        let ended = post(&client, url, &token, &good).await;
        assert_eq!(ended.status, 204, "{url}: {}", ended.body);
    }

    let join = "2026-01-05T09:00:00Z";
    for bad in [
        json!([]),
        json!({}),
        json!({"attendees": [], "recordingBytes": -1}),
        json!({"attendees": [], "recordingBytes": 2.5}),
        json!({"attendees": [], "recordingBytes": "12"}),
        json!({"attendees": [], "extra": true}),
        json!({"attendees": [{"displayName": "A", "emailAddress": "a@x",
            "intervals": [{"joinDateTime": join, "leaveDateTime": "2026-01-05T08:59:59Z"}]}]}),
        json!({"attendees": [{"displayName": "A", "emailAddress": "a@x",
            "intervals": [{"joinDateTime": "2026-01-05 09:00:00", "leaveDateTime": join}]}]}),
    ] {
        let answer = post(&client, &me, &token, &bad).await;
        assert_eq!(answer.status, 400, "{bad}: {}", answer.body);
        assert_eq!(answer.error_code(), "BadRequest");
    }
    let not_json = client
        .post(&me)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("answered");
    let not_json = answer(not_json).await;
    assert_eq!(not_json.status, 400, "{}", not_json.body);

    let app_on_me = post(&client, &me, &application(TENANT), &good).await;
    assert_eq!(app_on_me.status, 400, "{}", app_on_me.body);
    let other_user = post(
        &client,
        &emulator.url(&format!(
            "/_emulator/v1.0/users/{OTHER_USER}/onlineMeetings/{id}/end"
        )),
        &token,
        &good,
    )
    .await;
    assert_eq!(other_user.status, 403, "{}", other_user.body);
    let anonymous = answer(client.post(&me).json(&good).send().await.expect("answered")).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.error_code(), "InvalidAuthenticationToken");
    let unknown = post(
        &client,
        &emulator.url("/_emulator/v1.0/me/onlineMeetings/nope/end"),
        &token,
        &good,
    )
    .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.error_code(), "itemNotFound");
    let wrong_method = answer(
        client
            .get(&me)
            .bearer_auth(&token)
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(wrong_method.status, 405);
    assert_eq!(wrong_method.error_code(), "MethodNotAllowed");

    // Three sessions were made.
    let reports = get(
        &client,
        &emulator.url(&format!("/v1.0/me/onlineMeetings/{id}/attendanceReports")),
        &token,
    )
    .await;
    assert_eq!(reports.body["value"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn the_end_control_takes_no_fault_and_is_no_route() {
    let emulator = start().await;
    let client = client();
    let token = delegated(TENANT, USER);
    let id = meeting_of(&emulator, &client, USER).await;
    let stats = emulator.stats();
    stats.reset();
    emulator
        .faults()
        .fail_next(1, Fault::throttle("1"))
        .expect("queued");
    let ended = post(
        &client,
        &emulator.url(&format!("/_emulator/v1.0/me/onlineMeetings/{id}/end")),
        &token,
        &json!({"attendees": []}),
    )
    .await;
    assert_eq!(ended.status, 204, "{}", ended.body);
    assert_eq!(
        emulator.faults().pending(),
        1,
        "the fault waits for a Graph route"
    );
    let snapshot = stats.snapshot();
    assert_eq!(snapshot.total, 1);
    assert!(Route::ALL.iter().all(|route| snapshot.count(*route) == 0));

    // The artifact routes take the fault.
    let transcripts = emulator.url(&format!("/v1.0/me/onlineMeetings/{id}/transcripts"));
    let throttled = get(&client, &transcripts, &token).await;
    assert_eq!(throttled.status, 429);
    assert_eq!(emulator.faults().pending(), 0);
    let served = get(&client, &transcripts, &token).await;
    assert_eq!(served.status, 200);
    assert_eq!(stats.count(Route::ListTranscriptsMe), 2);
}

#[tokio::test]
async fn unknown_artifact_paths_and_methods() {
    let emulator = start().await;
    let client = client();
    let token = delegated(TENANT, USER);
    for (path, segment) in [
        (
            "/v1.0/me/onlineMeetings/m1/transcripts/t1/subtitles",
            "subtitles",
        ),
        (
            "/v1.0/me/onlineMeetings/m1/recordings/r1/metadataContent",
            "metadataContent",
        ),
        ("/v1.0/users/u1/onlineMeetings/m1/delta", "delta"),
        ("/_emulator/v1.0/me/onlineMeetings/m1/pause", "pause"),
    ] {
        let answer = get(&client, &emulator.url(path), &token).await;
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
        assert_eq!(answer.error_code(), "BadRequest");
        assert_eq!(
            answer.message(),
            format!("Resource not found for the segment '{segment}'.")
        );
    }
    for (method, path) in [
        (
            reqwest::Method::POST,
            "/v1.0/me/onlineMeetings/m1/transcripts",
        ),
        (
            reqwest::Method::DELETE,
            "/v1.0/users/u1/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='u1')",
        ),
        (
            reqwest::Method::PATCH,
            "/v1.0/users/u1/onlineMeetings/getAllRecordings(meetingOrganizerUserId='u1')/delta",
        ),
    ] {
        let response = client
            .request(method.clone(), emulator.url(path))
            .bearer_auth(&token)
            .send()
            .await
            .expect("answered");
        let answer = answer(response).await;
        assert_eq!(answer.status, 405, "{method} {path}: {}", answer.body);
        assert_eq!(answer.error_code(), "MethodNotAllowed");
        assert!(
            answer
                .header("allow")
                .is_some_and(|allow| allow.contains("GET"))
        );
    }
    assert_eq!(emulator.stats().unmatched(), 7);
}
