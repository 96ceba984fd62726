//! The HTTP surface: routes, the per-request middleware, and the meeting operations (the
//! artifact routes are in [`crate::artifact_routes`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, post};
use chrono::Utc;
use serde_json::{Map, Value};

use crate::artifact_routes::{self, ArtifactCall, Function};
use crate::auth::{Caller, Organizer, TokenKind, authenticate};
use crate::body::{BodyRead, read_limited};
use crate::faults::{FaultInjector, Injected};
use crate::graph_error::{ErrorAnswer, RequestContext, collection_response, meeting_response};
use crate::meeting::{
    NewMeeting, apply_update, build_meeting, check_shapes, external_id, odata_context,
    parse_request_object, resolve_times,
};
use crate::owner::Owner;
use crate::rate_limit::{self, Limiter};
use crate::stats::{Method, RequestStats, Route, VersionSegment};
use crate::store::{KeyedInsert, MeetingKey, MeetingStore};

/// State shared by every request.
#[derive(Debug)]
pub(crate) struct ServerState {
    pub(crate) store: MeetingStore,
    pub(crate) faults: FaultInjector,
    pub(crate) stats: RequestStats,
    pub(crate) max_body_bytes: usize,
    /// The default number of items of a collection page (`$top` overrides it).
    pub(crate) page_size: usize,
    /// The budget of requests per app per tenant, if throttling is on.
    pub(crate) rate_limit: Option<Limiter>,
    /// `http://IP:PORT`, for links when a request names no host.
    pub(crate) base_url: String,
}

pub(crate) type AppState = Arc<ServerState>;

/// The test control that ends a meeting (not a Graph route: no [`Route`], no faults).
const END_PATHS: [&str; 2] = [
    "/_emulator/v1.0/me/onlineMeetings/{meetingId}/end",
    "/_emulator/v1.0/users/{userId}/onlineMeetings/{meetingId}/end",
];

/// The emulator's router: every [`Route`] under `/v1.0` and `/beta`, the `/_emulator` test
/// controls, Graph-shaped 404 and 405 answers for everything else, and the
/// `request-id`/`client-request-id` middleware.
pub(crate) fn router(state: AppState) -> Router {
    let mut paths: BTreeMap<String, MethodRouter<AppState>> = BTreeMap::new();
    for version in VersionSegment::ALL {
        for route in Route::ALL {
            let Some(pattern) = route.router_pattern() else {
                continue;
            };
            let path = format!("/{}{pattern}", version.segment());
            let filter = match route.method() {
                Method::Get => MethodFilter::GET,
                Method::Post => MethodFilter::POST,
                Method::Patch => MethodFilter::PATCH,
                Method::Delete => MethodFilter::DELETE,
            };
            let methods = paths.remove(&path).unwrap_or_default();
            paths.insert(
                path,
                methods.on(
                    filter,
                    move |State(state): State<AppState>, request: Request| {
                        handle(state, version, route, request)
                    },
                ),
            );
        }
    }
    let mut router = Router::new();
    for (path, methods) in paths {
        router = router.route(&path, methods);
    }
    for path in END_PATHS {
        router = router.route(path, post(artifact_routes::end_route));
    }
    router
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            request_context,
        ))
        .with_state(state)
}

/// Counts the request and gives it its ids; puts `request-id` and `client-request-id` on every
/// answer.
async fn request_context(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    state.stats.record_request();
    let ctx = RequestContext::from_headers(request.headers());
    request.extensions_mut().insert(ctx.clone());
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    ctx.apply(response.headers_mut());
    tracing::debug!(%method, %path, status = response.status().as_u16(), "request served");
    response
}

pub(crate) fn context_of(request: &Request) -> RequestContext {
    request
        .extensions()
        .get::<RequestContext>()
        .cloned()
        .unwrap_or_else(|| RequestContext::from_headers(request.headers()))
}

async fn not_found(State(state): State<AppState>, request: Request) -> Response {
    state.stats.record_unmatched();
    let ctx = context_of(&request);
    let segment = unknown_segment(request.uri().path()).to_owned();
    discard_body(&state, request).await;
    ErrorAnswer::new(
        StatusCode::NOT_FOUND,
        "BadRequest",
        format!("Resource not found for the segment '{segment}'."),
    )
    .into_response(&ctx)
}

async fn method_not_allowed(State(state): State<AppState>, request: Request) -> Response {
    state.stats.record_unmatched();
    let ctx = context_of(&request);
    let message = format!(
        "The HTTP method '{}' is not allowed for the resource '{}'.",
        request.method(),
        request.uri().path()
    );
    discard_body(&state, request).await;
    ErrorAnswer::new(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed", message)
        .into_response(&ctx)
}

/// Reads and drops a body the answer does not need, so the connection stays usable.
async fn discard_body(state: &ServerState, request: Request) {
    let (parts, body) = request.into_parts();
    let _ = read_limited(&parts.headers, body, state.max_body_bytes).await;
}

/// The emulator's test controls, beside the Graph routes ([`Route::path_pattern`]).
const CONTROLS: [&str; 2] = [
    "/_emulator/v1.0/me/onlineMeetings/{meetingId}/end",
    "/_emulator/v1.0/users/{userId}/onlineMeetings/{meetingId}/end",
];

/// The first path segment that leaves every route (Graph names it in its error): the
/// segment after the longest prefix that some route's pattern matches; for a prefix of a
/// route (or a route with the wrong method), the last segment.
fn unknown_segment(path: &str) -> &str {
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    let graph = VersionSegment::ALL.into_iter().flat_map(|version| {
        Route::ALL
            .into_iter()
            .map(move |route| format!("/{}{}", version.segment(), route.path_pattern()))
    });
    let matched = |pattern: &str| {
        pattern[1..]
            .split('/')
            .zip(&segments)
            .take_while(|(template, segment)| segment_matches(template, segment))
            .count()
    };
    let deepest = graph
        .chain(CONTROLS.map(str::to_owned))
        .map(|pattern| matched(&pattern))
        .max()
        .unwrap_or(0);
    match segments.get(deepest) {
        Some(segment) => segment,
        None => segments.last().copied().unwrap_or(""),
    }
}

/// Whether `segment` fits a pattern's `template` segment: the same text, any non-empty
/// text for a `{parameter}`, or a call of the same `getAll…` function.
fn segment_matches(template: &str, segment: &str) -> bool {
    if template.starts_with('{') {
        return !segment.is_empty();
    }
    match template.split_once('(') {
        Some((name, _)) => percent_encoding::percent_decode_str(segment)
            .decode_utf8()
            .is_ok_and(|decoded| {
                Function::of_segment(&decoded).is_some_and(|function| function.name() == name)
            }),
        None => template == segment,
    }
}

/// What the handler of a registered path actually serves, once the `{meetingId}` segment's
/// text is known: `getAll…(…)` shares that segment with the meeting routes.
enum Refined {
    Route(Route),
    /// A path that only looks like a route (`…/{meetingId}/delta` for a meeting id).
    NotFound,
    /// A `getAll…` function with a method other than GET.
    MethodNotAllowed,
}

/// The function a `/users/{userId}/onlineMeetings/{segment}/…` path calls, if any.
fn function_in(path: &str) -> Option<Function> {
    let mut segments = path.strip_prefix('/').unwrap_or(path).split('/');
    let (_version, users, _user, meetings, segment) = (
        segments.next()?,
        segments.next()?,
        segments.next()?,
        segments.next()?,
        segments.next()?,
    );
    if users != "users" || meetings != "onlineMeetings" {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()?;
    Function::of_segment(&decoded)
}

fn refine(route: Route, path: &str) -> Refined {
    let function = function_in(path);
    match (route, function) {
        (Route::GetUser, Some(Function::Transcripts)) => Refined::Route(Route::GetAllTranscripts),
        (Route::GetUser, Some(Function::Recordings)) => Refined::Route(Route::GetAllRecordings),
        (Route::UpdateUser | Route::DeleteUser, Some(_)) => Refined::MethodNotAllowed,
        (Route::GetAllTranscriptsDelta, Some(Function::Transcripts)) => {
            Refined::Route(Route::GetAllTranscriptsDelta)
        }
        (Route::GetAllTranscriptsDelta, Some(Function::Recordings)) => {
            Refined::Route(Route::GetAllRecordingsDelta)
        }
        (Route::GetAllTranscriptsDelta, None) => Refined::NotFound,
        (route, _) => Refined::Route(route),
    }
}

async fn handle(
    state: AppState,
    version: VersionSegment,
    route: Route,
    request: Request,
) -> Response {
    let route = match refine(route, request.uri().path()) {
        Refined::Route(route) => route,
        Refined::NotFound => return not_found(State(state), request).await,
        Refined::MethodNotAllowed => {
            let mut response = method_not_allowed(State(state), request).await;
            response
                .headers_mut()
                .insert(header::ALLOW, header::HeaderValue::from_static("GET,HEAD"));
            return response;
        }
    };
    state.stats.record_route(route, version);
    let ctx = context_of(&request);
    let mut lose_answer = false;
    let response = match serve(&state, version, route, &ctx, request, &mut lose_answer).await {
        Ok(response) => response,
        Err(err) => {
            tracing::debug!(
                %route,
                %version,
                status = err.status.as_u16(),
                code = err.code,
                message = %err.message,
                "answering an error"
            );
            err.into_response(&ctx)
        }
    };
    if lose_answer {
        cut_off(response)
    } else {
        response
    }
}

/// `response` with a body that fails after the headers, so that the server drops the
/// connection mid-answer.
fn cut_off(response: Response) -> Response {
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let failing = futures_util::stream::iter([Err::<axum::body::Bytes, std::io::Error>(
        std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected: answer lost"),
    )]);
    Response::from_parts(parts, axum::body::Body::from_stream(failing))
}

/// One call to a route. The checks run in this order, and the first failure answers:
///
/// 1. an injected fault (429/503);
/// 2. the body size (413);
/// 3. the token (401);
/// 4. the rate limit, when one is set (429 with `Retry-After`), for the token's app and
///    tenant;
/// 5. who the call acts as (400 for `/me` with an app token, 403 for another user);
/// 6. for a body: the content type (400 when missing, 415 when not JSON), then the
///    body: JSON (400), an object (400), property shapes, `externalId` and times (400);
/// 7. for a collection: `$top`, `$skiptoken`, `$deltatoken`, `$expand`, `$format` and a
///    `getAll…` function's parameters (400);
/// 8. the meeting, and the report, transcript or recording (404 `itemNotFound` when the user
///    has no meeting, or the meeting no such artifact).
async fn serve(
    state: &ServerState,
    version: VersionSegment,
    route: Route,
    ctx: &RequestContext,
    request: Request,
    lose_answer: &mut bool,
) -> Result<Response, ErrorAnswer> {
    let (mut parts, body) = request.into_parts();
    // The body is read (or drained) first so that an early answer never leaves a client stuck
    // sending into a connection nobody reads.
    let body = read_limited(&parts.headers, body, state.max_body_bytes).await;
    let must_close = matches!(body, BodyRead::TooLarge { drained: false });

    match state.faults.take() {
        Some(Injected::Answer(fault)) => {
            tracing::info!(%route, %version, status = fault.status.as_u16(), "injected fault");
            return Err(if must_close {
                fault.closing_connection()
            } else {
                fault
            });
        }
        Some(Injected::LoseAnswer) => {
            tracing::info!(%route, %version, "injected fault: the answer will be lost");
            *lose_answer = true;
        }
        None => {}
    }

    let body = complete_body(body, state.max_body_bytes)?;

    let caller = authenticate(&parts.headers)?;
    if let Some(limiter) = &state.rate_limit
        && let Err(wait) = limiter.admit(&caller.tenant_id, &caller.app_id)
    {
        state.stats.record_rate_limited();
        return Err(ErrorAnswer::new(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Too many requests from this application in this tenant; retry after the \
             time in Retry-After.",
        )
        .with_retry_after(Some(rate_limit::retry_after(wait))));
    }
    let Path(params) = Path::<HashMap<String, String>>::from_request_parts(&mut parts, &())
        .await
        .map_err(|rejection| {
            ErrorAnswer::bad_request(format!("Invalid path parameter: {rejection}."))
        })?;
    let organizer = organizer_of(
        route.is_for_user(),
        route.is_get_all(),
        &caller,
        params.get("userId"),
    )?;
    if route.is_artifact() {
        return artifact_routes::serve(&ArtifactCall {
            state,
            version,
            route,
            organizer: &organizer,
            params: &params,
            parts: &parts,
            ctx,
        });
    }
    let owner = Owner::new(&organizer.tenant_id, &organizer.user_id);
    let meeting_id = params.get("meetingId").map(String::as_str);
    let context = |suffix: &str| odata_context(version, &organizer.user_id, suffix);

    match (route.method(), meeting_id) {
        (Method::Post, _) => {
            check_content_type(&parts.headers)?;
            let request = parse_request_object(&body)?;
            check_shapes(&request)?;
            create(state, version, route, &organizer, &request, ctx)
        }
        (Method::Get, None) => {
            let url = join_url_filter(parts.uri.query())?;
            let found = state.store.find_by_join_url(&owner, &url);
            Ok(collection_response(
                context(""),
                found.iter().map(|m| &m.document),
                ctx,
            ))
        }
        (Method::Get, Some(id)) => {
            let meeting = state.store.get(&owner, id).ok_or_else(not_found_item)?;
            Ok(meeting_response(
                StatusCode::OK,
                context("/$entity"),
                &meeting.document,
                ctx,
            ))
        }
        (Method::Patch, Some(id)) => {
            check_content_type(&parts.headers)?;
            let changes = parse_request_object(&body)?;
            check_shapes(&changes)?;
            let meeting = state
                .store
                .update(&owner, id, |current| apply_update(current, &changes))
                .ok_or_else(not_found_item)??;
            tracing::info!(%route, %version, %id, "meeting updated");
            Ok(meeting_response(
                StatusCode::OK,
                context("/$entity"),
                &meeting.document,
                ctx,
            ))
        }
        (Method::Delete, Some(id)) => {
            if !state.store.delete(&owner, id) {
                return Err(not_found_item());
            }
            tracing::info!(%route, %version, %id, "meeting deleted");
            let mut response = StatusCode::NO_CONTENT.into_response();
            ctx.apply(response.headers_mut());
            Ok(response)
        }
        // The route table gives every PATCH and DELETE route a `{meetingId}`.
        (Method::Patch | Method::Delete, None) => Err(not_found_item()),
    }
}

/// The whole body, or the answer to a body that is too large (413) or failed (400).
pub(crate) fn complete_body(body: BodyRead, limit: usize) -> Result<Vec<u8>, ErrorAnswer> {
    match body {
        BodyRead::Complete(bytes) => Ok(bytes),
        BodyRead::TooLarge { drained } => {
            let err = ErrorAnswer::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "RequestEntityTooLarge",
                format!("The request body is larger than the maximum of {limit} bytes."),
            );
            Err(if drained {
                err
            } else {
                err.closing_connection()
            })
        }
        BodyRead::Failed(reason) => Err(ErrorAnswer::bad_request(format!(
            "Unable to read the request body: {reason}."
        ))),
    }
}

/// Create, or createOrGet: 201 with a new meeting, or 200 with the stored one.
fn create(
    state: &ServerState,
    version: VersionSegment,
    route: Route,
    organizer: &Organizer,
    request: &Map<String, Value>,
    ctx: &RequestContext,
) -> Result<Response, ErrorAnswer> {
    let external_id = if route.is_create_or_get() {
        Some(external_id(request)?)
    } else {
        None
    };
    let now = Utc::now();
    let times = resolve_times(request, now)?;
    let context = odata_context(version, &organizer.user_id, "/$entity");
    let new_meeting = |external_id: Option<String>| {
        build_meeting(NewMeeting {
            request,
            organizer,
            version,
            times: times.clone(),
            external_id,
            now,
        })
    };
    let owner = Owner::new(&organizer.tenant_id, &organizer.user_id);
    let (status, meeting) = match external_id {
        None => (StatusCode::CREATED, state.store.insert(new_meeting(None))),
        Some(external_id) => {
            let key = MeetingKey::new(owner, &external_id);
            match state
                .store
                .create_or_get(key, || new_meeting(Some(external_id.clone())))
            {
                KeyedInsert::Created(meeting) => (StatusCode::CREATED, meeting),
                KeyedInsert::Found(meeting) => (StatusCode::OK, meeting),
            }
        }
    };
    tracing::info!(%route, %version, id = %meeting.id, status = status.as_u16(), "meeting answered");
    Ok(meeting_response(status, context, &meeting.document, ctx))
}

/// Graph's answer for a meeting id the user does not have (unknown, deleted, or
/// another user's), or an artifact id its meeting does not have.
pub(crate) fn not_found_item() -> ErrorAnswer {
    ErrorAnswer::new(
        StatusCode::NOT_FOUND,
        "itemNotFound",
        "The requested resource doesn't exist.",
    )
}

/// The join URL of `$filter=JoinWebUrl eq '…'`, the only filter Graph supports on
/// `onlineMeetings`; a missing or other filter is 400.
fn join_url_filter(query: Option<&str>) -> Result<String, ErrorAnswer> {
    let filter = query
        .into_iter()
        .flat_map(|q| form_urlencoded::parse(q.as_bytes()))
        .find(|(name, _)| name == "$filter")
        .map(|(_, value)| value.into_owned())
        .ok_or_else(|| {
            ErrorAnswer::bad_request("Filter is required: $filter=JoinWebUrl eq '{joinWebUrl}'.")
        })?;
    let unsupported = || {
        ErrorAnswer::bad_request(format!(
            "The filter '{filter}' is not supported: use JoinWebUrl eq '{{joinWebUrl}}'."
        ))
    };
    let mut words = filter.trim().splitn(3, ' ');
    let (Some(property), Some(operator), Some(literal)) =
        (words.next(), words.next(), words.next())
    else {
        return Err(unsupported());
    };
    if !property.eq_ignore_ascii_case("JoinWebUrl") || !operator.eq_ignore_ascii_case("eq") {
        return Err(unsupported());
    }
    let inner = literal
        .trim()
        .strip_prefix('\'')
        .and_then(|l| l.strip_suffix('\''))
        .ok_or_else(unsupported)?;
    Ok(inner.replace("''", "'"))
}

/// Who the call acts as, from the path (`for_user`: `/users/{userId}`, else `/me`) and
/// the token. `app_only` routes (the `getAll…` functions) refuse delegated tokens (403).
pub(crate) fn organizer_of(
    for_user: bool,
    app_only: bool,
    caller: &Caller,
    user_id: Option<&String>,
) -> Result<Organizer, ErrorAnswer> {
    let myself = || Organizer {
        tenant_id: caller.tenant_id.clone(),
        user_id: caller.object_id.clone(),
        upn: caller.upn.clone(),
    };
    if app_only && caller.kind == TokenKind::Delegated {
        return Err(ErrorAnswer::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "This function supports application permissions only: call it with an application token.",
        ));
    }
    if !for_user {
        return match caller.kind {
            TokenKind::Delegated => Ok(myself()),
            TokenKind::Application => Err(ErrorAnswer::bad_request(
                "/me request is only valid with delegated authentication flow.",
            )),
        };
    }
    let user_id = user_id.map(String::as_str).unwrap_or_default();
    if user_id.trim().is_empty() {
        return Err(ErrorAnswer::bad_request("The userId in the path is empty."));
    }
    match caller.kind {
        TokenKind::Application => Ok(Organizer {
            tenant_id: caller.tenant_id.clone(),
            user_id: user_id.to_owned(),
            upn: None,
        }),
        TokenKind::Delegated => {
            let is_self = user_id.eq_ignore_ascii_case(&caller.object_id)
                || caller
                    .upn
                    .as_deref()
                    .is_some_and(|upn| upn.eq_ignore_ascii_case(user_id));
            if is_self {
                Ok(myself())
            } else {
                Err(ErrorAnswer::new(
                    StatusCode::FORBIDDEN,
                    "Forbidden",
                    format!(
                        "A delegated token can only act for its own user: '{user_id}' is not the signed-in user."
                    ),
                ))
            }
        }
    }
}

/// Graph needs `Content-Type: application/json` (parameters such as `charset` allowed).
fn check_content_type(headers: &HeaderMap) -> Result<(), ErrorAnswer> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_segments_are_named() {
        let cases = [
            ("/", ""),
            ("/v2.0/me/onlineMeetings", "v2.0"),
            ("/v1.0/me/calendar", "calendar"),
            ("/v1.0/me/onlineMeetings/createOrGet/extra", "extra"),
            ("/beta/users/u1/events", "events"),
            ("/beta/users/u1/onlineMeetings/m1/bogus", "bogus"),
            ("/v1.0/users/u1", "u1"),
            ("/v1.0/groups", "groups"),
            ("/v1.0/me/onlineMeetings/", ""),
            (
                "/v1.0/me/onlineMeetings/m1/transcripts/t1/content",
                "content",
            ),
            ("/v1.0/me/onlineMeetings/m1/transcripts/t1/content/x", "x"),
            (
                "/v1.0/me/onlineMeetings/m1/recordings/r1/metadataContent",
                "metadataContent",
            ),
            (
                "/v1.0/me/onlineMeetings/m1/attendanceReports/a/attendanceRecords/r",
                "r",
            ),
            ("/v1.0/me/onlineMeetings/m1/delta", "delta"),
            ("/v1.0/users/u/onlineMeetings/m1/delta", "delta"),
            (
                "/v1.0/users/u/onlineMeetings/getAllTranscripts(x)/delta",
                "delta",
            ),
            (
                "/v1.0/users/u/onlineMeetings/getAllRecordings%28x%29/delta/x",
                "x",
            ),
            ("/_emulator/v1.0/me/onlineMeetings/m1/end", "end"),
            ("/_emulator/v1.0/me/onlineMeetings/m1/stop", "stop"),
            ("/_emulator/beta/me/onlineMeetings/m1/end", "beta"),
            ("/_emulator", "_emulator"),
        ];
        for (path, segment) in cases {
            assert_eq!(unknown_segment(path), segment, "{path}");
        }
    }

    #[test]
    fn function_segments_refine_the_route() {
        let path = "/v1.0/users/u/onlineMeetings/getAllTranscripts(meetingOrganizerUserId=%27u%27)";
        assert!(matches!(
            refine(Route::GetUser, path),
            Refined::Route(Route::GetAllTranscripts)
        ));
        assert!(matches!(
            refine(Route::DeleteUser, path),
            Refined::MethodNotAllowed
        ));
        assert!(matches!(
            refine(
                Route::GetAllTranscriptsDelta,
                "/beta/users/u/onlineMeetings/getAllRecordings()/delta"
            ),
            Refined::Route(Route::GetAllRecordingsDelta)
        ));
        assert!(matches!(
            refine(
                Route::GetAllTranscriptsDelta,
                "/beta/users/u/onlineMeetings/m1/delta"
            ),
            Refined::NotFound
        ));
        assert!(matches!(
            refine(Route::GetUser, "/v1.0/users/u/onlineMeetings/m1"),
            Refined::Route(Route::GetUser)
        ));
    }
}
