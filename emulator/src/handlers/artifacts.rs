//! The routes of what a meeting leaves behind: attendance reports and their records,
//! transcripts and their content, recordings and their content, and the
//! `getAllTranscripts`/`getAllRecordings` functions with their delta.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value};

use crate::artifacts::{Session, recording_stream};
use crate::auth::TokenKind;
use crate::function_call::{Function, parse_call};
use crate::graph_error::{ErrorAnswer, meeting_response, page_response};
use crate::handlers::{Call, item_not_found};
use crate::meeting::odata_context;
use crate::paging::{
    Order, PageQuery, Token, delta_link, next_link, origin, paginate, query_value,
};

/// Graph lists at most the 50 most recent attendance reports of a meeting.
const MAX_ATTENDANCE_REPORTS: u64 = 50;

/// `Content-Type` of a transcript's content and metadata.
const VTT: &str = "text/vtt";

/// `Content-Type` of a recording's content.
const MP4: &str = "video/mp4";

/// `http://host`: the request's own origin.
fn request_origin(call: &Call<'_>) -> String {
    origin(&call.parts.uri, &call.parts.headers, &call.state.base_url)
}

/// `http://host/v1.0`: where content URLs point.
fn version_base(call: &Call<'_>) -> String {
    format!("{}/{}", request_origin(call), call.version.segment())
}

/// `@odata.context` of something under the path's meeting, e.g. `('…')/transcripts`.
fn meeting_context(call: &Call<'_>, suffix: &str) -> String {
    odata_context(
        call.version,
        &call.organizer.user_id,
        &format!(
            "('{}'){suffix}",
            call.param("meetingId").replace('\'', "''")
        ),
    )
}

/// One page of `items`, with its `@odata.nextLink`, and an `@odata.deltaLink` on the last
/// page when `delta_seen` is given.
fn page(
    call: &Call<'_>,
    context: String,
    items: Vec<(u64, Value)>,
    order: Order,
    query: &PageQuery,
    skip: Option<Token>,
    delta_seen: Option<u64>,
) -> Result<Response, ErrorAnswer> {
    let size = query.top.unwrap_or(call.state.page_size);
    let page = paginate(items, order, skip, size)?;
    let origin = request_origin(call);
    let path = call.parts.uri.path();
    let next = page
        .next
        .map(|token| next_link(&origin, path, token, query.top));
    let delta = match (&next, delta_seen) {
        (None, Some(seen)) => Some(delta_link(&origin, path, seen)),
        _ => None,
    };
    Ok(page_response(context, page.items, next, delta, call.ctx))
}

fn entity(call: &Call<'_>, context: String, document: &Map<String, Value>) -> Response {
    meeting_response(StatusCode::OK, context, document, call.ctx)
}

fn content(call: &Call<'_>, content_type: &'static str, length: u64, body: Body) -> Response {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // A streamed body has no length of its own; hyper sends this one.
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    call.ctx.apply(headers);
    response
}

/// Paging parameters of a list that is not a delta function: `$deltatoken` has no meaning
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

/// Whether the call asks `$expand=attendanceRecords`, which only a report (`records`)
/// takes; any other `$expand` is 400.
fn expands_records(call: &Call<'_>, records: bool) -> Result<bool, ErrorAnswer> {
    match query_value(call.query(), "$expand") {
        None => Ok(false),
        Some(expand) if records && expand.trim() == "attendanceRecords" => Ok(true),
        Some(expand) => Err(ErrorAnswer::bad_request(format!(
            "Parsing OData Select and Expand failed: could not expand '{expand}' here; only attendanceRecords, on an attendance report, can be expanded."
        ))),
    }
}

/// The sessions of the path's meeting, oldest first (404 when the user has no such
/// meeting).
fn sessions(call: &Call<'_>) -> Result<Vec<Arc<Session>>, ErrorAnswer> {
    call.state
        .store
        .sessions_of_meeting(&call.owner(), call.param("meetingId"))
        .ok_or_else(item_not_found)
}

/// The session whose artifact `id_of` is the path parameter `param` (404 when none is).
fn session_with<'s>(
    call: &Call<'_>,
    sessions: &'s [Arc<Session>],
    param: &str,
    id_of: impl Fn(&Session) -> &str,
) -> Result<&'s Arc<Session>, ErrorAnswer> {
    let id = call.param(param);
    sessions
        .iter()
        .find(|s| id_of(s) == id)
        .ok_or_else(item_not_found)
}

/// `GET …/{meetingId}/attendanceReports`: newest first, at most 50.
pub(crate) fn list_attendance_reports(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    let paging = plain_page_query(call.query())?;
    expands_records(call, false)?;
    let items = sessions(call)?
        .iter()
        .rev()
        .map(|s| (s.sequence, Value::Object(s.report.document.clone())))
        .collect();
    page(
        call,
        meeting_context(call, "/attendanceReports"),
        items,
        Order::Descending {
            cap: MAX_ATTENDANCE_REPORTS,
        },
        &paging,
        paging.skip,
        None,
    )
}

/// `GET …/attendanceReports/{reportId}`, with its records on `$expand=attendanceRecords`.
pub(crate) fn get_attendance_report(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    let expand = expands_records(call, true)?;
    let sessions = sessions(call)?;
    let session = session_with(call, &sessions, "reportId", |s| &s.report.id)?;
    let mut document = session.report.document.clone();
    let suffix = if expand {
        document.insert(
            "attendanceRecords".to_owned(),
            Value::Array(session.report.records.clone()),
        );
        "/attendanceReports(attendanceRecords())/$entity"
    } else {
        "/attendanceReports/$entity"
    };
    Ok(entity(call, meeting_context(call, suffix), &document))
}

/// `GET …/attendanceReports/{reportId}/attendanceRecords`.
pub(crate) fn list_attendance_records(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    let paging = plain_page_query(call.query())?;
    expands_records(call, false)?;
    let sessions = sessions(call)?;
    let session = session_with(call, &sessions, "reportId", |s| &s.report.id)?;
    let items = (0u64..)
        .zip(session.report.records.iter().cloned())
        .collect();
    let suffix = format!(
        "/attendanceReports('{}')/attendanceRecords",
        session.report.id.replace('\'', "''")
    );
    page(
        call,
        meeting_context(call, &suffix),
        items,
        Order::Fixed,
        &paging,
        paging.skip,
        None,
    )
}

/// `GET …/{meetingId}/transcripts`: oldest first.
pub(crate) fn list_transcripts(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    let paging = plain_page_query(call.query())?;
    expands_records(call, false)?;
    let base = version_base(call);
    let items = sessions(call)?
        .iter()
        .map(|s| (s.sequence, Value::Object(s.transcript_document(&base))))
        .collect();
    page(
        call,
        meeting_context(call, "/transcripts"),
        items,
        Order::Ascending,
        &paging,
        paging.skip,
        None,
    )
}

/// `GET …/transcripts/{transcriptId}`.
pub(crate) fn get_transcript(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    expands_records(call, false)?;
    let sessions = sessions(call)?;
    let session = session_with(call, &sessions, "transcriptId", |s| &s.transcript_id)?;
    let document = session.transcript_document(&version_base(call));
    Ok(entity(
        call,
        meeting_context(call, "/transcripts/$entity"),
        &document,
    ))
}

/// `GET …/transcripts/{transcriptId}/content`: WebVTT (`$format=text/vtt` or none).
pub(crate) fn get_transcript_content(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    expands_records(call, false)?;
    if let Some(format) = query_value(call.query(), "$format")
        && !format.trim().eq_ignore_ascii_case(VTT)
    {
        return Err(ErrorAnswer::bad_request(format!(
            "The $format '{format}' is not supported: the emulator makes text/vtt transcripts only."
        )));
    }
    let sessions = sessions(call)?;
    let vtt = session_with(call, &sessions, "transcriptId", |s| &s.transcript_id)?
        .transcript_vtt
        .clone();
    Ok(content(call, VTT, vtt.len() as u64, Body::from(vtt)))
}

/// `GET …/transcripts/{transcriptId}/metadataContent`: WebVTT with JSON cues.
pub(crate) fn get_transcript_metadata_content(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    expands_records(call, false)?;
    let sessions = sessions(call)?;
    let vtt = session_with(call, &sessions, "transcriptId", |s| &s.transcript_id)?
        .transcript_metadata
        .clone();
    Ok(content(call, VTT, vtt.len() as u64, Body::from(vtt)))
}

/// `GET …/{meetingId}/recordings`: oldest first.
pub(crate) fn list_recordings(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    let paging = plain_page_query(call.query())?;
    expands_records(call, false)?;
    let base = version_base(call);
    let items = sessions(call)?
        .iter()
        .map(|s| (s.sequence, Value::Object(s.recording_document(&base))))
        .collect();
    page(
        call,
        meeting_context(call, "/recordings"),
        items,
        Order::Ascending,
        &paging,
        paging.skip,
        None,
    )
}

/// `GET …/recordings/{recordingId}`.
pub(crate) fn get_recording(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    expands_records(call, false)?;
    let sessions = sessions(call)?;
    let session = session_with(call, &sessions, "recordingId", |s| &s.recording_id)?;
    let document = session.recording_document(&version_base(call));
    Ok(entity(
        call,
        meeting_context(call, "/recordings/$entity"),
        &document,
    ))
}

/// `GET …/recordings/{recordingId}/content`: the bytes, streamed (`video/mp4`).
pub(crate) fn get_recording_content(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    expands_records(call, false)?;
    let sessions = sessions(call)?;
    let length = session_with(call, &sessions, "recordingId", |s| &s.recording_id)?.recording_bytes;
    Ok(content(
        call,
        MP4,
        length,
        Body::from_stream(recording_stream(length)),
    ))
}

/// `GET /users/{userId}/onlineMeetings/getAllTranscripts(…)`.
pub(crate) fn get_all_transcripts(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    get_all(call, Function::Transcripts, false)
}

/// `GET /users/{userId}/onlineMeetings/getAllTranscripts(…)/delta`.
pub(crate) fn get_all_transcripts_delta(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    get_all(call, Function::Transcripts, true)
}

/// `GET /users/{userId}/onlineMeetings/getAllRecordings(…)`.
pub(crate) fn get_all_recordings(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    get_all(call, Function::Recordings, false)
}

/// `GET /users/{userId}/onlineMeetings/getAllRecordings(…)/delta`.
pub(crate) fn get_all_recordings_delta(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    get_all(call, Function::Recordings, true)
}

/// `getAllTranscripts(…)`/`getAllRecordings(…)`, and with `delta` their `/delta`.
///
/// `meetingOrganizerUserId` must be the user the call acts as: for an application token
/// the user in the path (`400` otherwise), for a delegated token (which the route table
/// lets through on `getAllTranscripts` only, for its own user) the token's user (`403`
/// otherwise).
fn get_all(call: &Call<'_>, function: Function, delta: bool) -> Result<Response, ErrorAnswer> {
    let parsed = parse_call(call.param(function.name()), function)?;
    if !parsed
        .organizer
        .eq_ignore_ascii_case(&call.organizer.user_id)
    {
        if call.caller.kind == TokenKind::Delegated {
            return Err(ErrorAnswer::new(
                StatusCode::FORBIDDEN,
                "Forbidden",
                format!(
                    "A delegated token can only read its own user's meetings: meetingOrganizerUserId '{}' is not the signed-in user ('{}').",
                    parsed.organizer, call.organizer.user_id
                ),
            ));
        }
        return Err(ErrorAnswer::bad_request(format!(
            "meetingOrganizerUserId '{}' must be the user in the path ('{}').",
            parsed.organizer, call.organizer.user_id
        )));
    }
    let paging = if delta {
        PageQuery::parse(call.query())?
    } else {
        plain_page_query(call.query())?
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
    let base = version_base(call);
    let items = sessions
        .iter()
        .filter(|s| parsed.start.is_none_or(|start| s.created >= start))
        .filter(|s| parsed.end.is_none_or(|end| s.created <= end))
        .map(|s| {
            let document = match function {
                Function::Transcripts => s.transcript_document(&base),
                Function::Recordings => s.recording_document(&base),
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
    page(
        call,
        context,
        items,
        Order::Ascending,
        &paging,
        skip,
        delta_seen,
    )
}
