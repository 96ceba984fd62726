//! Requests send what the caller set and nothing more: no `null` for unset optional
//! fields, date-times in RFC 3339 with their offset, and a body built in code serializes
//! as the docs' example does.

use graph_online_meetings::types::{
    CreateOrGetRequest, Identity, IdentitySet, MeetingParticipantInfo, MeetingParticipants,
    OnlineMeeting, OnlineMeetingRole,
};
use serde_json::{Value, json};

fn date_time(text: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(text).expect("valid RFC 3339")
}

/// The request of the createOrGet reference page (seed 004, example 1), built in code.
#[test]
fn create_or_get_request_serializes_as_in_the_docs() {
    let start = date_time("2020-02-06T01:49:21.3524945+00:00");
    let request = CreateOrGetRequest::new("7eb8263f-d0e0-4149-bb1c-1f0476083c56")
        .with_times(start, date_time("2020-02-06T02:19:21.3524945+00:00"))
        .with_subject("Create a meeting with customId provided")
        .with_participants(MeetingParticipants::default().with_attendees(vec![
            MeetingParticipantInfo::default()
                .with_identity(IdentitySet::default().with_user(
                    Identity::default().with_id("1f35f2e6-9cab-44ad-8d5a-b74c14720000"),
                ))
                .with_role(OnlineMeetingRole::Presenter)
                .with_upn("test1@contoso.com"),
        ]));
    let sent = serde_json::to_value(&request).expect("serializes");
    let fixture: Value = serde_json::from_str(include_str!(
        "../fixtures/seed-004-createorget__example1__request.json"
    ))
    .expect("fixture is JSON");

    // Dates: the same instant and offset, written with nine fractional digits, and the
    // zero offset as `Z`.
    assert_eq!(
        sent["startDateTime"],
        json!("2020-02-06T01:49:21.352494500Z")
    );
    assert_eq!(sent["endDateTime"], json!("2020-02-06T02:19:21.352494500Z"));
    let mut sent_rest = sent.clone();
    let mut fixture_rest = fixture.clone();
    for key in ["startDateTime", "endDateTime"] {
        sent_rest.as_object_mut().map(|o| o.remove(key));
        fixture_rest.as_object_mut().map(|o| o.remove(key));
    }
    assert_eq!(
        sent_rest, fixture_rest,
        "everything else is exactly the docs' body"
    );
}

/// Nothing the caller did not set is sent: no nulls, no empty arrays, no defaults.
#[test]
fn unset_fields_are_not_sent() {
    let request = CreateOrGetRequest::new("x");
    assert_eq!(
        serde_json::to_value(&request).expect("serializes"),
        json!({ "externalId": "x" })
    );

    let meeting = OnlineMeeting::default().with_subject("Only this");
    assert_eq!(
        serde_json::to_value(&meeting).expect("serializes"),
        json!({ "subject": "Only this" })
    );
}

/// A non-UTC offset goes out as it was given.
#[test]
fn offsets_are_sent_as_given() {
    let meeting =
        OnlineMeeting::default().with_start_date_time(date_time("2019-07-12T14:30:34-07:00"));
    assert_eq!(
        serde_json::to_value(&meeting).expect("serializes"),
        json!({ "startDateTime": "2019-07-12T14:30:34-07:00" })
    );
}
