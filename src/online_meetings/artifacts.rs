//! What a meeting leaves when it ends, by handle: its attendance reports
//! ([`AttendanceReport`]), transcripts ([`Transcript`]) and recordings ([`Recording`]),
//! from [`Meeting`]; and, for a user, the transcripts and recordings of every meeting they
//! organized, with delta rounds ([`Meetings::all_transcripts`] and the rest).
//!
//! Lists are [`Pages`] (nothing is sent until the first page is awaited); content is
//! [`Content`], streamed. As for the meeting handles, each method is written once for
//! both scopes and runs the generated call method that picks the signed-in user's or the
//! given user's operation.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::online_meetings::handles::{Meeting, Meetings, Scope, User};
use crate::runtime::content::Content;
use crate::runtime::error::{Result, ValidationError};
use crate::runtime::operation::Operation;
use crate::runtime::pages::Pages;
use crate::runtime::response::Response;
use crate::types::{
    AttendanceRecord, AttendanceRecordCollectionResponse, CallRecording,
    CallRecordingCollectionResponse, CallTranscript, CallTranscriptCollectionResponse,
    MeetingAttendanceReport, MeetingAttendanceReportCollectionResponse,
};

impl<'c, S: Scope + Send + Sync + 'c> Meeting<'c, S> {
    /// The meeting's attendance reports, one per session (each time the meeting ended);
    /// Graph lists at most the 50 most recent.
    ///
    /// Runs [`Operation::ListAttendanceReports`] (or its twin for a given user).
    pub fn attendance_reports(self) -> Pages<'c, MeetingAttendanceReport> {
        let client = self.client();
        Pages::new::<MeetingAttendanceReportCollectionResponse>(client, async move {
            let (user, id) = self.path();
            client
                .run(|raw| raw.call_list_attendance_reports(user, id))
                .await
        })
    }

    /// One attendance report of the meeting, by its id.
    pub fn attendance_report(self, report_id: &'c str) -> AttendanceReport<'c, S> {
        AttendanceReport {
            meeting: self,
            id: report_id,
        }
    }

    /// The meeting's transcripts.
    ///
    /// Runs [`Operation::ListTranscripts`] (or its twin for a given user).
    pub fn transcripts(self) -> Pages<'c, CallTranscript> {
        let client = self.client();
        Pages::new::<CallTranscriptCollectionResponse>(client, async move {
            let (user, id) = self.path();
            client.run(|raw| raw.call_list_transcripts(user, id)).await
        })
    }

    /// One transcript of the meeting, by its id.
    pub fn transcript(self, transcript_id: &'c str) -> Transcript<'c, S> {
        Transcript {
            meeting: self,
            id: transcript_id,
        }
    }

    /// The meeting's recordings.
    ///
    /// Runs [`Operation::ListRecordings`] (or its twin for a given user).
    pub fn recordings(self) -> Pages<'c, CallRecording> {
        let client = self.client();
        Pages::new::<CallRecordingCollectionResponse>(client, async move {
            let (user, id) = self.path();
            client.run(|raw| raw.call_list_recordings(user, id)).await
        })
    }

    /// One recording of the meeting, by its id.
    pub fn recording(self, recording_id: &'c str) -> Recording<'c, S> {
        Recording {
            meeting: self,
            id: recording_id,
        }
    }
}

/// One attendance report of a meeting: from [`Meeting::attendance_report`].
///
/// ```no_run
/// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
/// let report = client.me().meeting("MSpkYzE3...").attendance_report("c9b6db1c...");
/// for record in report.records().all().await? {
///     println!("{:?}: {:?} s", record.email_address, record.total_attendance_in_seconds);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct AttendanceReport<'c, S> {
    meeting: Meeting<'c, S>,
    id: &'c str,
}

impl<'c, S: Scope + Send + Sync + 'c> AttendanceReport<'c, S> {
    /// The scope's user, the meeting's id and this report's id.
    fn path(&self) -> (Option<&str>, &str, &str) {
        let (user, meeting) = self.meeting.path();
        (user, meeting, self.id)
    }

    /// Get the report, without its records.
    ///
    /// Runs [`Operation::GetAttendanceReport`] (or its twin for a given user).
    pub async fn get(self) -> Result<Response<MeetingAttendanceReport>> {
        let (user, meeting, id) = self.path();
        self.meeting
            .client()
            .run(|raw| raw.call_get_attendance_report(user, meeting, id, None))
            .await
    }

    /// Get the report with its records in `attendance_records`
    /// (`$expand=attendanceRecords`), in one request.
    pub async fn get_with_records(self) -> Result<Response<MeetingAttendanceReport>> {
        let (user, meeting, id) = self.path();
        self.meeting
            .client()
            .run(|raw| raw.call_get_attendance_report(user, meeting, id, Some("attendanceRecords")))
            .await
    }

    /// The report's attendance records ([`Operation::ListAttendanceRecords`], or its twin
    /// for a given user): who attended, for
    /// how long, with their join and leave intervals.
    pub fn records(self) -> Pages<'c, AttendanceRecord> {
        let client = self.meeting.client();
        Pages::new::<AttendanceRecordCollectionResponse>(client, async move {
            let (user, meeting, id) = self.path();
            client
                .run(|raw| raw.call_list_attendance_records(user, meeting, id))
                .await
        })
    }
}

/// The format of a transcript's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TranscriptFormat {
    /// WebVTT (`text/vtt`), Graph's default.
    Vtt,
    /// DOCX, where Graph still offers it.
    Docx,
}

impl TranscriptFormat {
    /// The `$format` value.
    pub fn media_type(self) -> &'static str {
        match self {
            TranscriptFormat::Vtt => "text/vtt",
            TranscriptFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }
}

/// One transcript of a meeting: from [`Meeting::transcript`].
///
/// ```no_run
/// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
/// let transcript = client.me().meeting("MSpkYzE3...").transcript("MSMjMCMj...");
/// let mut vtt = Vec::new();
/// transcript.content().await?.into_inner().write_to(&mut vtt).await?;
/// println!("{}", String::from_utf8_lossy(&vtt));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Transcript<'c, S> {
    meeting: Meeting<'c, S>,
    id: &'c str,
}

impl<S: Scope> Transcript<'_, S> {
    /// The scope's user, the meeting's id and this transcript's id.
    fn path(&self) -> (Option<&str>, &str, &str) {
        let (user, meeting) = self.meeting.path();
        (user, meeting, self.id)
    }

    /// Get the transcript's metadata.
    ///
    /// Runs [`Operation::GetTranscript`] (or its twin for a given user).
    pub async fn get(self) -> Result<Response<CallTranscript>> {
        let (user, meeting, id) = self.path();
        self.meeting
            .client()
            .run(|raw| raw.call_get_transcript(user, meeting, id))
            .await
    }

    /// The transcript's text, WebVTT, streamed.
    ///
    /// Runs [`Operation::GetTranscriptContent`] (or its twin for a given user).
    pub async fn content(self) -> Result<Response<Content>> {
        self.content_in(None).await
    }

    /// The transcript's text in `format` (Graph's `$format`), streamed.
    pub async fn content_as(self, format: TranscriptFormat) -> Result<Response<Content>> {
        self.content_in(Some(format.media_type())).await
    }

    async fn content_in(self, format: Option<&str>) -> Result<Response<Content>> {
        let (user, meeting, id) = self.path();
        self.meeting
            .client()
            .run(|raw| raw.call_get_transcript_content(user, meeting, id, format))
            .await
            .map(Content::from_response)
    }

    /// The transcript's metadata content ([`Operation::GetTranscriptMetadataContent`], or
    /// its twin for a given user): WebVTT cues whose
    /// text is a JSON object per utterance, streamed.
    pub async fn metadata_content(self) -> Result<Response<Content>> {
        let (user, meeting, id) = self.path();
        self.meeting
            .client()
            .run(|raw| raw.call_get_transcript_metadata_content(user, meeting, id))
            .await
            .map(Content::from_response)
    }
}

/// One recording of a meeting: from [`Meeting::recording`].
#[derive(Debug, Clone, Copy)]
pub struct Recording<'c, S> {
    meeting: Meeting<'c, S>,
    id: &'c str,
}

impl<S: Scope> Recording<'_, S> {
    /// The scope's user, the meeting's id and this recording's id.
    fn path(&self) -> (Option<&str>, &str, &str) {
        let (user, meeting) = self.meeting.path();
        (user, meeting, self.id)
    }

    /// Get the recording's metadata.
    ///
    /// Runs [`Operation::GetRecording`] (or its twin for a given user).
    pub async fn get(self) -> Result<Response<CallRecording>> {
        let (user, meeting, id) = self.path();
        self.meeting
            .client()
            .run(|raw| raw.call_get_recording(user, meeting, id))
            .await
    }

    /// The recording's video, MP4 ([`Operation::GetRecordingContent`], or its twin for a
    /// given user), streamed: write it to a file with
    /// [`Content::write_to`].
    pub async fn content(self) -> Result<Response<Content>> {
        let (user, meeting, id) = self.path();
        self.meeting
            .client()
            .run(|raw| raw.call_get_recording_content(user, meeting, id))
            .await
            .map(Content::from_response)
    }
}

/// When the transcripts or recordings of a `getAll…` call were created: open at either
/// end unless bounded. [`TimeWindow::default`] is all of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeWindow {
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
}

impl TimeWindow {
    /// Created at or after `start`.
    pub fn since(start: DateTime<Utc>) -> Self {
        TimeWindow {
            start: Some(start),
            end: None,
        }
    }

    /// Created at or before `end`.
    pub fn until(end: DateTime<Utc>) -> Self {
        TimeWindow {
            start: None,
            end: Some(end),
        }
    }

    /// Created between `start` and `end` (an end before the start is refused when the
    /// call is made).
    pub fn between(start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        TimeWindow {
            start: Some(start),
            end: Some(end),
        }
    }

    /// The function's `startDateTime` and `endDateTime` arguments: RFC 3339, or OData's
    /// `null` for an open end (the parameters are optional, with no default).
    fn arguments(self) -> Result<(String, String)> {
        ValidationError::check_times(
            self.start.map(|start| start.fixed_offset()),
            self.end.map(|end| end.fixed_offset()),
            false,
        )?;
        let literal = |time: Option<DateTime<Utc>>| {
            time.map_or_else(
                || "null".to_owned(),
                |time| time.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            )
        };
        Ok((literal(self.start), literal(self.end)))
    }
}

impl<'c> Meetings<'c, User<'c>> {
    /// The transcripts of every meeting this user organized, created within `window`
    /// (Graph's `getAllTranscripts` function; the user is given by object ID).
    ///
    /// Runs [`Operation::GetAllTranscripts`], whose facts say which tokens may call it.
    pub fn all_transcripts(self, window: TimeWindow) -> Pages<'c, CallTranscript> {
        self.transcripts_of(window, false)
    }

    /// A delta round of [`all_transcripts`](Self::all_transcripts): every transcript now;
    /// once the pages are read, [`Pages::delta_link`] is the link to keep for the next
    /// round.
    ///
    /// Runs [`Operation::GetAllTranscriptsDelta`].
    ///
    /// ```no_run
    /// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
    /// use graph_online_meetings::TimeWindow;
    ///
    /// let organizer = client.user("550fae72-d251-43ec-868c-373732c2704f");
    /// let mut round = organizer.transcripts_delta(TimeWindow::default());
    /// let all = round.all().await?;
    /// let link = round.delta_link().unwrap_or_default().to_owned();
    /// // Later: only the transcripts added since.
    /// let new = organizer.transcripts_delta_since(&link).all().await?;
    /// println!("{} then {} new", all.len(), new.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn transcripts_delta(self, window: TimeWindow) -> Pages<'c, CallTranscript> {
        self.transcripts_of(window, true)
    }

    /// The next delta round of [`transcripts_delta`](Self::transcripts_delta), from the
    /// delta link the last round ended with: only the transcripts added since. The link
    /// names the user and the window itself (this handle's user is not read). A link
    /// that does not go to the configured Graph origin is refused
    /// ([`Error::ForeignLink`](crate::Error::ForeignLink)).
    pub fn transcripts_delta_since(self, delta_link: &str) -> Pages<'c, CallTranscript> {
        Pages::from_link::<CallTranscriptCollectionResponse>(
            self.client(),
            delta_link,
            Operation::GetAllTranscriptsDelta,
        )
    }

    /// The recordings of every meeting this user organized, created within `window`
    /// (Graph's `getAllRecordings` function; the user is given by object ID).
    ///
    /// Runs [`Operation::GetAllRecordings`], whose facts say which tokens may call it.
    pub fn all_recordings(self, window: TimeWindow) -> Pages<'c, CallRecording> {
        self.recordings_of(window, false)
    }

    /// A delta round of [`all_recordings`](Self::all_recordings): see
    /// [`transcripts_delta`](Self::transcripts_delta).
    ///
    /// Runs [`Operation::GetAllRecordingsDelta`].
    pub fn recordings_delta(self, window: TimeWindow) -> Pages<'c, CallRecording> {
        self.recordings_of(window, true)
    }

    /// The next delta round of [`recordings_delta`](Self::recordings_delta), from the
    /// delta link the last round ended with (the link names the user itself).
    pub fn recordings_delta_since(self, delta_link: &str) -> Pages<'c, CallRecording> {
        Pages::from_link::<CallRecordingCollectionResponse>(
            self.client(),
            delta_link,
            Operation::GetAllRecordingsDelta,
        )
    }

    /// `getAllTranscripts`, or its delta.
    fn transcripts_of(self, window: TimeWindow, delta: bool) -> Pages<'c, CallTranscript> {
        let client = self.client();
        Pages::new::<CallTranscriptCollectionResponse>(client, async move {
            let (user, organizer, start, end) = self.get_all_arguments(window)?;
            let (organizer, start, end) = (organizer.as_str(), start.as_str(), end.as_str());
            client
                .run(|raw| {
                    if delta {
                        raw.call_get_all_transcripts_delta(user, organizer, start, end)
                            .map(|(op, request)| (op, futures_util::future::Either::Left(request)))
                    } else {
                        raw.call_get_all_transcripts(user, organizer, start, end)
                            .map(|(op, request)| (op, futures_util::future::Either::Right(request)))
                    }
                })
                .await
        })
    }

    /// `getAllRecordings`, or its delta.
    fn recordings_of(self, window: TimeWindow, delta: bool) -> Pages<'c, CallRecording> {
        let client = self.client();
        Pages::new::<CallRecordingCollectionResponse>(client, async move {
            let (user, organizer, start, end) = self.get_all_arguments(window)?;
            let (organizer, start, end) = (organizer.as_str(), start.as_str(), end.as_str());
            client
                .run(|raw| {
                    if delta {
                        raw.call_get_all_recordings_delta(user, organizer, start, end)
                            .map(|(op, request)| (op, futures_util::future::Either::Left(request)))
                    } else {
                        raw.call_get_all_recordings(user, organizer, start, end)
                            .map(|(op, request)| (op, futures_util::future::Either::Right(request)))
                    }
                })
                .await
        })
    }

    /// The path's user and the function's arguments: the organizer (the same user, as
    /// an OData string literal's content: a `'` doubled), start and end, checked.
    fn get_all_arguments(&self, window: TimeWindow) -> Result<(&str, String, String, String)> {
        let user = self.user().unwrap_or_default();
        let (start, end) = window.arguments()?;
        Ok((user, user.replace('\'', "''"), start, end))
    }
}
