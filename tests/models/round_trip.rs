//! Lossless models: for every body Graph documents (the fixtures corpus) and for bodies
//! with unknown members and properties, `to_value(from_value(v)) == v`.
//!
//! The one normalization: a date-time may come back with a different number of
//! fractional digits (`.3524945` → `.352494500`), and a zero offset is written `Z`
//! (`+00:00` and `Z` are the same offset in RFC 3339). Instants and offsets must match.

use graph_online_meetings::types::{
    CreateOrGetRequest, OnlineMeeting, OnlineMeetingPresenters, OnlineMeetingRole,
};
use serde_json::{Value, json};

/// Where `left` and `right` differ, as a JSON pointer and the two values; `None` when
/// equal under the documented date-time normalization.
fn difference(left: &Value, right: &Value, pointer: &str) -> Option<String> {
    match (left, right) {
        (Value::Object(l), Value::Object(r)) => {
            for key in l.keys().chain(r.keys()) {
                let at = format!("{pointer}/{key}");
                match (l.get(key), r.get(key)) {
                    (Some(a), Some(b)) => {
                        if let Some(d) = difference(a, b, &at) {
                            return Some(d);
                        }
                    }
                    (a, b) => return Some(format!("{at}: {a:?} vs {b:?}")),
                }
            }
            None
        }
        (Value::Array(l), Value::Array(r)) => {
            if l.len() != r.len() {
                return Some(format!("{pointer}: {} vs {} items", l.len(), r.len()));
            }
            l.iter()
                .zip(r)
                .enumerate()
                .find_map(|(i, (a, b))| difference(a, b, &format!("{pointer}/{i}")))
        }
        (Value::String(a), Value::String(b)) if a != b => {
            let same_date_time = match (
                chrono::DateTime::parse_from_rfc3339(a),
                chrono::DateTime::parse_from_rfc3339(b),
            ) {
                (Ok(x), Ok(y)) => x == y && x.offset() == y.offset(),
                _ => false,
            };
            (!same_date_time).then(|| format!("{pointer}: {a:?} vs {b:?}"))
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!("{pointer}: {a} vs {b}")),
    }
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> Value {
    let typed: T = serde_json::from_value(value.clone()).expect("deserializes");
    serde_json::to_value(&typed).expect("serializes")
}

#[test]
fn every_fixture_round_trips_losslessly() {
    let fixtures = crate::fixtures::fixtures();
    assert!(
        fixtures.len() >= 30,
        "expected the whole corpus, found {}",
        fixtures.len()
    );
    for fixture in fixtures {
        let back = if fixture.is_create_or_get_request() {
            round_trip::<CreateOrGetRequest>(&fixture.value)
        } else {
            round_trip::<OnlineMeeting>(&fixture.value)
        };
        if let Some(diff) = difference(&fixture.value, &back, "") {
            panic!("{} lost data on a round trip: {diff}", fixture.name);
        }
    }
}

/// The issue's example: an unknown enum member, a member after `unknownFutureValue`, a
/// nested unknown object and the docs' `ConferenceId` typo all survive, and the unknown
/// values are visible to the caller.
#[test]
fn unknown_members_and_properties_are_exposed_and_written_back() {
    let original = json!({
        "id": "m1",
        "allowedPresenters": "someFutureValue",
        "subject": null,
        "participants": {
            "organizer": {
                "identity": { "user": { "id": "u1", "displayName": null, "tenantId": "t1" } },
                "role": "coorganizer",
                "upn": "a@contoso.com"
            },
            "attendees": [],
            "producers": [{ "identity": { "user": { "id": "u2" } }, "role": "producer" }]
        },
        "audioConferencing": { "ConferenceId": "9999999", "tollNumber": "+1 425" },
        "futureSettings": { "nested": { "deeper": [1, 2, { "x": true }] }, "flag": false },
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('u1')/onlineMeetings/$entity"
    });
    let meeting: OnlineMeeting = serde_json::from_value(original.clone()).expect("parses");

    // The unknown enum member is kept and exposed.
    assert_eq!(
        meeting.allowed_presenters,
        Some(OnlineMeetingPresenters::Other("someFutureValue".into()))
    );
    // A member after unknownFutureValue is a typed variant.
    let participants = meeting.participants.as_ref().expect("participants");
    let organizer = participants.organizer.as_ref().expect("organizer");
    assert_eq!(organizer.role, Some(OnlineMeetingRole::Coorganizer));
    // Unknown properties are in additional_properties, at every level.
    assert_eq!(
        meeting.additional_properties["futureSettings"]["flag"],
        json!(false)
    );
    assert!(meeting.additional_properties.contains_key("@odata.context"));
    assert_eq!(
        participants.additional_properties["producers"][0]["role"],
        json!("producer")
    );
    let audio = meeting
        .audio_conferencing
        .as_ref()
        .expect("audioConferencing");
    assert_eq!(
        audio.conference_id, None,
        "`ConferenceId` is not `conferenceId`"
    );
    assert_eq!(
        audio.additional_properties["ConferenceId"],
        json!("9999999")
    );

    let back = serde_json::to_value(&meeting).expect("serializes");
    assert_eq!(back, original, "byte-for-byte equal as a JSON value");
}

/// An explicit null stays null and an absent property stays absent; a value the caller
/// sets afterwards wins over the recorded null.
#[test]
fn null_and_absent_are_kept_apart() {
    let with_null = json!({ "subject": null, "externalId": null });
    let meeting: OnlineMeeting = serde_json::from_value(with_null.clone()).expect("parses");
    assert_eq!(
        serde_json::to_value(&meeting).expect("serializes"),
        with_null
    );

    let absent = json!({});
    let meeting: OnlineMeeting = serde_json::from_value(absent.clone()).expect("parses");
    assert_eq!(serde_json::to_value(&meeting).expect("serializes"), absent);

    let mut meeting: OnlineMeeting = serde_json::from_value(with_null).expect("parses");
    assert!(meeting.is_explicit_null("subject") && meeting.is_explicit_null("externalId"));
    assert!(!meeting.is_explicit_null("joinWebUrl") && !meeting.is_explicit_null("unknown"));
    assert!(
        meeting.additional_properties.is_empty(),
        "recorded as bits, not as entries"
    );
    meeting.subject = Some("Set later".into());
    assert_eq!(
        serde_json::to_value(&meeting).expect("serializes"),
        json!({ "subject": "Set later", "externalId": null })
    );
}

/// Date-times keep their offset (progenitor's default `DateTime<Utc>` would turn `-07:00`
/// into `Z`).
#[test]
fn date_times_keep_their_offset() {
    let original = json!({ "startDateTime": "2019-07-12T14:30:34.2444915-07:00" });
    let meeting: OnlineMeeting = serde_json::from_value(original).expect("parses");
    let start = meeting.start_date_time.expect("startDateTime");
    assert_eq!(start.offset().local_minus_utc(), -7 * 3600);
    let back = serde_json::to_value(&meeting).expect("serializes");
    assert_eq!(
        back["startDateTime"],
        json!("2019-07-12T14:30:34.244491500-07:00")
    );
}

/// A wrong type inside a nested object is an error that names where it is.
#[test]
fn a_bad_value_is_an_error_naming_its_path() {
    let bad = json!({ "participants": { "organizer": { "upn": 42 } } });
    let err = serde_json::from_value::<OnlineMeeting>(bad).expect_err("upn must be a string");
    let message = err.to_string();
    assert!(message.contains("participants"), "{message}");
    assert!(message.contains("upn"), "{message}");
}

/// A known property that comes twice in one object is refused, at the top and inside a
/// nested object, naming the path; an unknown one keeps its last value, as
/// `serde_json::Value` does.
#[test]
fn a_known_property_twice_is_refused_naming_it() {
    for (text, path) in [
        (
            r#"{"subject": "a", "subject": "b"}"#,
            "duplicate field `subject`",
        ),
        (
            r#"{"participants": {"organizer": {"upn": "a", "role": "attendee", "upn": "b"}}}"#,
            "at `participants.organizer`: duplicate field `upn`",
        ),
    ] {
        let err = serde_json::from_str::<OnlineMeeting>(text).expect_err("a repeated property");
        assert!(err.to_string().contains(path), "{text}: {err}");
    }
    let kept: OnlineMeeting =
        serde_json::from_str(r#"{"futureFlag": 1, "futureFlag": 2}"#).expect("unknown twice");
    assert_eq!(kept.additional_properties.len(), 1);
    assert_eq!(kept.additional_properties["futureFlag"], json!(2));
}

/// Graph writes `"contentType": "Html"` in some answers (the docs' Japanese
/// `joinInformation` sample). It is accepted, kept as written so it round-trips, and
/// `canonical()` folds it onto `BodyType::Html`.
#[test]
fn body_type_accepts_graphs_html_spelling() {
    use graph_online_meetings::types::BodyType;

    let original = json!({ "joinInformation": { "content": "<p>…</p>", "contentType": "Html" } });
    let meeting: OnlineMeeting = serde_json::from_value(original.clone()).expect("parses");
    let content_type = meeting
        .join_information
        .as_ref()
        .and_then(|body| body.content_type.clone())
        .expect("contentType");
    assert_eq!(content_type.as_str(), "Html");
    assert_eq!(content_type.canonical(), Some(BodyType::Html));
    assert_eq!(BodyType::from("html"), BodyType::Html);
    assert_eq!(BodyType::from("unknownKind").canonical(), None);
    assert_eq!(
        serde_json::to_value(&meeting).expect("serializes"),
        original
    );
}
