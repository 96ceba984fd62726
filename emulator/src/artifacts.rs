//! What a meeting leaves behind when it ends: an attendance report, a transcript and a
//! recording, one of each per session (see
//! [`RunningEmulator::end_meeting`](crate::RunningEmulator::end_meeting)).
//!
//! A session is built once, when the meeting ends, from a [`MeetingEnd`]; what depends on
//! the request that reads it (the content URLs, which use the request's host and version)
//! is filled in when it is sent.

use std::convert::Infallible;
use std::sync::OnceLock;

use axum::body::Bytes;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use futures_util::Stream;
use percent_encoding::utf8_percent_encode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::graph_format::{COMPONENT, graph_utc};
use crate::owner::Owner;

/// How a meeting ended: who attended, when, and how long its recording is. Built in Rust
/// for [`RunningEmulator::end_meeting`](crate::RunningEmulator::end_meeting), or sent as
/// JSON to the `/_emulator/v1.0/…/onlineMeetings/{meetingId}/end` route:
///
/// ```json
/// {"attendees": [{"displayName": "Ada Lovelace", "emailAddress": "ada@contoso.com",
///   "intervals": [{"joinDateTime": "2026-01-05T09:00:00Z",
///                  "leaveDateTime": "2026-01-05T09:30:00Z"}]}],
///  "recordingBytes": 1048576}
/// ```
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use graph_online_meetings_emulator::{Attendee, MeetingEnd};
///
/// let nine = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
/// let half_past = Utc.with_ymd_and_hms(2026, 1, 5, 9, 30, 0).unwrap();
/// let end = MeetingEnd::new((0..25).map(|i| {
///     Attendee::new(format!("Attendee {i}"), format!("a{i}@contoso.com")).interval(nine, half_past)
/// }))
/// .recording_bytes(1024);
/// assert_eq!(end.attendees.len(), 25);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeetingEnd {
    /// Everyone who attended; each becomes an attendance record.
    pub attendees: Vec<Attendee>,
    /// The length of the recording's content, in bytes (`0` by default). The bytes are
    /// made as they are sent (see [`recording_byte`]), so any length costs no memory.
    #[serde(default)]
    pub recording_bytes: u64,
}

impl MeetingEnd {
    /// A meeting end with these attendees and an empty recording.
    pub fn new(attendees: impl IntoIterator<Item = Attendee>) -> Self {
        Self {
            attendees: attendees.into_iter().collect(),
            recording_bytes: 0,
        }
    }

    /// Sets the length of the recording, in bytes.
    #[must_use]
    pub fn recording_bytes(mut self, bytes: u64) -> Self {
        self.recording_bytes = bytes;
        self
    }
}

/// One attendee of a [`MeetingEnd`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Attendee {
    /// The attendee's name (the record's `identity.displayName`, the transcript's speaker).
    pub display_name: String,
    /// The attendee's email address (the record's `emailAddress`).
    pub email_address: String,
    /// When the attendee was in the meeting (none by default).
    #[serde(default)]
    pub intervals: Vec<Interval>,
}

impl Attendee {
    /// An attendee without intervals.
    pub fn new(display_name: impl Into<String>, email_address: impl Into<String>) -> Self {
        Self {
            display_name: display_name.into(),
            email_address: email_address.into(),
            intervals: Vec::new(),
        }
    }

    /// Adds a stay in the meeting, from `join` to `leave` (which must not be earlier).
    #[must_use]
    pub fn interval(
        mut self,
        join: impl Into<DateTime<FixedOffset>>,
        leave: impl Into<DateTime<FixedOffset>>,
    ) -> Self {
        self.intervals.push(Interval::new(join, leave));
        self
    }
}

/// One stay of an attendee in the meeting. In JSON the times are RFC 3339 strings; they
/// are sent back in RFC 3339 with the offset they were given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Interval {
    /// When the attendee joined.
    #[serde(with = "rfc3339")]
    pub join_date_time: DateTime<FixedOffset>,
    /// When the attendee left (not earlier than the join).
    #[serde(with = "rfc3339")]
    pub leave_date_time: DateTime<FixedOffset>,
}

impl Interval {
    /// A stay from `join` to `leave`.
    pub fn new(
        join: impl Into<DateTime<FixedOffset>>,
        leave: impl Into<DateTime<FixedOffset>>,
    ) -> Self {
        Self {
            join_date_time: join.into(),
            leave_date_time: leave.into(),
        }
    }
}

/// RFC 3339 for the JSON form, with chrono's RFC 3339 parser: its `FromStr` (what chrono's
/// own serde support uses) is more relaxed (a space before the offset, for one), and the
/// route promises a 400 for anything that is not RFC 3339.
mod rfc3339 {
    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        time: &DateTime<FixedOffset>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::rfc3339_text(*time))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<FixedOffset>, D::Error> {
        let text = String::deserialize(deserializer)?;
        DateTime::parse_from_rfc3339(&text).map_err(|err| {
            serde::de::Error::custom(format!("'{text}' is not an RFC 3339 date-time ({err})"))
        })
    }
}

/// RFC 3339 with the time's own offset (`Z` for UTC) and as many fractional digits as
/// it needs.
fn rfc3339_text(time: DateTime<FixedOffset>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The ids of what ending a meeting made, to read them back over HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EndedMeeting {
    /// The new attendance report's id.
    pub attendance_report_id: String,
    /// The new transcript's id.
    pub transcript_id: String,
    /// The transcript's content, exactly the bytes its `content` route sends.
    pub transcript_vtt: String,
    /// The new recording's id.
    pub recording_id: String,
    /// The length of the recording's content (see [`recording_byte`]).
    pub recording_bytes: u64,
}

/// The byte at `offset` of every recording's content: `offset % 251`. A test can check a
/// downloaded recording with it without holding the expected bytes.
///
/// ```
/// use graph_online_meetings_emulator::recording_byte;
///
/// assert_eq!(recording_byte(0), 0);
/// assert_eq!(recording_byte(250), 250);
/// assert_eq!(recording_byte(251), 0);
/// ```
pub fn recording_byte(offset: u64) -> u8 {
    // 251 is prime, so the pattern does not line up with power-of-two chunk sizes and a
    // chunk sent at the wrong offset shows.
    (offset % 251) as u8
}

/// The size of the chunks a recording's content is sent in.
const CHUNK_BYTES: usize = 64 * 1024;

/// One chunk's worth of the recording pattern, plus one period, so that any chunk is a
/// slice of it (shared, not copied).
fn pattern() -> &'static Bytes {
    static PATTERN: OnceLock<Bytes> = OnceLock::new();
    PATTERN.get_or_init(|| {
        (0..CHUNK_BYTES as u64 + 251)
            .map(recording_byte)
            .collect::<Vec<u8>>()
            .into()
    })
}

/// The content of a recording of `length` bytes, made chunk by chunk as it is sent.
pub(crate) fn recording_stream(length: u64) -> impl Stream<Item = Result<Bytes, Infallible>> {
    futures_util::stream::unfold(0u64, move |offset| async move {
        if offset >= length {
            return None;
        }
        let size =
            usize::try_from((length - offset).min(CHUNK_BYTES as u64)).unwrap_or(CHUNK_BYTES);
        let start = usize::from(recording_byte(offset));
        let chunk = pattern().slice(start..start + size);
        Some((Ok(chunk), offset + size as u64))
    })
}

/// The attendance report of a session, ready to send (without `@odata.context`).
#[derive(Debug, Clone)]
pub(crate) struct Report {
    pub(crate) id: String,
    pub(crate) document: Map<String, Value>,
    pub(crate) records: Vec<Value>,
}

/// One end of a meeting: its three artifacts.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// Set by the store: increases with every session of every meeting.
    pub(crate) sequence: u64,
    pub(crate) owner: Owner,
    pub(crate) meeting_id: String,
    /// The organizer's user id as the ending call named it (the owner is lower-cased).
    pub(crate) organizer_id: String,
    pub(crate) created: DateTime<Utc>,
    call_id: String,
    content_correlation_id: String,
    end_date_time: String,
    pub(crate) report: Report,
    pub(crate) transcript_id: String,
    pub(crate) transcript_vtt: String,
    pub(crate) transcript_metadata: String,
    pub(crate) recording_id: String,
    pub(crate) recording_bytes: u64,
}

/// The seconds from `join` to `leave`, as Graph's `Int32`.
fn duration_seconds(interval: &Interval, attendee: usize) -> Result<i32, String> {
    let seconds = (interval.leave_date_time - interval.join_date_time).num_seconds();
    if seconds < 0 {
        return Err(format!(
            "attendee {attendee}: leaveDateTime {} is earlier than joinDateTime {}",
            rfc3339_text(interval.leave_date_time),
            rfc3339_text(interval.join_date_time)
        ));
    }
    i32::try_from(seconds).map_err(|_| {
        format!("attendee {attendee}: an interval of {seconds} seconds does not fit Graph's Int32")
    })
}

/// Graph-style ids of transcripts and recordings: base64 of `1##0##<guid>`.
fn artifact_id() -> String {
    URL_SAFE_NO_PAD.encode(format!("1##0##{}", Uuid::new_v4()))
}

impl Session {
    /// Builds the artifacts of one end of meeting `meeting_id`, or says why `end` is not
    /// valid (a leave before its join, a duration that does not fit Graph's `Int32`).
    pub(crate) fn new(
        end: &MeetingEnd,
        owner: Owner,
        meeting_id: &str,
        organizer_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Self, String> {
        let mut records = Vec::with_capacity(end.attendees.len());
        let mut first_join: Option<DateTime<FixedOffset>> = None;
        let mut last_leave: Option<DateTime<FixedOffset>> = None;
        for (index, attendee) in end.attendees.iter().enumerate() {
            let mut total: i32 = 0;
            let mut intervals = Vec::with_capacity(attendee.intervals.len());
            for interval in &attendee.intervals {
                let seconds = duration_seconds(interval, index)?;
                total = total.checked_add(seconds).ok_or_else(|| {
                    format!("attendee {index}: the total attendance does not fit Graph's Int32")
                })?;
                first_join = Some(match first_join {
                    Some(first) => first.min(interval.join_date_time),
                    None => interval.join_date_time,
                });
                last_leave = Some(match last_leave {
                    Some(last) => last.max(interval.leave_date_time),
                    None => interval.leave_date_time,
                });
                intervals.push(json!({
                    "joinDateTime": rfc3339_text(interval.join_date_time),
                    "leaveDateTime": rfc3339_text(interval.leave_date_time),
                    "durationInSeconds": seconds,
                }));
            }
            records.push(json!({
                "id": Uuid::new_v4().to_string(),
                "emailAddress": attendee.email_address,
                "totalAttendanceInSeconds": total,
                "role": "Attendee",
                "identity": {
                    "id": Uuid::new_v4().to_string(),
                    "displayName": attendee.display_name,
                },
                "attendanceIntervals": intervals,
                "registrationId": null,
                "externalRegistrationInformation": null,
            }));
        }
        let participants = i32::try_from(end.attendees.len())
            .map_err(|_| "too many attendees for Graph's Int32".to_owned())?;
        let as_utc = |time: DateTime<FixedOffset>| graph_utc(time.with_timezone(&Utc));
        let report_id = Uuid::new_v4().to_string();
        let report = json!({
            "id": report_id,
            "totalParticipantCount": participants,
            "meetingStartDateTime": first_join.map(as_utc),
            "meetingEndDateTime": last_leave.map(as_utc),
            "externalEventInformation": [],
        });
        let Value::Object(document) = report else {
            return Err("the attendance report is not an object".to_owned());
        };
        // The metadata's times start with the meeting; with no interval at all, when it ended.
        let base = first_join.map_or(now, |time| time.with_timezone(&Utc));
        Ok(Self {
            sequence: 0,
            owner,
            meeting_id: meeting_id.to_owned(),
            organizer_id: organizer_id.to_owned(),
            created: now,
            call_id: Uuid::new_v4().to_string(),
            content_correlation_id: Uuid::new_v4().to_string(),
            end_date_time: last_leave.map_or_else(|| graph_utc(now), as_utc),
            report: Report {
                id: report_id,
                document,
                records,
            },
            transcript_id: artifact_id(),
            transcript_vtt: transcript_vtt(&end.attendees),
            transcript_metadata: transcript_metadata(&end.attendees, base),
            recording_id: artifact_id(),
            recording_bytes: end.recording_bytes,
        })
    }

    /// What ending the meeting tells its caller.
    pub(crate) fn ended(&self) -> EndedMeeting {
        EndedMeeting {
            attendance_report_id: self.report.id.clone(),
            transcript_id: self.transcript_id.clone(),
            transcript_vtt: self.transcript_vtt.clone(),
            recording_id: self.recording_id.clone(),
            recording_bytes: self.recording_bytes,
        }
    }

    /// The URL of this session's meeting, under `version_base` (`http://host/v1.0`), in the
    /// `/users/{userId}` form so that an application token can follow it too.
    fn meeting_url(&self, version_base: &str) -> String {
        format!(
            "{version_base}/users/{}/onlineMeetings/{}",
            utf8_percent_encode(&self.organizer_id, COMPONENT),
            utf8_percent_encode(&self.meeting_id, COMPONENT),
        )
    }

    fn artifact_document(&self, id: &str, url_property: &str, url: String) -> Map<String, Value> {
        let document = json!({
            "id": id,
            "meetingId": self.meeting_id,
            "callId": self.call_id,
            "contentCorrelationId": self.content_correlation_id,
            url_property: url,
            "createdDateTime": graph_utc(self.created),
            "endDateTime": self.end_date_time,
            "meetingOrganizer": {
                "application": null,
                "device": null,
                "user": {"id": self.organizer_id, "displayName": null},
            },
        });
        match document {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    /// The `callTranscript`, its content URL under `version_base`.
    pub(crate) fn transcript_document(&self, version_base: &str) -> Map<String, Value> {
        let url = format!(
            "{}/transcripts/{}/content",
            self.meeting_url(version_base),
            utf8_percent_encode(&self.transcript_id, COMPONENT)
        );
        self.artifact_document(&self.transcript_id, "transcriptContentUrl", url)
    }

    /// The `callRecording`, its content URL under `version_base`.
    pub(crate) fn recording_document(&self, version_base: &str) -> Map<String, Value> {
        let url = format!(
            "{}/recordings/{}/content",
            self.meeting_url(version_base),
            utf8_percent_encode(&self.recording_id, COMPONENT)
        );
        self.artifact_document(&self.recording_id, "recordingContentUrl", url)
    }
}

/// A cue time, `HH:MM:SS.000`, `seconds` after the start.
fn cue_time(seconds: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}.000",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// Seconds each attendee's cue lasts.
const CUE_SECONDS: u64 = 5;

/// Text made safe for a cue: no line breaks (a blank line would end the cue), and the
/// characters WebVTT's cue markup reserves written as entities.
fn cue_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The transcript: one 5-second cue per attendee, in order, spoken by that attendee.
fn transcript_vtt(attendees: &[Attendee]) -> String {
    let mut vtt = String::from("WEBVTT\n");
    for (index, attendee) in (0u64..).zip(attendees) {
        let name = cue_text(&attendee.display_name);
        vtt.push_str(&format!(
            "\n{} --> {}\n<v {name}>{name} joined.</v>\n",
            cue_time(index * CUE_SECONDS),
            cue_time((index + 1) * CUE_SECONDS),
        ));
    }
    vtt
}

/// The transcript's metadata: the same cues, each carrying a JSON object that says who
/// spoke, what, and when (from `base`).
fn transcript_metadata(attendees: &[Attendee], base: DateTime<Utc>) -> String {
    let at = |seconds: u64| {
        let offset = chrono::TimeDelta::try_seconds(i64::try_from(seconds).unwrap_or(i64::MAX))
            .unwrap_or_default();
        graph_utc(base.checked_add_signed(offset).unwrap_or(base))
    };
    let mut vtt = String::from("WEBVTT\n");
    for (index, attendee) in (0u64..).zip(attendees) {
        let (start, end) = (index * CUE_SECONDS, (index + 1) * CUE_SECONDS);
        let line = json!({
            "startDateTime": at(start),
            "endDateTime": at(end),
            "speakerName": attendee.display_name,
            "spokenText": format!("{} joined.", attendee.display_name),
            "spokenLanguage": "en-us",
        })
        .to_string()
        // `-->` may not appear in a cue; `>` only occurs inside JSON strings, where
        // `\u003e` means the same.
        .replace('>', "\\u003e");
        vtt.push_str(&format!(
            "\n{} --> {}\n{line}\n",
            cue_time(start),
            cue_time(end)
        ));
    }
    vtt
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap_or_default()
    }

    fn session(end: &MeetingEnd) -> Result<Session, String> {
        Session::new(end, Owner::new("t", "u"), "m", "U", Utc::now())
    }

    #[test]
    fn the_transcript_names_every_attendee() {
        let end = MeetingEnd::new([
            Attendee::new("Ada Lovelace", "ada@contoso.com"),
            Attendee::new("<Bob> & co\nLtd", "bob@contoso.com"),
        ]);
        assert_eq!(
            transcript_vtt(&end.attendees),
            "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\n<v Ada Lovelace>Ada Lovelace joined.</v>\n\n00:00:05.000 --> 00:00:10.000\n<v &lt;Bob&gt; &amp; co Ltd>&lt;Bob&gt; &amp; co Ltd joined.</v>\n"
        );
        let metadata = transcript_metadata(&end.attendees, time("2026-01-05T09:00:00Z").to_utc());
        assert!(metadata.starts_with(
            "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\n{\"startDateTime\":\"2026-01-05T09:00:00.0000000Z\",\"endDateTime\":\"2026-01-05T09:00:05.0000000Z\",\"speakerName\":\"Ada Lovelace\""
        ), "{metadata}");
        assert!(
            !metadata.contains("-->\"") && metadata.contains("\\u003e"),
            "{metadata}"
        );
        assert_eq!(cue_time(3725), "01:02:05.000");
    }

    #[test]
    fn the_report_sums_intervals() -> Result<(), String> {
        let end = MeetingEnd::new([
            Attendee::new("A", "a@x")
                .interval(time("2026-01-05T09:00:00Z"), time("2026-01-05T09:10:00Z"))
                .interval(
                    time("2026-01-05T10:00:00+01:00"),
                    time("2026-01-05T10:30:00.5+01:00"),
                ),
            Attendee::new("B", "b@x"),
        ]);
        let session = session(&end)?;
        let report = &session.report.document;
        assert_eq!(report["totalParticipantCount"], 2);
        assert_eq!(
            report["meetingStartDateTime"],
            "2026-01-05T09:00:00.0000000Z"
        );
        assert_eq!(report["meetingEndDateTime"], "2026-01-05T09:30:00.5000000Z");
        let record = &session.report.records[0];
        assert_eq!(record["totalAttendanceInSeconds"], 600 + 1800);
        assert_eq!(
            record["attendanceIntervals"][1]["joinDateTime"],
            "2026-01-05T10:00:00+01:00"
        );
        assert_eq!(
            record["attendanceIntervals"][1]["leaveDateTime"],
            "2026-01-05T10:30:00.500+01:00"
        );
        assert_eq!(session.report.records[1]["attendanceIntervals"], json!([]));
        Ok(())
    }

    #[test]
    fn no_intervals_means_no_meeting_times() -> Result<(), String> {
        let session = session(&MeetingEnd::default())?;
        assert_eq!(session.report.document["meetingStartDateTime"], Value::Null);
        assert_eq!(session.report.document["meetingEndDateTime"], Value::Null);
        assert_eq!(session.transcript_vtt, "WEBVTT\n");
        Ok(())
    }

    #[test]
    fn bad_intervals_are_refused() {
        let backwards = MeetingEnd::new([Attendee::new("A", "a@x")
            .interval(time("2026-01-05T09:10:00Z"), time("2026-01-05T09:00:00Z"))]);
        assert!(session(&backwards).is_err_and(|e| e.contains("earlier")));
        let huge = MeetingEnd::new([Attendee::new("A", "a@x")
            .interval(time("0001-01-01T00:00:00Z"), time("9999-01-01T00:00:00Z"))]);
        assert!(session(&huge).is_err_and(|e| e.contains("Int32")));
    }

    #[test]
    fn the_json_form_is_strict() {
        let good = r#"{"attendees":[{"displayName":"A","emailAddress":"a@x","intervals":[{"joinDateTime":"2026-01-05T09:00:00Z","leaveDateTime":"2026-01-05T09:10:00Z"}]}],"recordingBytes":5}"#;
        let parsed: Result<MeetingEnd, _> = serde_json::from_str(good);
        assert!(parsed.as_ref().is_ok_and(|end| end.recording_bytes == 5));
        let round_trip = parsed.ok().and_then(|end| serde_json::to_string(&end).ok());
        assert_eq!(round_trip.as_deref(), Some(good));
        for bad in [
            r#"{"attendees":[],"recordingBytes":-1}"#,
            r#"{"attendees":[],"recordingBytes":1.5}"#,
            r#"{"attendees":[{"displayName":"A","emailAddress":"a@x","intervals":[{"joinDateTime":"2026-01-05T09:00:00 +00:00","leaveDateTime":"2026-01-05T09:10:00Z"}]}]}"#,
            r#"{"attendees":[{"displayName":"A","emailAddress":"a@x","intervals":[{"joinDateTime":"2026-01-05T09:00:00","leaveDateTime":"2026-01-05T09:10:00Z"}]}]}"#,
            r#"{"attendees":[],"recordingbytes":1}"#,
            r#"{"recordingBytes":1}"#,
        ] {
            assert!(serde_json::from_str::<MeetingEnd>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn recording_chunks_follow_the_pattern() {
        use futures_util::StreamExt as _;
        let stream = recording_stream(CHUNK_BYTES as u64 * 2 + 300).map(|chunk| match chunk {
            Ok(bytes) => bytes,
            Err(never) => match never {},
        });
        let chunks: Vec<Bytes> = tokio::runtime::Builder::new_current_thread()
            .build()
            .map(|runtime| runtime.block_on(stream.collect()))
            .unwrap_or_default();
        let lengths: Vec<usize> = chunks.iter().map(Bytes::len).collect();
        assert_eq!(lengths, [CHUNK_BYTES, CHUNK_BYTES, 300]);
        let mut offset = 0u64;
        for chunk in &chunks {
            for byte in chunk.iter() {
                assert_eq!(*byte, recording_byte(offset), "offset {offset}");
                offset += 1;
            }
        }
    }
}
