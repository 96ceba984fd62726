//! After the meeting, end to end: a meeting ended in the emulator is read back through
//! `GraphClient`'s pages and content streams (attendance reports and records over several
//! pages, the transcript's bytes, a 1 GiB recording in bounded memory), and the delta
//! rounds of `getAllTranscripts`.

use std::pin::Pin;
use std::task::{Context, Poll};

use chrono::{Duration, TimeZone, Utc};
use graph_online_meetings::types::CreateOrGetRequest;
use graph_online_meetings::{Error, TimeWindow};
use graph_online_meetings_emulator::{Attendee, MeetingEnd, Route, recording_byte};
use tokio::io::AsyncWrite;

use crate::common::peak_resident_bytes;
use crate::support::*;

/// `count` attendees, each with two intervals (left and came back).
fn attendees(count: usize) -> Vec<Attendee> {
    let start = Utc
        .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
        .single()
        .expect("a time");
    (0..count)
        .map(|n| {
            let join = start + Duration::minutes(n as i64);
            Attendee::new(format!("Attendee {n}"), format!("attendee{n}@contoso.com"))
                .interval(join, join + Duration::minutes(10))
                .interval(join + Duration::minutes(20), join + Duration::minutes(45))
        })
        .collect()
}

/// A new meeting of `client`'s user through createOrGet; its id.
async fn new_meeting(client: &graph_online_meetings::GraphClient, key: &str) -> String {
    let outcome = client
        .me()
        .create_or_get(&CreateOrGetRequest::new(key))
        .await
        .expect("createOrGet");
    id_of(outcome.meeting()).to_owned()
}

/// An emulator with a meeting of [`USER`] made with createOrGet and ended with 25
/// attendees: the emulator, a delegated client, the meeting's id, what the end made, and
/// the attendees.
async fn ended_with_25() -> (
    graph_online_meetings_emulator::RunningEmulator,
    graph_online_meetings::GraphClient,
    String,
    graph_online_meetings_emulator::EndedMeeting,
    Vec<Attendee>,
) {
    let emulator = start().await;
    let client = delegated(&emulator);
    let id = new_meeting(&client, "course-42-session-7").await;
    let given = attendees(25);
    let ended = emulator
        .end_meeting(
            TENANT,
            USER,
            &id,
            &MeetingEnd::new(given.clone()).recording_bytes(4096),
        )
        .expect("the meeting ends");
    (emulator, client, id, ended, given)
}

/// The 25 records of a meeting ended with 25 attendees read back through three pages
/// (the emulator's page size is 10), each with its attendee's intervals, from the report
/// the meeting's list of reports names.
#[tokio::test]
async fn records_read_back_over_three_pages_with_their_intervals() {
    let (emulator, client, id, ended, given) = ended_with_25().await;
    let meeting = client.me().meeting(&id);
    let reports = meeting
        .attendance_reports()
        .all()
        .await
        .expect("the reports");
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].id.as_deref(), Some(&*ended.attendance_report_id));
    assert_eq!(reports[0].total_participant_count, Some(25));

    let mut pages = meeting
        .attendance_report(&ended.attendance_report_id)
        .records();
    let mut records = Vec::new();
    let mut page_count = 0;
    while let Some(page) = pages.next_page().await {
        let page = page.expect("a page of records");
        page_count += 1;
        records.extend(page.into_inner().into_items());
    }
    assert!(page_count >= 3, "{page_count} pages");
    assert_eq!(
        emulator.stats().count(Route::ListAttendanceRecordsMe),
        page_count
    );
    assert_eq!(records.len(), 25);
    for (record, attendee) in records.iter().zip(&given) {
        assert_eq!(
            record.email_address.as_deref(),
            Some(&*attendee.email_address)
        );
        let intervals: Vec<_> = record
            .attendance_intervals
            .iter()
            .map(|i| (i.join_date_time, i.leave_date_time))
            .collect();
        let expected: Vec<_> = attendee
            .intervals
            .iter()
            .map(|i| (Some(i.join_date_time), Some(i.leave_date_time)))
            .collect();
        assert_eq!(intervals, expected, "{record:?}");
        assert_eq!(record.total_attendance_in_seconds, Some(35 * 60));
    }
    stop(emulator).await;
}

/// `get_with_records` (`$expand=attendanceRecords`) brings all 25 records in the report;
/// a plain `get` none.
#[tokio::test]
async fn a_report_with_its_records_comes_in_one_request() {
    let (emulator, client, id, ended, _) = ended_with_25().await;
    let report = client
        .me()
        .meeting(&id)
        .attendance_report(&ended.attendance_report_id);
    let expanded = report
        .get_with_records()
        .await
        .expect("the report with its records");
    assert_eq!(expanded.attendance_records.len(), 25);
    assert!(
        report
            .get()
            .await
            .expect("the report")
            .attendance_records
            .is_empty()
    );
    assert_eq!(emulator.stats().count(Route::GetAttendanceReportMe), 2);
    stop(emulator).await;
}

/// The transcript's content is exactly the bytes the emulator produced (`text/vtt`), and
/// its metadata content names the attendees.
#[tokio::test]
async fn the_transcript_content_is_the_bytes_the_emulator_produced() {
    let (emulator, client, id, ended, _) = ended_with_25().await;
    let meeting = client.me().meeting(&id);
    let listed = meeting.transcripts().all().await.expect("the transcripts");
    assert_eq!(listed.len(), 1);
    let transcript = meeting.transcript(&ended.transcript_id);
    let content = transcript
        .content()
        .await
        .expect("the transcript's content");
    assert_eq!(content.headers()["content-type"], "text/vtt");
    let mut vtt = Vec::new();
    content.into_inner().write_to(&mut vtt).await.expect("read");
    assert_eq!(vtt, ended.transcript_vtt.as_bytes());
    let mut metadata = Vec::new();
    transcript
        .metadata_content()
        .await
        .expect("the metadata content")
        .into_inner()
        .write_to(&mut metadata)
        .await
        .expect("read");
    assert!(String::from_utf8_lossy(&metadata).contains("Attendee 24"));
    stop(emulator).await;
}

/// Another user's meeting has no artifacts for the caller: `404`, as for meetings.
#[tokio::test]
async fn another_users_artifacts_are_404() {
    let (emulator, _, id, ended, _) = ended_with_25().await;
    let stranger = client_as(
        &emulator,
        TENANT,
        OTHER_USER,
        graph_online_meetings_emulator::TokenKind::Delegated,
    );
    let meeting = stranger.me().meeting(&id);
    let err = meeting
        .attendance_reports()
        .all()
        .await
        .expect_err("a list");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err:?}");
    let err = meeting
        .recording(&ended.recording_id)
        .content()
        .await
        .expect_err("content");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err:?}");
    stop(emulator).await;
}

/// A sink that counts what it is given and checks it against the emulator's recording
/// pattern (every byte of the first MiB, then one in 4093, to keep a debug build quick).
#[derive(Default)]
struct CheckedSink {
    written: u64,
    wrong: Option<u64>,
}

impl AsyncWrite for CheckedSink {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        for (i, byte) in buf.iter().enumerate() {
            let offset = self.written + i as u64;
            if (offset < 1 << 20 || offset.is_multiple_of(4093))
                && *byte != recording_byte(offset)
                && self.wrong.is_none()
            {
                self.wrong = Some(offset);
            }
        }
        self.written += buf.len() as u64;
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// The environment variable that makes [`a_1_gib_recording_streams_to_a_sink_in_bounded_memory`]
/// run its download instead of a process that runs it.
const ALONE: &str = "GRAPH_ONLINE_MEETINGS_TEST_ALONE";

/// A 1 GiB recording, far over the JSON size limit, streams to a sink whole, with its
/// bytes as the emulator made them, and the test process's peak resident memory stays
/// under 64 MiB.
///
/// The peak is per process and the other tests of this binary run beside this one, so
/// the download runs in a process of its own: this binary again, with only this test.
#[test]
fn a_1_gib_recording_streams_to_a_sink_in_bounded_memory() {
    let name = "artifacts::a_1_gib_recording_streams_to_a_sink_in_bounded_memory";
    if std::env::var_os(ALONE).is_some() {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        return runtime.block_on(download_1_gib_recording());
    }
    let exe = std::env::current_exe().expect("the test binary");
    let out = std::process::Command::new(exe)
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(ALONE, "1")
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "the download in its own process failed"
    );
    assert!(stdout.contains("1 passed"), "the test ran there: {stdout}");
}

async fn download_1_gib_recording() {
    const GIB: u64 = 1 << 30;
    let emulator = start().await;
    let client = application(&emulator);
    let created = client
        .user(USER)
        .create_or_get(&CreateOrGetRequest::new("recorded"))
        .await
        .expect("createOrGet");
    let id = id_of(created.meeting()).to_owned();
    let ended = emulator
        .end_meeting(
            TENANT,
            USER,
            &id,
            &MeetingEnd::new(attendees(2)).recording_bytes(GIB),
        )
        .expect("the meeting ends");
    let content = client
        .user(USER)
        .meeting(&id)
        .recording(&ended.recording_id)
        .content()
        .await
        .expect("the recording");
    assert_eq!(content.headers()["content-type"], "video/mp4");
    let mut sink = CheckedSink::default();
    let written = content
        .into_inner()
        .write_to(&mut sink)
        .await
        .expect("streamed");
    assert_eq!((written, sink.written), (GIB, GIB));
    assert_eq!(sink.wrong, None, "the bytes are the emulator's");
    let peak = peak_resident_bytes().expect("Linux reports the peak resident memory");
    println!(
        "peak resident memory of the test process with a 1 GiB recording: {} MiB",
        peak >> 20
    );
    assert!(peak < 64 << 20, "peak resident memory {peak} bytes");
    stop(emulator).await;
}

/// An emulator where [`USER`] organized two meetings, each ended twice (four
/// transcripts): the emulator, an application client, the meeting ids and the transcript
/// ids in the order they were made.
async fn four_transcripts() -> (
    graph_online_meetings_emulator::RunningEmulator,
    graph_online_meetings::GraphClient,
    Vec<String>,
    Vec<String>,
) {
    let emulator = start().await;
    let client = application(&emulator);
    let mut meetings = Vec::new();
    for key in ["delta-1", "delta-2"] {
        let meeting = client
            .user(USER)
            .create_or_get(&CreateOrGetRequest::new(key))
            .await
            .expect("createOrGet");
        meetings.push(id_of(meeting.meeting()).to_owned());
    }
    let mut transcripts = Vec::new();
    for id in meetings.iter().chain(&meetings) {
        let ended = emulator
            .end_meeting(TENANT, USER, id, &MeetingEnd::new(attendees(1)))
            .expect("ends");
        transcripts.push(ended.transcript_id);
    }
    (emulator, client, meetings, transcripts)
}

/// Delta: a first round of `getAllTranscripts/delta` returns every transcript of the
/// organizer's meetings and ends with a delta link; a later round from that link returns
/// only the transcript added since, and a new delta link.
#[tokio::test]
async fn a_delta_round_returns_only_what_was_added_since() {
    let (emulator, client, meetings, transcripts) = four_transcripts().await;
    let organizer = client.user(USER);
    let mut round = organizer.transcripts_delta(TimeWindow::default());
    let first = round.all().await.expect("the first round");
    let ids: Vec<_> = first.iter().filter_map(|t| t.id.clone()).collect();
    assert_eq!(ids, transcripts);
    let link = round
        .delta_link()
        .expect("the round ends with a delta link")
        .to_owned();

    let added = emulator
        .end_meeting(TENANT, USER, &meetings[0], &MeetingEnd::new(attendees(3)))
        .expect("ends again");
    let mut next = organizer.transcripts_delta_since(&link);
    let new = next.all().await.expect("the next round");
    let ids: Vec<_> = new.iter().filter_map(|t| t.id.clone()).collect();
    assert_eq!(ids, std::slice::from_ref(&added.transcript_id));
    assert!(next.delta_link().is_some_and(|l| l != link));
    stop(emulator).await;
}

/// `getAllTranscripts` with the default window returns every transcript; a window that
/// starts tomorrow none.
#[tokio::test]
async fn get_all_transcripts_keeps_to_its_window() {
    let (emulator, client, _, transcripts) = four_transcripts().await;
    let organizer = client.user(USER);
    let all = organizer
        .all_transcripts(TimeWindow::default())
        .all()
        .await
        .expect("getAllTranscripts");
    assert_eq!(all.len(), transcripts.len());
    let future = Utc::now() + Duration::days(1);
    let none = organizer
        .all_transcripts(TimeWindow::since(future))
        .all()
        .await
        .expect("an empty window");
    assert!(none.is_empty(), "{none:?}");
    stop(emulator).await;
}

/// A stored delta link that points at another host is refused with a typed error, and
/// no request is made.
#[tokio::test]
async fn a_delta_link_to_another_host_is_refused_unsent() {
    let (emulator, client, _, _) = four_transcripts().await;
    let organizer = client.user(USER);
    let mut round = organizer.transcripts_delta(TimeWindow::default());
    round.all().await.expect("a round");
    let link = round
        .delta_link()
        .expect("a delta link")
        .replace("127.0.0.1", "localhost");
    let before = emulator.stats().total();
    let err = organizer
        .transcripts_delta_since(&link)
        .all()
        .await
        .expect_err("another host");
    assert!(matches!(err, Error::ForeignLink(_)), "{err:?}");
    assert_eq!(emulator.stats().total(), before, "no request was made");
    stop(emulator).await;
}
