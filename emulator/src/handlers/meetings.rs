//! The meeting routes: create, createOrGet, get, update, delete, and find by join URL.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use chrono::Utc;

use crate::graph_error::{ErrorAnswer, collection_response, meeting_response};
use crate::handlers::{Call, item_not_found};
use crate::meeting::{
    NewMeeting, apply_update, build_meeting, check_shapes, external_id, odata_context,
    parse_request_object, resolve_times,
};
use crate::store::{KeyedInsert, MeetingKey};

/// `@odata.context` of a meeting answer: `suffix` is `/$entity` for one meeting, empty for
/// a collection.
fn context(call: &Call<'_>, suffix: &str) -> String {
    odata_context(call.version, &call.organizer.user_id, suffix)
}

/// `POST …/onlineMeetings`: a new meeting every time (`201`).
pub(crate) fn create(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    create_meeting(call, false)
}

/// `POST …/onlineMeetings/createOrGet`: a new meeting (`201`), or the one stored under the
/// tenant, user and `externalId` (`200`).
pub(crate) fn create_or_get(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    create_meeting(call, true)
}

/// Create, or with `keyed` createOrGet: 201 with a new meeting, or 200 with the stored one.
fn create_meeting(call: &Call<'_>, keyed: bool) -> Result<Response, ErrorAnswer> {
    check_content_type(&call.parts.headers)?;
    let request = parse_request_object(call.body)?;
    check_shapes(&request)?;
    let external_id = if keyed {
        Some(external_id(&request)?)
    } else {
        None
    };
    let now = Utc::now();
    let times = resolve_times(&request, now)?;
    let new_meeting = |external_id: Option<String>| {
        build_meeting(NewMeeting {
            request: &request,
            organizer: call.organizer,
            version: call.version,
            times: times.clone(),
            external_id,
            now,
        })
    };
    let store = &call.state.store;
    let (status, meeting) = match external_id {
        None => (StatusCode::CREATED, store.insert(new_meeting(None))),
        Some(external_id) => {
            let key = MeetingKey::new(call.owner(), &external_id);
            match store.create_or_get(key, || new_meeting(Some(external_id.clone()))) {
                KeyedInsert::Created(meeting) => (StatusCode::CREATED, meeting),
                KeyedInsert::Found(meeting) => (StatusCode::OK, meeting),
            }
        }
    };
    tracing::info!(version = %call.version, id = %meeting.id, status = status.as_u16(), "meeting answered");
    Ok(meeting_response(
        status,
        context(call, "/$entity"),
        &meeting.document,
        call.ctx,
    ))
}

/// `GET …/onlineMeetings?$filter=JoinWebUrl eq '…'`: the user's meetings with that join
/// URL (a collection).
pub(crate) fn find(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    let (pointer, value) = eq_filter(call.query())?;
    let found = call.state.store.find_by(&call.owner(), pointer, &value);
    Ok(collection_response(
        context(call, ""),
        found.iter().map(|m| &m.document),
        call.ctx,
    ))
}

/// `GET …/onlineMeetings/{meetingId}` (`200`).
pub(crate) fn get(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    let meeting = call
        .state
        .store
        .get(&call.owner(), call.param("meetingId"))
        .ok_or_else(item_not_found)?;
    Ok(meeting_response(
        StatusCode::OK,
        context(call, "/$entity"),
        &meeting.document,
        call.ctx,
    ))
}

/// `PATCH …/onlineMeetings/{meetingId}`: `200` with the updated meeting.
pub(crate) fn update(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    check_content_type(&call.parts.headers)?;
    let changes = parse_request_object(call.body)?;
    check_shapes(&changes)?;
    let id = call.param("meetingId");
    let meeting = call
        .state
        .store
        .update(&call.owner(), id, |current| apply_update(current, &changes))
        .ok_or_else(item_not_found)??;
    tracing::info!(version = %call.version, %id, "meeting updated");
    Ok(meeting_response(
        StatusCode::OK,
        context(call, "/$entity"),
        &meeting.document,
        call.ctx,
    ))
}

/// `DELETE …/onlineMeetings/{meetingId}` (`204`).
pub(crate) fn delete(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    let id = call.param("meetingId");
    if !call.state.store.delete(&call.owner(), id) {
        return Err(item_not_found());
    }
    tracing::info!(version = %call.version, %id, "meeting deleted");
    Ok(call.no_content())
}

/// The `$filter`s Graph supports on `onlineMeetings` (`property eq '…'`): the property
/// the filter names, and where it is in a meeting (a JSON pointer).
const FILTERS: &[(&str, &str)] = &[
    ("JoinWebUrl", "/joinWebUrl"),
    (
        "joinMeetingIdSettings/joinMeetingId",
        "/joinMeetingIdSettings/joinMeetingId",
    ),
];

/// The meeting property (as a JSON pointer) and the value of a supported `$filter`
/// (`property eq '…'`, the property's name in any case); a missing or other filter is 400.
fn eq_filter(query: Option<&str>) -> Result<(&'static str, String), ErrorAnswer> {
    let supported = || {
        FILTERS
            .iter()
            .map(|(property, _)| format!("{property} eq '…'"))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let filter = query
        .into_iter()
        .flat_map(|q| form_urlencoded::parse(q.as_bytes()))
        .find(|(name, _)| name == "$filter")
        .map(|(_, value)| value.into_owned())
        .ok_or_else(|| {
            ErrorAnswer::bad_request(format!("Filter is required: $filter={}.", supported()))
        })?;
    let unsupported = || {
        ErrorAnswer::bad_request(format!(
            "The filter '{filter}' is not supported: use {}.",
            supported()
        ))
    };
    let mut words = filter.trim().splitn(3, ' ');
    let (Some(property), Some(operator), Some(literal)) =
        (words.next(), words.next(), words.next())
    else {
        return Err(unsupported());
    };
    let Some((_, pointer)) = FILTERS
        .iter()
        .find(|(name, _)| property.eq_ignore_ascii_case(name))
    else {
        return Err(unsupported());
    };
    if !operator.eq_ignore_ascii_case("eq") {
        return Err(unsupported());
    }
    let inner = literal
        .trim()
        .strip_prefix('\'')
        .and_then(|l| l.strip_suffix('\''))
        .ok_or_else(unsupported)?;
    Ok((pointer, inner.replace("''", "'")))
}

/// Graph needs `Content-Type: application/json` (parameters such as `charset` allowed).
pub(crate) fn check_content_type(headers: &HeaderMap) -> Result<(), ErrorAnswer> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(ErrorAnswer::bad_request(
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
        ));
    };
    let essence = value
        .to_str()
        .ok()
        .and_then(|text| text.split(';').next())
        .map(str::trim)
        .unwrap_or("");
    if essence.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(ErrorAnswer::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "RequestBodyRead",
            format!(
                "A supported MIME type could not be found that matches the content type of the request ('{}'). The supported type is 'application/json'.",
                String::from_utf8_lossy(value.as_bytes())
            ),
        ))
    }
}
