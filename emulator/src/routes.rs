//! The HTTP surface: routes, the per-request middleware, and the three operations.

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::post;
use chrono::Utc;

use crate::auth::{Caller, TokenKind, authenticate};
use crate::body::{BodyRead, read_limited};
use crate::faults::FaultInjector;
use crate::graph_error::{GraphError, RequestContext, meeting_response};
use crate::meeting::{
    NewMeeting, Organizer, build_meeting, check_shapes, external_id, odata_context,
    parse_request_object, resolve_times,
};
use crate::stats::{ApiVersion, Operation, RequestStats};
use crate::store::{CreateOrGet, MeetingKey, MeetingStore};

/// State shared by every request.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) store: MeetingStore,
    pub(crate) faults: FaultInjector,
    pub(crate) stats: RequestStats,
    pub(crate) max_body_bytes: usize,
}

pub(crate) type AppState = Arc<Shared>;

/// The emulator's router: the three operations under `/v1.0` and `/beta`, Graph-shaped 404 and
/// 405 answers for everything else, and the `request-id`/`client-request-id` middleware.
pub(crate) fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for version in ApiVersion::ALL {
        for operation in Operation::ALL {
            let path = format!("/{}{}", version.segment(), operation.path_pattern());
            router = router.route(
                &path,
                post(move |State(state): State<AppState>, request: Request| {
                    handle(state, version, operation, request)
                }),
            );
        }
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

fn context_of(request: &Request) -> RequestContext {
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
    GraphError::new(
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
        "The HTTP method '{}' is not allowed for the resource '{}'. Use POST.",
        request.method(),
        request.uri().path()
    );
    discard_body(&state, request).await;
    GraphError::new(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed", message).into_response(&ctx)
}

/// Reads and drops a body the answer does not need, so the connection stays usable.
async fn discard_body(state: &Shared, request: Request) {
    let (parts, body) = request.into_parts();
    let _ = read_limited(&parts.headers, body, state.max_body_bytes).await;
}

/// The first path segment that leaves the emulated route tree (Graph names it in its error).
fn unknown_segment(path: &str) -> &str {
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    // Literal segments of the route tree; `None` is the `{userId}` parameter.
    const ME: &[Option<&str>] = &[Some("me"), Some("onlineMeetings"), Some("createOrGet")];
    const USERS: &[Option<&str>] = &[
        Some("users"),
        None,
        Some("onlineMeetings"),
        Some("createOrGet"),
    ];
    let Some((version, rest)) = segments.split_first() else {
        return "";
    };
    if !ApiVersion::ALL.iter().any(|v| v.segment() == *version) {
        return version;
    }
    let tree = match rest.first() {
        Some(&"users") => USERS,
        _ => ME,
    };
    for (index, segment) in rest.iter().enumerate() {
        match tree.get(index) {
            Some(Some(expected)) if expected == segment => {}
            Some(None) if !segment.is_empty() => {}
            _ => return segment,
        }
    }
    // A prefix of a route (or a route with the wrong method): name the last segment.
    segments.last().copied().unwrap_or("")
}

async fn handle(
    state: AppState,
    version: ApiVersion,
    operation: Operation,
    request: Request,
) -> Response {
    state.stats.record_operation(operation, version);
    let ctx = context_of(&request);
    match serve(&state, version, operation, &ctx, request).await {
        Ok(response) => response,
        Err(err) => {
            tracing::debug!(
                %operation,
                %version,
                status = err.status.as_u16(),
                code = err.code,
                message = %err.message,
                "answering an error"
            );
            err.into_response(&ctx)
        }
    }
}

/// One call to an operation. The checks run in this order, and the first failure answers:
///
/// 1. an injected fault (429/503);
/// 2. the body size (413);
/// 3. the token (401);
/// 4. who the call acts as (400 for `/me` with an app token, 403 for another user);
/// 5. the content type (400 when missing, 415 when not JSON);
/// 6. the body: JSON (400), an object (400), property shapes, `externalId` and times (400).
async fn serve(
    state: &Shared,
    version: ApiVersion,
    operation: Operation,
    ctx: &RequestContext,
    request: Request,
) -> Result<Response, GraphError> {
    let (mut parts, body) = request.into_parts();
    // The body is read (or drained) first so that an early answer never leaves a client stuck
    // sending into a connection nobody reads.
    let body = read_limited(&parts.headers, body, state.max_body_bytes).await;
    let must_close = matches!(body, BodyRead::TooLarge { drained: false });

    if let Some(fault) = state.faults.take() {
        tracing::info!(%operation, %version, status = fault.status.as_u16(), "injected fault");
        return Err(if must_close {
            fault.closing_connection()
        } else {
            fault
        });
    }

    let body = match body {
        BodyRead::Complete(bytes) => bytes,
        BodyRead::TooLarge { drained } => {
            let err = GraphError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "RequestEntityTooLarge",
                format!(
                    "The request body is larger than the maximum of {} bytes.",
                    state.max_body_bytes
                ),
            );
            return Err(if drained {
                err
            } else {
                err.closing_connection()
            });
        }
        BodyRead::Failed(reason) => {
            return Err(GraphError::bad_request(format!(
                "Unable to read the request body: {reason}."
            )));
        }
    };

    let caller = authenticate(&parts.headers)?;
    let organizer = organizer_for(operation, &caller, &mut parts).await?;
    check_content_type(&parts.headers)?;

    let request = parse_request_object(&body)?;
    check_shapes(&request)?;
    let external_id = if operation.is_create_or_get() {
        Some(external_id(&request)?)
    } else {
        None
    };
    let now = Utc::now();
    let times = resolve_times(&request, now)?;
    let context = odata_context(version, &organizer.user_id);
    let new_meeting = |external_id: Option<String>| {
        build_meeting(NewMeeting {
            request: &request,
            organizer: &organizer,
            version,
            times: times.clone(),
            external_id,
            now,
        })
    };

    match external_id {
        None => {
            let meeting = state.store.insert(new_meeting(None));
            tracing::info!(%operation, %version, id = ?meeting.get("id"), "meeting created");
            Ok(meeting_response(
                StatusCode::CREATED,
                context,
                &meeting,
                ctx,
            ))
        }
        Some(external_id) => {
            let key = MeetingKey::new(&organizer.tenant_id, &organizer.user_id, &external_id);
            match state
                .store
                .create_or_get(key, || new_meeting(Some(external_id.clone())))
            {
                CreateOrGet::Created(meeting) => {
                    tracing::info!(%operation, %version, %external_id, "meeting created");
                    Ok(meeting_response(
                        StatusCode::CREATED,
                        context,
                        &meeting,
                        ctx,
                    ))
                }
                CreateOrGet::Existing(meeting) => {
                    tracing::debug!(%operation, %version, %external_id, "existing meeting returned");
                    Ok(meeting_response(StatusCode::OK, context, &meeting, ctx))
                }
            }
        }
    }
}

/// Who the call acts as, from the route and the token.
async fn organizer_for(
    operation: Operation,
    caller: &Caller,
    parts: &mut Parts,
) -> Result<Organizer, GraphError> {
    match operation {
        Operation::CreateMe | Operation::CreateOrGetMe => match caller.kind {
            TokenKind::Delegated => Ok(Organizer {
                tenant_id: caller.tenant_id.clone(),
                user_id: caller.object_id.clone(),
                upn: caller.upn.clone(),
            }),
            TokenKind::Application => Err(GraphError::bad_request(
                "/me request is only valid with delegated authentication flow.",
            )),
        },
        Operation::CreateOrGetUser => {
            let Path(user_id) = Path::<String>::from_request_parts(parts, &())
                .await
                .map_err(|rejection| {
                    GraphError::bad_request(format!("Invalid userId in the path: {rejection}."))
                })?;
            if user_id.trim().is_empty() {
                return Err(GraphError::bad_request("The userId in the path is empty."));
            }
            match caller.kind {
                TokenKind::Application => Ok(Organizer {
                    tenant_id: caller.tenant_id.clone(),
                    user_id,
                    upn: None,
                }),
                TokenKind::Delegated => {
                    let is_self = user_id.eq_ignore_ascii_case(&caller.object_id)
                        || caller
                            .upn
                            .as_deref()
                            .is_some_and(|upn| upn.eq_ignore_ascii_case(&user_id));
                    if is_self {
                        Ok(Organizer {
                            tenant_id: caller.tenant_id.clone(),
                            user_id: caller.object_id.clone(),
                            upn: caller.upn.clone(),
                        })
                    } else {
                        Err(GraphError::new(
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
    }
}

/// Graph needs `Content-Type: application/json` (parameters such as `charset` allowed).
fn check_content_type(headers: &HeaderMap) -> Result<(), GraphError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(GraphError::bad_request(
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
        Err(GraphError::new(
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
            ("/beta/users/u1/onlineMeetings/bogus", "bogus"),
            ("/v1.0/users/u1/onlineMeetings", "onlineMeetings"),
            ("/v1.0/groups", "groups"),
            ("/v1.0/me/onlineMeetings/", ""),
        ];
        for (path, segment) in cases {
            assert_eq!(unknown_segment(path), segment, "{path}");
        }
    }
}
