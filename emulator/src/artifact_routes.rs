//! The routes of what comes after a meeting: attendance reports and records, transcripts,
//! recordings, the `getAllTranscripts`/`getAllRecordings` functions and their delta, and the
//! `/_emulator/…/end` test control that makes them.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{Map, Value};

use crate::artifacts::{EndedMeeting, MeetingEnd, Session, recording_stream};
use crate::auth::{Organizer, authenticate};
use crate::body::read_limited;
use crate::graph_error::{ErrorAnswer, RequestContext, meeting_response, page_response};
use crate::meeting::odata_context;
use crate::owner::Owner;
use crate::paging::{
    Order, PageQuery, Token, delta_link, next_link, origin, paginate, query_value,
};
use crate::routes::{
    AppState, ServerState, complete_body, context_of, not_found_item, organizer_of,
};
use crate::stats::{Route, VersionSegment};
use crate::store::MeetingStore;

/// Graph lists at most the 50 most recent attendance reports of a meeting.
const MAX_ATTENDANCE_REPORTS: u64 = 50;

/// `Content-Type` of a transcript's content and metadata.
const VTT: &str = "text/vtt";

/// `Content-Type` of a recording's content.
const MP4: &str = "video/mp4";

/// Why ending a meeting failed.
#[derive(Debug)]
pub(crate) enum EndError {
    /// The [`MeetingEnd`] is not valid (the reason).
    Invalid(String),
    /// The user has no meeting with that id.
    NotFound,
}

/// Ends meeting `meeting_id` of `tenant_id` + `user_id`: stores a new session (report,
/// transcript, recording) made from `end`.
pub(crate) fn end_meeting(
    store: &MeetingStore,
    tenant_id: &str,
    user_id: &str,
    meeting_id: &str,
    end: &MeetingEnd,
) -> Result<EndedMeeting, EndError> {
    let owner = Owner::new(tenant_id, user_id);
    let session =
        Session::new(end, owner, meeting_id, user_id, Utc::now()).map_err(EndError::Invalid)?;
    let session = store.add_session(session).ok_or(EndError::NotFound)?;
    tracing::info!(
        meeting = %meeting_id,
        sequence = session.sequence,
        attendees = end.attendees.len(),
        "meeting ended"
    );
    Ok(session.ended())
}

/// `POST /_emulator/v1.0/me/onlineMeetings/{meetingId}/end` and
/// `POST /_emulator/v1.0/users/{userId}/onlineMeetings/{meetingId}/end`: `204`, or a Graph
/// error. A test control, not a Graph route: it takes no fault and has no [`Route`].
pub(crate) async fn end_route(State(state): State<AppState>, request: Request) -> Response {
    let ctx = context_of(&request);
    match serve_end(&state, request).await {
        Ok(()) => {
            let mut response = StatusCode::NO_CONTENT.into_response();
            ctx.apply(response.headers_mut());
            response
        }
        Err(err) => err.into_response(&ctx),
    }
}

async fn serve_end(state: &ServerState, request: Request) -> Result<(), ErrorAnswer> {
    let (mut parts, body) = request.into_parts();
    let body = read_limited(&parts.headers, body, state.max_body_bytes).await;
    let body = complete_body(body, state.max_body_bytes)?;
    let caller = authenticate(&parts.headers)?;
    let Path(params) = Path::<HashMap<String, String>>::from_request_parts(&mut parts, &())
        .await
        .map_err(|rejection| {
            ErrorAnswer::bad_request(format!("Invalid path parameter: {rejection}."))
        })?;
    let user_id = params.get("userId");
    let organizer = organizer_of(user_id.is_some(), false, &caller, user_id)?;
    let end: MeetingEnd = serde_json::from_slice(&body).map_err(|err| {
        ErrorAnswer::bad_request(format!(
            "The body must be {{\"attendees\": [{{\"displayName\", \"emailAddress\", \"intervals\": [{{\"joinDateTime\", \"leaveDateTime\"}}]}}], \"recordingBytes\": N}}: {err}."
        ))
    })?;
    let meeting_id = params.get("meetingId").map(String::as_str).unwrap_or("");
    end_meeting(
        &state.store,
        &organizer.tenant_id,
        &organizer.user_id,
        meeting_id,
        &end,
    )
    .map(|_| ())
    .map_err(|err| match err {
        EndError::Invalid(reason) => {
            ErrorAnswer::bad_request(format!("The meeting end is not valid: {reason}."))
        }
        EndError::NotFound => not_found_item(),
    })
}

/// Which artifacts a `getAll…` function lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Function {
    /// `getAllTranscripts(…)`.
    Transcripts,
    /// `getAllRecordings(…)`.
    Recordings,
}

impl Function {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Transcripts => "getAllTranscripts",
            Self::Recordings => "getAllRecordings",
        }
    }

    fn odata_type(self) -> &'static str {
        match self {
            Self::Transcripts => "microsoft.graph.callTranscript",
            Self::Recordings => "microsoft.graph.callRecording",
        }
    }

    /// The function a (decoded) path segment calls, if it is one.
    pub(crate) fn of_segment(segment: &str) -> Option<Self> {
        [Self::Transcripts, Self::Recordings].into_iter().find(|f| {
            segment
                .strip_prefix(f.name())
                .is_some_and(|rest| rest.starts_with('('))
        })
    }
}

/// The parameters of a `getAll…` call.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FunctionCall {
    organizer: String,
    start: Option<DateTime<FixedOffset>>,
    end: Option<DateTime<FixedOffset>>,
}

/// A parameter value: a quoted string literal (`''` inside stands for `'`) or bare text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Literal {
    Quoted(String),
    Bare(String),
}

fn malformed_call(segment: &str, function: Function, detail: &str) -> ErrorAnswer {
    ErrorAnswer::bad_request(format!(
        "The function call '{segment}' is not valid ({detail}): expected {}(meetingOrganizerUserId='{{userId}}',startDateTime={{startDateTime}},endDateTime={{endDateTime}}), the times optional.",
        function.name()
    ))
}

/// The `name=value` pairs between the parentheses of a function call.
fn parameters(inner: &str) -> Result<Vec<(String, Literal)>, String> {
    let mut chars = inner.chars().peekable();
    let mut pairs = Vec::new();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            if pairs.is_empty() {
                return Ok(pairs);
            }
            return Err("a parameter is missing after a comma".to_owned());
        }
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=') {
            name.push(c);
        }
        if chars.next() != Some('=') {
            return Err(format!("'{}' has no value", name.trim()));
        }
        let name = name.trim().to_owned();
        if name.is_empty() {
            return Err("a parameter has no name".to_owned());
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let value = if chars.next_if_eq(&'\'').is_some() {
            let mut text = String::new();
            loop {
                match chars.next() {
                    None => return Err(format!("the string for {name} is not closed")),
                    Some('\'') if chars.next_if_eq(&'\'').is_some() => text.push('\''),
                    Some('\'') => break,
                    Some(c) => text.push(c),
                }
            }
            Literal::Quoted(text)
        } else {
            let mut text = String::new();
            while let Some(c) = chars.next_if(|c| *c != ',') {
                text.push(c);
            }
            Literal::Bare(text.trim().to_owned())
        };
        pairs.push((name, value));
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        match chars.next() {
            None => return Ok(pairs),
            Some(',') => {}
            Some(c) => return Err(format!("unexpected '{c}' after a value")),
        }
    }
}

/// An optional `Edm.DateTimeOffset` parameter: unquoted RFC 3339, or `null`.
fn time_parameter(name: &str, value: &Literal) -> Result<Option<DateTime<FixedOffset>>, String> {
    match value {
        Literal::Bare(text) if text == "null" => Ok(None),
        Literal::Bare(text) => DateTime::parse_from_rfc3339(text)
            .map(Some)
            .map_err(|err| format!("{name} '{text}' is not an RFC 3339 date-time: {err}")),
        Literal::Quoted(text) => Err(format!(
            "{name} is a DateTimeOffset, written without quotes, not '{text}'"
        )),
    }
}

/// Parses a (decoded) `getAll…(…)` segment.
fn parse_call(segment: &str, function: Function) -> Result<FunctionCall, ErrorAnswer> {
    let malformed = |detail: &str| malformed_call(segment, function, detail);
    let inner = segment
        .strip_prefix(function.name())
        .and_then(|rest| rest.strip_prefix('('))
        .and_then(|rest| rest.strip_suffix(')'))
        .ok_or_else(|| malformed("unbalanced parentheses"))?;
    let mut organizer = None;
    let mut start = None;
    let mut end = None;
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in parameters(inner).map_err(|detail| malformed(&detail))? {
        if seen.contains(&name) {
            return Err(malformed(&format!("{name} is given twice")));
        }
        match name.as_str() {
            "meetingOrganizerUserId" => match value {
                Literal::Quoted(id) => organizer = Some(id),
                Literal::Bare(text) if text == "null" => {}
                Literal::Bare(text) => {
                    return Err(malformed(&format!(
                        "meetingOrganizerUserId is a string, written in quotes: '{text}'"
                    )));
                }
            },
            "startDateTime" => start = time_parameter(&name, &value).map_err(|d| malformed(&d))?,
            "endDateTime" => end = time_parameter(&name, &value).map_err(|d| malformed(&d))?,
            other => return Err(malformed(&format!("unknown parameter '{other}'"))),
        }
        seen.push(name);
    }
    let organizer = organizer
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| {
            ErrorAnswer::bad_request(format!(
                "The parameter meetingOrganizerUserId of {} is required.",
                function.name()
            ))
        })?;
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        return Err(ErrorAnswer::bad_request(
            "The endDateTime cannot be earlier than the startDateTime.",
        ));
    }
    Ok(FunctionCall {
        organizer,
        start,
        end,
    })
}

/// One call to an artifact route, after the checks every route shares (faults, body size,
/// token, who it acts as).
pub(crate) struct ArtifactCall<'a> {
    pub(crate) state: &'a ServerState,
    pub(crate) version: VersionSegment,
    pub(crate) route: Route,
    pub(crate) organizer: &'a Organizer,
    pub(crate) params: &'a HashMap<String, String>,
    pub(crate) parts: &'a Parts,
    pub(crate) ctx: &'a RequestContext,
}

impl ArtifactCall<'_> {
    fn param(&self, name: &str) -> &str {
        self.params.get(name).map(String::as_str).unwrap_or("")
    }

    fn origin(&self) -> String {
        origin(&self.parts.uri, &self.parts.headers, &self.state.base_url)
    }

    /// `http://host/v1.0`: where content URLs point.
    fn version_base(&self) -> String {
        format!("{}/{}", self.origin(), self.version.segment())
    }

    fn owner(&self) -> Owner {
        Owner::new(&self.organizer.tenant_id, &self.organizer.user_id)
    }

    /// `@odata.context` of something under the meeting, e.g. `('…')/transcripts`.
    fn meeting_context(&self, meeting_id: &str, suffix: &str) -> String {
        odata_context(
            self.version,
            &self.organizer.user_id,
            &format!("('{}'){suffix}", meeting_id.replace('\'', "''")),
        )
    }

    /// One page of `items`, with its `@odata.nextLink`, and an `@odata.deltaLink` on the
    /// last page when `delta_seen` is given.
    fn page(
        &self,
        context: String,
        items: Vec<(u64, Value)>,
        order: Order,
        query: &PageQuery,
        skip: Option<Token>,
        delta_seen: Option<u64>,
    ) -> Result<Response, ErrorAnswer> {
        let size = query.top.unwrap_or(self.state.page_size);
        let page = paginate(items, order, skip, size)?;
        let origin = self.origin();
        let path = self.parts.uri.path();
        let next = page
            .next
            .map(|token| next_link(&origin, path, token, query.top));
        let delta = match (&next, delta_seen) {
            (None, Some(seen)) => Some(delta_link(&origin, path, seen)),
            _ => None,
        };
        Ok(page_response(context, page.items, next, delta, self.ctx))
    }

    fn entity(&self, context: String, document: &Map<String, Value>) -> Response {
        meeting_response(StatusCode::OK, context, document, self.ctx)
    }

    fn content(&self, content_type: &'static str, length: u64, body: Body) -> Response {
        let mut response = Response::new(body);
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        // A streamed body has no length of its own; hyper sends this one.
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        self.ctx.apply(headers);
        response
    }
}

/// Paging parameters of a route that is not a delta function: `$deltatoken` has no meaning
/// there.
fn plain_page_query(query: Option<&str>) -> Result<PageQuery, ErrorAnswer> {
    let parsed = PageQuery::parse(query)?;
    if parsed.delta.is_some() {
        return Err(ErrorAnswer::bad_request(
            "$deltatoken is only valid on a delta function.",
        ));
    }
    Ok(parsed)
}

/// Serves an artifact route: the checks left are the query (400), then the meeting and the
/// artifact (404 `itemNotFound`).
pub(crate) fn serve(call: &ArtifactCall<'_>) -> Result<Response, ErrorAnswer> {
    use Route as R;
    let query = call.parts.uri.query();
    match call.route {
        R::GetAllTranscripts => return get_all(call, Function::Transcripts, false),
        R::GetAllTranscriptsDelta => return get_all(call, Function::Transcripts, true),
        R::GetAllRecordings => return get_all(call, Function::Recordings, false),
        R::GetAllRecordingsDelta => return get_all(call, Function::Recordings, true),
        _ => {}
    }
    let is_list = matches!(
        call.route,
        R::ListAttendanceReportsMe
            | R::ListAttendanceReportsUser
            | R::ListAttendanceRecordsMe
            | R::ListAttendanceRecordsUser
            | R::ListTranscriptsMe
            | R::ListTranscriptsUser
            | R::ListRecordingsMe
            | R::ListRecordingsUser
    );
    let paging = if is_list {
        plain_page_query(query)?
    } else {
        PageQuery::default()
    };
    let expand_records = match query_value(query, "$expand") {
        None => false,
        Some(expand)
            if matches!(
                call.route,
                R::GetAttendanceReportMe | R::GetAttendanceReportUser
            ) && expand.trim() == "attendanceRecords" =>
        {
            true
        }
        Some(expand) => {
            return Err(ErrorAnswer::bad_request(format!(
                "Parsing OData Select and Expand failed: could not expand '{expand}' here; only attendanceRecords, on an attendance report, can be expanded."
            )));
        }
    };
    let is_content = matches!(
        call.route,
        R::GetTranscriptContentMe | R::GetTranscriptContentUser
    );
    if is_content
        && let Some(format) = query_value(query, "$format")
        && !format.trim().eq_ignore_ascii_case(VTT)
    {
        return Err(ErrorAnswer::bad_request(format!(
            "The $format '{format}' is not supported: the emulator makes text/vtt transcripts only."
        )));
    }

    let meeting_id = call.param("meetingId");
    let sessions = call
        .state
        .store
        .sessions_of_meeting(&call.owner(), meeting_id)
        .ok_or_else(not_found_item)?;
    let report = || {
        let id = call.param("reportId");
        sessions
            .iter()
            .find(|s| s.report.id == id)
            .ok_or_else(not_found_item)
    };
    let transcript = || {
        let id = call.param("transcriptId");
        sessions
            .iter()
            .find(|s| s.transcript_id == id)
            .ok_or_else(not_found_item)
    };
    let recording = || {
        let id = call.param("recordingId");
        sessions
            .iter()
            .find(|s| s.recording_id == id)
            .ok_or_else(not_found_item)
    };
    let context = |suffix: &str| call.meeting_context(meeting_id, suffix);
    let version_base = call.version_base();

    match call.route {
        R::ListAttendanceReportsMe | R::ListAttendanceReportsUser => {
            let items = sessions
                .iter()
                .rev()
                .map(|s| (s.sequence, Value::Object(s.report.document.clone())))
                .collect();
            call.page(
                context("/attendanceReports"),
                items,
                Order::Descending {
                    cap: MAX_ATTENDANCE_REPORTS,
                },
                &paging,
                paging.skip,
                None,
            )
        }
        R::GetAttendanceReportMe | R::GetAttendanceReportUser => {
            let session = report()?;
            let mut document = session.report.document.clone();
            let suffix = if expand_records {
                document.insert(
                    "attendanceRecords".to_owned(),
                    Value::Array(session.report.records.clone()),
                );
                "/attendanceReports(attendanceRecords())/$entity"
            } else {
                "/attendanceReports/$entity"
            };
            Ok(call.entity(context(suffix), &document))
        }
        R::ListAttendanceRecordsMe | R::ListAttendanceRecordsUser => {
            let session = report()?;
            let items = (0u64..)
                .zip(session.report.records.iter().cloned())
                .collect();
            let suffix = format!(
                "/attendanceReports('{}')/attendanceRecords",
                session.report.id.replace('\'', "''")
            );
            call.page(
                context(&suffix),
                items,
                Order::Fixed,
                &paging,
                paging.skip,
                None,
            )
        }
        R::ListTranscriptsMe | R::ListTranscriptsUser => {
            let items = sessions
                .iter()
                .map(|s| {
                    let document = s.transcript_document(&version_base);
                    (s.sequence, Value::Object(document))
                })
                .collect();
            call.page(
                context("/transcripts"),
                items,
                Order::Ascending,
                &paging,
                paging.skip,
                None,
            )
        }
        R::GetTranscriptMe | R::GetTranscriptUser => {
            let document = transcript()?.transcript_document(&version_base);
            Ok(call.entity(context("/transcripts/$entity"), &document))
        }
        R::GetTranscriptContentMe | R::GetTranscriptContentUser => {
            let vtt = transcript()?.transcript_vtt.clone();
            Ok(call.content(VTT, vtt.len() as u64, Body::from(vtt)))
        }
        R::GetTranscriptMetadataContentMe | R::GetTranscriptMetadataContentUser => {
            let vtt = transcript()?.transcript_metadata.clone();
            Ok(call.content(VTT, vtt.len() as u64, Body::from(vtt)))
        }
        R::ListRecordingsMe | R::ListRecordingsUser => {
            let items = sessions
                .iter()
                .map(|s| {
                    let document = s.recording_document(&version_base);
                    (s.sequence, Value::Object(document))
                })
                .collect();
            call.page(
                context("/recordings"),
                items,
                Order::Ascending,
                &paging,
                paging.skip,
                None,
            )
        }
        R::GetRecordingMe | R::GetRecordingUser => {
            let document = recording()?.recording_document(&version_base);
            Ok(call.entity(context("/recordings/$entity"), &document))
        }
        R::GetRecordingContentMe | R::GetRecordingContentUser => {
            let length = recording()?.recording_bytes;
            Ok(call.content(MP4, length, Body::from_stream(recording_stream(length))))
        }
        // The meeting routes are served by `routes::serve`, which sends only artifact
        // routes here.
        _ => Err(not_found_item()),
    }
}

/// `getAllTranscripts(…)`/`getAllRecordings(…)`, and with `delta` their `/delta`.
fn get_all(
    call: &ArtifactCall<'_>,
    function: Function,
    delta: bool,
) -> Result<Response, ErrorAnswer> {
    let parsed = parse_call(call.param("meetingId"), function)?;
    if !parsed
        .organizer
        .eq_ignore_ascii_case(&call.organizer.user_id)
    {
        return Err(ErrorAnswer::bad_request(format!(
            "meetingOrganizerUserId '{}' must be the user in the path ('{}').",
            parsed.organizer, call.organizer.user_id
        )));
    }
    let paging = if delta {
        PageQuery::parse(call.parts.uri.query())?
    } else {
        plain_page_query(call.parts.uri.query())?
    };
    // A delta link starts a page after what it had seen, like a skip token.
    let (skip, resumed_from) = match paging.delta {
        Some(Token::Delta(seen)) => (Some(Token::After(seen)), seen),
        Some(_) => {
            return Err(ErrorAnswer::bad_request(
                "The $deltatoken value is not valid for this function.",
            ));
        }
        None => match paging.skip {
            Some(Token::After(after)) => (paging.skip, after),
            other => (other, 0),
        },
    };
    let (sessions, last_sequence) = call.state.store.sessions_of_organizer(&call.owner());
    let version_base = call.version_base();
    let items = sessions
        .iter()
        .filter(|s| parsed.start.is_none_or(|start| s.created >= start))
        .filter(|s| parsed.end.is_none_or(|end| s.created <= end))
        .map(|s| {
            let document = match function {
                Function::Transcripts => s.transcript_document(&version_base),
                Function::Recordings => s.recording_document(&version_base),
            };
            (s.sequence, Value::Object(document))
        })
        .collect();
    let context = format!(
        "https://graph.microsoft.com/{}/$metadata#Collection({})",
        call.version.segment(),
        function.odata_type()
    );
    let delta_seen = delta.then_some(last_sequence.max(resumed_from));
    call.page(context, items, Order::Ascending, &paging, skip, delta_seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(segment: &str) -> Result<FunctionCall, String> {
        parse_call(segment, Function::Transcripts).map_err(|e| e.message)
    }

    #[test]
    fn function_segments_are_recognized() {
        assert_eq!(
            Function::of_segment("getAllTranscripts(meetingOrganizerUserId='x')"),
            Some(Function::Transcripts)
        );
        assert_eq!(
            Function::of_segment("getAllRecordings()"),
            Some(Function::Recordings)
        );
        assert_eq!(Function::of_segment("getAllTranscripts"), None);
        assert_eq!(Function::of_segment("MSpkYzE3"), None);
    }

    #[test]
    fn calls_are_parsed() {
        let full = call(
            "getAllTranscripts(meetingOrganizerUserId='o''brien',startDateTime=2026-01-05T09:00:00Z, endDateTime=null)",
        );
        assert_eq!(
            full,
            Ok(FunctionCall {
                organizer: "o'brien".into(),
                start: DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z").ok(),
                end: None,
            })
        );
        let short = call("getAllTranscripts(meetingOrganizerUserId='a,b)c')");
        assert_eq!(short.map(|c| c.organizer), Ok("a,b)c".to_owned()));
        let offset = call(
            "getAllTranscripts(meetingOrganizerUserId='x',endDateTime=2026-01-05T09:00:00+01:00)",
        );
        assert!(offset.is_ok_and(|c| c.end.is_some()));
    }

    #[test]
    fn bad_calls_are_400() {
        for (segment, needle) in [
            ("getAllTranscripts()", "required"),
            ("getAllTranscripts(startDateTime=null)", "required"),
            ("getAllTranscripts(meetingOrganizerUserId=null)", "required"),
            ("getAllTranscripts(meetingOrganizerUserId=x)", "quotes"),
            (
                "getAllTranscripts(meetingOrganizerUserId='x'",
                "parentheses",
            ),
            ("getAllTranscripts(meetingOrganizerUserId='x)", "not closed"),
            ("getAllTranscripts(meetingOrganizerUserId='x',)", "missing"),
            (
                "getAllTranscripts(meetingOrganizerUserId='x')x)",
                "unexpected",
            ),
            (
                "getAllTranscripts(meetingOrganizerUserId='x',top=1)",
                "unknown",
            ),
            (
                "getAllTranscripts(meetingOrganizerUserId='x',meetingOrganizerUserId='x')",
                "twice",
            ),
            (
                "getAllTranscripts(meetingOrganizerUserId='x',startDateTime=yesterday)",
                "RFC 3339",
            ),
            (
                "getAllTranscripts(meetingOrganizerUserId='x',startDateTime='2026-01-05T09:00:00Z')",
                "without quotes",
            ),
            (
                "getAllTranscripts(meetingOrganizerUserId='x',startDateTime=2026-01-06T00:00:00Z,endDateTime=2026-01-05T00:00:00Z)",
                "earlier",
            ),
            ("getAllTranscripts(=1)", "no name"),
            ("getAllTranscripts(meetingOrganizerUserId)", "no value"),
        ] {
            let result = call(segment);
            assert!(
                result.as_ref().is_err_and(|m| m.contains(needle)),
                "{segment}: {result:?}"
            );
        }
    }
}
