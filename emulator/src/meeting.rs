//! The meeting document: request validation, the documented time rules, and the Graph-shaped
//! `onlineMeeting` the emulator stores and returns.
//!
//! The stored meeting is the caller's whole request object with the server-set properties laid
//! over it, so properties the emulator does not know come back unchanged.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Datelike, FixedOffset, TimeDelta, Timelike, Utc};
use percent_encoding::utf8_percent_encode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::auth::Organizer;
use crate::graph_error::ErrorAnswer;
use crate::graph_format::{COMPONENT, graph_utc};
use crate::owner::Owner;
use crate::route_table::VersionSegment;
use crate::store::StoredMeeting;

/// Length of a meeting whose end is not given.
const DEFAULT_DURATION: TimeDelta = TimeDelta::hours(1);

/// Fictional phone numbers (the 555-01xx range) for `audioConferencing`.
const TOLL_NUMBER: &str = "+12065550100";
const TOLL_FREE_NUMBER: &str = "+18005550100";

/// The start and end of a meeting, as they are echoed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MeetingTimes {
    pub(crate) start: String,
    pub(crate) end: String,
}

/// Parses the request body: a JSON object, or Graph's 400.
pub(crate) fn parse_request_object(body: &[u8]) -> Result<Map<String, Value>, ErrorAnswer> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(ErrorAnswer::bad_request(format!(
            "The request body must be a JSON object (an onlineMeeting), not {}.",
            json_kind(&other)
        ))),
        Err(err) => Err(ErrorAnswer::bad_request(format!(
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format. {}",
            describe_json_error(&err)
        ))),
    }
}

fn describe_json_error(err: &serde_json::Error) -> String {
    let text = err.to_string();
    if text.contains("recursion limit") {
        format!("The JSON is nested too deeply ({text}).")
    } else {
        format!("Invalid JSON: {text}.")
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The `externalId` of a createOrGet request: a non-empty string.
pub(crate) fn external_id(request: &Map<String, Value>) -> Result<String, ErrorAnswer> {
    match request.get("externalId") {
        Some(Value::String(id)) if !id.trim().is_empty() => Ok(id.clone()),
        Some(Value::String(_)) => Err(ErrorAnswer::bad_request(
            "The externalId property must not be empty.",
        )),
        None | Some(Value::Null) => Err(ErrorAnswer::bad_request(
            "The externalId property is required for createOrGet.",
        )),
        Some(other) => Err(ErrorAnswer::bad_request(format!(
            "The externalId property must be a string, not {}.",
            json_kind(other)
        ))),
    }
}

/// Checks the shapes of the properties the emulator merges into its own.
pub(crate) fn check_shapes(request: &Map<String, Value>) -> Result<(), ErrorAnswer> {
    for name in [
        "participants",
        "chatInfo",
        "joinMeetingIdSettings",
        "lobbyBypassSettings",
    ] {
        expect_object_or_null(request.get(name), name)?;
    }
    if let Some(Value::Object(participants)) = request.get("participants") {
        for name in ["attendees", "producers", "contributors"] {
            match participants.get(name) {
                None | Some(Value::Null) | Some(Value::Array(_)) => {}
                Some(other) => {
                    return Err(ErrorAnswer::bad_request(format!(
                        "The participants.{name} property must be an array, not {}.",
                        json_kind(other)
                    )));
                }
            }
        }
    }
    Ok(())
}

fn expect_object_or_null(value: Option<&Value>, name: &str) -> Result<(), ErrorAnswer> {
    match value {
        None | Some(Value::Null) | Some(Value::Object(_)) => Ok(()),
        Some(other) => Err(ErrorAnswer::bad_request(format!(
            "The {name} property must be an object, not {}.",
            json_kind(other)
        ))),
    }
}

/// Applies the documented time rules:
///
/// - no start and no end: start = now, end = start + 1 h;
/// - a start and no end: end = start + 1 h;
/// - an end without a start, or an end earlier than the start: 400.
///
/// Times are RFC 3339. A given time is echoed exactly as sent; an end computed from a given
/// start keeps the start's offset and precision. Times the emulator makes up from the clock use
/// Graph's form (UTC, 7 fractional digits, `Z`).
pub(crate) fn resolve_times(
    request: &Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<MeetingTimes, ErrorAnswer> {
    let start = parse_time(request, "startDateTime")?;
    let end = parse_time(request, "endDateTime")?;
    match (start, end) {
        (None, None) => {
            let end = now
                .checked_add_signed(DEFAULT_DURATION)
                .ok_or_else(|| ErrorAnswer::bad_request("The meeting end is out of range."))?;
            Ok(MeetingTimes {
                start: graph_utc(now),
                end: graph_utc(end),
            })
        }
        (Some((start, start_text)), None) => {
            let end = start
                .checked_add_signed(DEFAULT_DURATION)
                .filter(|end| end.year() <= 9999)
                .ok_or_else(|| {
                    ErrorAnswer::bad_request(
                        "The startDateTime is too late: startDateTime + 1 hour is out of range.",
                    )
                })?;
            Ok(MeetingTimes {
                end: format_like(end, &start_text),
                start: start_text,
            })
        }
        (None, Some(_)) => Err(ErrorAnswer::bad_request(
            "The endDateTime cannot be provided without the startDateTime.",
        )),
        (Some((start, _)), Some((end, _))) if end < start => Err(ErrorAnswer::bad_request(
            "The endDateTime cannot be earlier than the startDateTime.",
        )),
        (Some((_, start_text)), Some((_, end_text))) => Ok(MeetingTimes {
            start: start_text,
            end: end_text,
        }),
    }
}

/// A time property: the parsed value and the caller's text.
fn parse_time(
    request: &Map<String, Value>,
    name: &str,
) -> Result<Option<(DateTime<FixedOffset>, String)>, ErrorAnswer> {
    match request.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => DateTime::parse_from_rfc3339(text)
            .map(|time| Some((time, text.clone())))
            .map_err(|err| {
                ErrorAnswer::bad_request(format!(
                    "Cannot convert the literal '{text}' to the expected type 'Edm.DateTimeOffset' for property '{name}': {err}. Use an RFC 3339 date-time such as 2020-02-06T01:49:21.3524945+00:00."
                ))
            }),
        Some(other) => Err(ErrorAnswer::bad_request(format!(
            "The {name} property must be a string holding an RFC 3339 date-time, not {}.",
            json_kind(other)
        ))),
    }
}

/// Formats `time` like `template` (an RFC 3339 text): the same number of fractional digits, and
/// `Z` if the template has `Z`, else the numeric offset.
fn format_like(time: DateTime<FixedOffset>, template: &str) -> String {
    let digits = template
        .split_once('.')
        .map(|(_, rest)| rest.bytes().take_while(u8::is_ascii_digit).count())
        .unwrap_or(0)
        .min(9);
    let mut text = time.format("%Y-%m-%dT%H:%M:%S").to_string();
    if digits > 0 {
        let nanos = format!("{:09}", time.nanosecond() % 1_000_000_000);
        text.push('.');
        text.push_str(nanos.get(..digits).unwrap_or(&nanos));
    }
    if template.ends_with(['Z', 'z']) {
        text.push('Z');
    } else {
        text.push_str(&time.format("%:z").to_string());
    }
    text
}

/// `@odata.context` of an answer: `suffix` is `/$entity` for one meeting, empty for a
/// collection.
pub(crate) fn odata_context(version: VersionSegment, user_id: &str, suffix: &str) -> String {
    format!(
        "https://graph.microsoft.com/{}/$metadata#users('{}')/onlineMeetings{suffix}",
        version.segment(),
        user_id.replace('\'', "''")
    )
}

/// Properties the server owns: an update leaves them as they are.
const SERVER_OWNED: [&str; 9] = [
    "@odata.context",
    "id",
    "creationDateTime",
    "joinWebUrl",
    "externalId",
    "videoTeleconferenceId",
    "audioConferencing",
    "chatInfo",
    "joinInformation",
];

/// The document after an update: every property of `changes` replaces the stored one,
/// except those the server owns; the times follow the same rules as on creation (an end
/// before the start is 400), with an unchanged time kept.
pub(crate) fn apply_update(
    current: &Map<String, Value>,
    changes: &Map<String, Value>,
) -> Result<Map<String, Value>, ErrorAnswer> {
    let mut updated = current.clone();
    for (key, value) in changes {
        if !SERVER_OWNED.contains(&key.as_str()) {
            updated.insert(key.clone(), value.clone());
        }
    }
    let times = resolve_times(&updated, Utc::now())?;
    updated.insert("startDateTime".to_owned(), Value::String(times.start));
    updated.insert("endDateTime".to_owned(), Value::String(times.end));
    Ok(updated)
}

/// A random number of exactly `digits` digits (no leading zero), from a v4 UUID's randomness.
fn random_digits(digits: u32) -> String {
    let digits = digits.clamp(1, 30);
    let low = 10u128.pow(digits - 1);
    let span = 9 * low;
    (Uuid::new_v4().as_u128() % span + low).to_string()
}

/// A random passcode of `len` unambiguous letters and digits.
fn random_passcode(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    let mut bits = Uuid::new_v4().as_u128();
    let mut out = String::with_capacity(len);
    for _ in 0..len {
        let index = (bits % ALPHABET.len() as u128) as usize;
        bits /= ALPHABET.len() as u128;
        out.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'A')));
    }
    out
}

/// Everything the emulator makes up for a new meeting.
struct Generated {
    id: String,
    thread_id: String,
    join_web_url: String,
    join_meeting_id: String,
    passcode: String,
    conference_id: String,
    video_teleconference_id: String,
    dial_in_id: Uuid,
}

impl Generated {
    fn new(organizer: &Organizer) -> Self {
        let meeting_guid = Uuid::new_v4();
        let thread_id = format!(
            "19:meeting_{}@thread.v2",
            URL_SAFE_NO_PAD.encode(meeting_guid.to_string())
        );
        // Graph's meeting ids are base64 of "1*<organizer oid>*0**<thread id>".
        let id = URL_SAFE_NO_PAD.encode(format!("1*{}*0**{thread_id}", organizer.user_id));
        let context = json!({"Tid": organizer.tenant_id, "Oid": organizer.user_id}).to_string();
        let join_web_url = format!(
            "https://teams.microsoft.com/l/meetup-join/{}/0?context={}",
            utf8_percent_encode(&thread_id, COMPONENT),
            utf8_percent_encode(&context, COMPONENT),
        );
        Self {
            id,
            thread_id,
            join_web_url,
            join_meeting_id: random_digits(12),
            passcode: random_passcode(6),
            conference_id: random_digits(9),
            video_teleconference_id: random_digits(10),
            dial_in_id: Uuid::new_v4(),
        }
    }
}

/// Inputs of [`build_meeting`].
pub(crate) struct NewMeeting<'a> {
    pub(crate) request: &'a Map<String, Value>,
    pub(crate) organizer: &'a Organizer,
    pub(crate) version: VersionSegment,
    pub(crate) times: MeetingTimes,
    pub(crate) external_id: Option<String>,
    pub(crate) now: DateTime<Utc>,
}

/// The caller's values for the properties the emulator fills in or defaults: `None` when
/// the request does not have the property, `Some(Value::Null)` for an explicit `null`
/// (which is kept).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Given {
    #[serde(default, deserialize_with = "present")]
    subject: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    is_broadcast: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    auto_admitted_users: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    is_entry_exit_announced: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    allowed_presenters: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    allow_meeting_chat: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    allow_teamwork_reactions: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    allow_attendee_to_enable_camera: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    allow_attendee_to_enable_mic: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    record_automatically: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    lobby_bypass_settings: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    participants: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    join_meeting_id_settings: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    chat_info: Option<Value>,
}

/// A property that is present, `null` included.
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// The meeting document the emulator makes, in Graph's property order: what the server
/// sets, and Graph's defaults where the caller gave nothing.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    id: String,
    creation_date_time: String,
    start_date_time: String,
    end_date_time: String,
    join_web_url: String,
    subject: Value,
    is_broadcast: Value,
    /// Beta only.
    #[serde(skip_serializing_if = "Option::is_none")]
    auto_admitted_users: Option<Value>,
    is_entry_exit_announced: Value,
    allowed_presenters: Value,
    allow_meeting_chat: Value,
    allow_teamwork_reactions: Value,
    allow_attendee_to_enable_camera: Value,
    allow_attendee_to_enable_mic: Value,
    record_automatically: Value,
    video_teleconference_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
    participants: Value,
    lobby_bypass_settings: Value,
    join_meeting_id_settings: Value,
    audio_conferencing: Value,
    chat_info: Value,
    join_information: Value,
}

/// Builds the stored meeting: the typed [`Document`], then every other property of the
/// request, unchanged.
pub(crate) fn build_meeting(new: NewMeeting<'_>) -> StoredMeeting {
    let NewMeeting {
        request,
        organizer,
        version,
        times,
        external_id,
        now,
    } = new;
    // The request's shapes were checked (`check_shapes`); a property of a type the emulator
    // does not model is simply not defaulted.
    let given = Given::deserialize(Value::Object(request.clone())).unwrap_or_default();
    let generated = Generated::new(organizer);
    let document = Document {
        id: generated.id.clone(),
        creation_date_time: graph_utc(now),
        start_date_time: times.start,
        end_date_time: times.end,
        join_web_url: generated.join_web_url.clone(),
        subject: given.subject.unwrap_or(Value::Null),
        is_broadcast: given.is_broadcast.unwrap_or(json!(false)),
        auto_admitted_users: (version == VersionSegment::Beta).then(|| {
            given
                .auto_admitted_users
                .unwrap_or(json!("everyoneInCompany"))
        }),
        is_entry_exit_announced: given.is_entry_exit_announced.unwrap_or(json!(true)),
        allowed_presenters: given.allowed_presenters.unwrap_or(json!("everyone")),
        allow_meeting_chat: given.allow_meeting_chat.unwrap_or(json!("enabled")),
        allow_teamwork_reactions: given.allow_teamwork_reactions.unwrap_or(json!(true)),
        allow_attendee_to_enable_camera: given
            .allow_attendee_to_enable_camera
            .unwrap_or(json!(true)),
        allow_attendee_to_enable_mic: given.allow_attendee_to_enable_mic.unwrap_or(json!(true)),
        record_automatically: given.record_automatically.unwrap_or(json!(false)),
        video_teleconference_id: generated.video_teleconference_id.clone(),
        external_id,
        participants: participants(given.participants.as_ref(), organizer),
        lobby_bypass_settings: given
            .lobby_bypass_settings
            .unwrap_or_else(|| json!({"scope": "organization", "isDialInBypassEnabled": false})),
        join_meeting_id_settings: join_meeting_id_settings(
            given.join_meeting_id_settings.as_ref(),
            &generated,
        ),
        audio_conferencing: audio_conferencing(&generated),
        chat_info: chat_info(given.chat_info.as_ref(), &generated, now),
        join_information: join_information(&generated),
    };
    let mut meeting = match serde_json::to_value(document) {
        Ok(Value::Object(map)) => map,
        // A struct of strings and `Value`s always serializes to an object.
        _ => Map::new(),
    };
    for (key, value) in request {
        if !meeting.contains_key(key) && key != "@odata.context" {
            meeting.insert(key.clone(), value.clone());
        }
    }
    StoredMeeting {
        id: generated.id,
        owner: Owner::new(&organizer.tenant_id, &organizer.user_id),
        key: None,
        document: meeting,
    }
}

fn object_of(value: Option<&Value>) -> Map<String, Value> {
    match value {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    }
}

fn participants(given: Option<&Value>, organizer: &Organizer) -> Value {
    let given = object_of(given);
    let mut participants = Map::new();
    participants.insert(
        "organizer".to_owned(),
        json!({
            "upn": organizer.upn,
            "role": "presenter",
            "identity": {
                "application": null,
                "device": null,
                "user": {
                    "id": organizer.user_id,
                    "displayName": null,
                    "tenantId": organizer.tenant_id,
                    "identityProvider": "AAD",
                }
            }
        }),
    );
    let attendees = match given.get("attendees") {
        Some(Value::Array(attendees)) => attendees
            .iter()
            .map(|attendee| match attendee {
                Value::Object(map) if !map.contains_key("role") => {
                    let mut map = map.clone();
                    map.insert("role".to_owned(), Value::Null);
                    Value::Object(map)
                }
                other => other.clone(),
            })
            .collect(),
        _ => Vec::new(),
    };
    participants.insert("attendees".to_owned(), Value::Array(attendees));
    for name in ["producers", "contributors"] {
        let list = match given.get(name) {
            Some(Value::Array(list)) => Value::Array(list.clone()),
            _ => json!([]),
        };
        participants.insert(name.to_owned(), list);
    }
    // Anything else the caller put in participants comes back too.
    for (key, value) in given {
        participants.entry(key).or_insert(value);
    }
    Value::Object(participants)
}

fn join_meeting_id_settings(given: Option<&Value>, generated: &Generated) -> Value {
    let mut settings = object_of(given);
    let passcode_required = settings
        .get("isPasscodeRequired")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    settings.insert("isPasscodeRequired".to_owned(), json!(passcode_required));
    settings.insert("joinMeetingId".to_owned(), json!(generated.join_meeting_id));
    settings.insert(
        "passcode".to_owned(),
        if passcode_required {
            json!(generated.passcode)
        } else {
            Value::Null
        },
    );
    Value::Object(settings)
}

fn audio_conferencing(generated: &Generated) -> Value {
    json!({
        "conferenceId": generated.conference_id,
        "tollNumber": TOLL_NUMBER,
        "tollFreeNumber": TOLL_FREE_NUMBER,
        "tollNumbers": [TOLL_NUMBER],
        "tollFreeNumbers": [TOLL_FREE_NUMBER],
        "dialinUrl": format!(
            "https://dialin.teams.microsoft.com/{}?id={}",
            generated.dial_in_id, generated.conference_id
        ),
    })
}

fn chat_info(given: Option<&Value>, generated: &Generated, now: DateTime<Utc>) -> Value {
    let mut chat = object_of(given);
    // A meeting in a channel (the caller gave the channel's thread) gets a message id in that
    // thread, as in Graph's second createOrGet example; otherwise the meeting's own chat.
    let channel_thread = chat
        .get("threadId")
        .and_then(Value::as_str)
        .filter(|thread| !thread.is_empty())
        .map(str::to_owned);
    let (thread_id, message_id) = match channel_thread {
        Some(thread) => (thread, now.timestamp_millis().to_string()),
        None => (generated.thread_id.clone(), "0".to_owned()),
    };
    chat.insert("threadId".to_owned(), json!(thread_id));
    chat.insert("messageId".to_owned(), json!(message_id));
    chat.insert("replyChainMessageId".to_owned(), Value::Null);
    Value::Object(chat)
}

fn join_information(generated: &Generated) -> Value {
    let html = format!(
        "<p><a href=\"{url}\">Join Microsoft Teams Meeting</a></p><p>Meeting ID: {id}</p><p>Passcode: {passcode}</p>",
        url = generated.join_web_url,
        id = generated.join_meeting_id,
        passcode = generated.passcode,
    );
    json!({
        "content": format!("data:text/html,{}", utf8_percent_encode(&html, COMPONENT)),
        "contentType": "html",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-04T05:06:07.123456789Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn both_times_missing_is_now_plus_one_hour() {
        let times = resolve_times(&Map::new(), now()).ok();
        assert_eq!(
            times,
            Some(MeetingTimes {
                start: "2026-03-04T05:06:07.1234567Z".into(),
                end: "2026-03-04T06:06:07.1234567Z".into(),
            })
        );
    }

    #[test]
    fn only_start_gets_one_hour_and_keeps_offset() {
        let request = object(json!({"startDateTime": "2019-07-12T14:30:34.2444915-07:00"}));
        let times = resolve_times(&request, now()).ok();
        assert_eq!(
            times,
            Some(MeetingTimes {
                start: "2019-07-12T14:30:34.2444915-07:00".into(),
                end: "2019-07-12T15:30:34.2444915-07:00".into(),
            })
        );
    }

    #[test]
    fn computed_end_follows_the_start_format() {
        let cases = [
            ("2020-02-06T01:49:21Z", "2020-02-06T02:49:21Z"),
            ("2020-02-06T01:49:21.5z", "2020-02-06T02:49:21.5Z"),
            (
                "2020-02-06T01:49:21.3524945+00:00",
                "2020-02-06T02:49:21.3524945+00:00",
            ),
            (
                "2020-12-31T23:30:00.000+05:30",
                "2021-01-01T00:30:00.000+05:30",
            ),
        ];
        for (start, end) in cases {
            let request = object(json!({ "startDateTime": start }));
            let times = resolve_times(&request, now()).ok();
            assert_eq!(
                times,
                Some(MeetingTimes {
                    start: start.into(),
                    end: end.into()
                }),
                "{start}"
            );
        }
    }

    #[test]
    fn time_errors_are_400() {
        let cases = [
            json!({"endDateTime": "2020-02-06T02:19:21Z"}),
            json!({"startDateTime": "2020-02-06T02:19:21Z", "endDateTime": "2020-02-06T02:19:20Z"}),
            json!({"startDateTime": "yesterday"}),
            json!({"startDateTime": 5}),
            json!({"startDateTime": "2020-02-06T02:19:21"}),
            json!({"startDateTime": "9999-12-31T23:30:00Z"}),
        ];
        for case in cases {
            let result = resolve_times(&object(case.clone()), now());
            assert_eq!(result.err().map(|e| e.status.as_u16()), Some(400), "{case}");
        }
        let equal = object(json!({
            "startDateTime": "2020-02-06T02:19:21Z", "endDateTime": "2020-02-06T03:19:21+01:00"
        }));
        assert!(resolve_times(&equal, now()).is_ok());
    }

    #[test]
    fn external_id_rules() {
        assert_eq!(
            external_id(&object(json!({"externalId": "x"}))).ok(),
            Some("x".into())
        );
        for bad in [
            json!({}),
            json!({"externalId": null}),
            json!({"externalId": ""}),
            json!({"externalId": "  "}),
            json!({"externalId": 7}),
            json!({"externalId": ["x"]}),
        ] {
            assert!(external_id(&object(bad.clone())).is_err(), "{bad}");
        }
    }

    #[test]
    fn meeting_overlays_server_fields_and_keeps_unknown_ones() {
        let request = object(json!({
            "id": "client-chosen",
            "subject": "Hello",
            "allowedPresenters": "organizer",
            "someFutureProperty": {"a": 1},
            "participants": {"attendees": [{"upn": "a@b.c"}], "organizer": {"upn": "spoof"}},
        }));
        let organizer = Organizer {
            tenant_id: "t".into(),
            user_id: "u".into(),
            upn: Some("me@contoso.com".into()),
        };
        let meeting = build_meeting(NewMeeting {
            request: &request,
            organizer: &organizer,
            version: VersionSegment::V1,
            times: MeetingTimes {
                start: "s".into(),
                end: "e".into(),
            },
            external_id: None,
            now: now(),
        })
        .document;
        assert_ne!(meeting["id"], "client-chosen");
        assert_eq!(meeting["subject"], "Hello");
        assert_eq!(meeting["allowedPresenters"], "organizer");
        assert_eq!(meeting["someFutureProperty"], json!({"a": 1}));
        assert_eq!(
            meeting["participants"]["organizer"]["upn"],
            "me@contoso.com"
        );
        assert_eq!(
            meeting["participants"]["organizer"]["identity"]["user"]["id"],
            "u"
        );
        assert_eq!(meeting["participants"]["attendees"][0]["role"], Value::Null);
        assert_eq!(meeting["chatInfo"]["messageId"], "0");
        assert!(!meeting.contains_key("autoAdmittedUsers"));
        let join_id = meeting["joinMeetingIdSettings"]["joinMeetingId"]
            .as_str()
            .unwrap_or("");
        assert!(join_id.len() == 12 && join_id.bytes().all(|b| b.is_ascii_digit()));
        assert!(
            meeting["joinWebUrl"]
                .as_str()
                .unwrap_or("")
                .starts_with("https://teams.microsoft.com/l/meetup-join/19%3Ameeting_")
        );
    }

    #[test]
    fn bodies_that_are_not_objects_are_400() {
        for body in [&b"[]"[..], b"1", b"\"x\"", b"null", b"{", b"", b"\xff\xfe"] {
            assert_eq!(
                parse_request_object(body).err().map(|e| e.status.as_u16()),
                Some(400)
            );
        }
        let deep = "[".repeat(100_000);
        let err = parse_request_object(deep.as_bytes()).err();
        assert!(err.is_some_and(|e| e.message.contains("nested too deeply")));
    }
}
