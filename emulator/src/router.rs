//! The HTTP surface: the per-request middleware, the dispatch of each request to the
//! handler the route table names (after the checks every route shares), and Graph-shaped
//! 404 and 405 answers for everything else.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;

use crate::auth::{authenticate, organizer_of};
use crate::body::{BodyRead, complete_body, read_limited};
use crate::dispatch::{Found, Resolution, Target, resolve, unknown_segment};
use crate::faults::Injected;
use crate::graph_error::{ErrorAnswer, RequestContext};
use crate::handlers::{Before, Call, Handler, artifacts, controls, meetings, subscriptions};
use crate::rate_limit;
use crate::route_table::{Control, Route, VersionSegment, route_table};
use crate::state::{AppState, ServerState};

/// Derives, from the route table, which handler serves each route and control.
macro_rules! handlers_from_table {
    (
        graph {
            $( $(#[doc = $doc:literal])* $route:ident $method:ident $path:literal $access:ident $handler:path; )*
        }
        controls {
            $( $control:ident $control_method:ident $control_path:literal $control_access:ident $control_handler:path; )*
        }
    ) => {
        /// The handler of a Graph route.
        fn route_handler(route: Route) -> Handler {
            match route {
                $(Route::$route => $handler,)*
            }
        }

        /// The handler of a test control.
        fn control_handler(control: Control) -> Handler {
            match control {
                $(Control::$control => $control_handler,)*
            }
        }
    };
}

route_table!(handlers_from_table);

/// The emulator's router: every request goes through the `request-id`/`client-request-id`
/// middleware to [`dispatch`], which finds its route in the route table.
pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .fallback(dispatch)
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

/// Sends a request to its route's handler, its control's, or the 404/405 answer.
async fn dispatch(State(state): State<AppState>, request: Request) -> Response {
    match resolve(request.method(), request.uri().path()) {
        Resolution::Found(found) => match found.target {
            Target::Graph { route, version } => {
                serve_route(&state, route, version, &found, request).await
            }
            Target::Control(control) => serve_control(&state, control, &found, request).await,
        },
        Resolution::MethodNotAllowed(allow) => {
            let mut response = method_not_allowed(&state, request).await;
            if let Ok(allow) = HeaderValue::from_str(&allow) {
                response.headers_mut().insert(header::ALLOW, allow);
            }
            response
        }
        Resolution::NotFound => not_found(&state, request).await,
    }
}

async fn not_found(state: &ServerState, request: Request) -> Response {
    state.stats.record_unmatched();
    let ctx = context_of(&request);
    let segment = unknown_segment(request.uri().path()).to_owned();
    discard_body(state, request).await;
    ErrorAnswer::new(
        StatusCode::NOT_FOUND,
        "BadRequest",
        format!("Resource not found for the segment '{segment}'."),
    )
    .into_response(&ctx)
}

async fn method_not_allowed(state: &ServerState, request: Request) -> Response {
    state.stats.record_unmatched();
    let ctx = context_of(&request);
    let message = format!(
        "The HTTP method '{}' is not allowed for the resource '{}'.",
        request.method(),
        request.uri().path()
    );
    discard_body(state, request).await;
    ErrorAnswer::new(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed", message)
        .into_response(&ctx)
}

/// Reads and drops a body the answer does not need, so the connection stays usable.
async fn discard_body(state: &ServerState, request: Request) {
    let (parts, body) = request.into_parts();
    let _ = read_limited(&parts.headers, body, state.max_body_bytes).await;
}

/// One call to a Graph route: counted, checked, then handled.
async fn serve_route(
    state: &ServerState,
    route: Route,
    version: VersionSegment,
    found: &Found,
    request: Request,
) -> Response {
    state.stats.record_route(route, version);
    let ctx = context_of(&request);
    let mut lose_answer = false;
    let response = match check_and_handle(
        state,
        version,
        route,
        found,
        &ctx,
        request,
        &mut lose_answer,
    )
    .await
    {
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

/// The checks every Graph route shares, then its handler. They run in this order, and the
/// first failure answers:
///
/// 1. an injected fault (429/503);
/// 2. the body size (413);
/// 3. the token (401);
/// 4. the rate limit, when one is set (429 with `Retry-After`), for the token's app and
///    tenant;
/// 5. the path parameters (400 when one is not UTF-8), then who the call acts as (400 for
///    `/me` with an app token, 403 for another user or a delegated token on an
///    application-only route);
/// 6. the handler's own checks: for a body, the content type (400 when missing, 415 when
///    not JSON), then the body: JSON (400), an object (400), property shapes,
///    `externalId` and times (400); for a collection, `$top`, `$skiptoken`,
///    `$deltatoken`, `$expand`, `$format` and a `getAll…` function's parameters (400);
///    then the meeting, and the report, transcript or recording (404 `itemNotFound` when
///    the user has no meeting, or the meeting no such artifact).
async fn check_and_handle(
    state: &ServerState,
    version: VersionSegment,
    route: Route,
    found: &Found,
    ctx: &RequestContext,
    request: Request,
    lose_answer: &mut bool,
) -> Result<Response, ErrorAnswer> {
    let (parts, body) = request.into_parts();
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
    let params = found.params()?;
    let organizer = organizer_of(
        route.is_for_user(),
        route.access(),
        &caller,
        params.get("userId"),
    )?;
    let mut response = route_handler(route)(&Call {
        state,
        version,
        caller: &caller,
        organizer: &organizer,
        params: &params,
        parts: &parts,
        body: &body,
        ctx,
    })?;
    if let Some(before) = response.extensions_mut().remove::<Before>() {
        before.run().await?;
    }
    Ok(response)
}

/// One call to a test control: like a Graph route's, without faults, the rate limit or a
/// per-route count.
async fn serve_control(
    state: &ServerState,
    control: Control,
    found: &Found,
    request: Request,
) -> Response {
    let ctx = context_of(&request);
    let (parts, body) = request.into_parts();
    let answer = async {
        let body = read_limited(&parts.headers, body, state.max_body_bytes).await;
        let body = complete_body(body, state.max_body_bytes)?;
        let caller = authenticate(&parts.headers)?;
        let params = found.params()?;
        let user_id = params.get("userId");
        let organizer = organizer_of(user_id.is_some(), control.access(), &caller, user_id)?;
        control_handler(control)(&Call {
            state,
            version: VersionSegment::V1,
            caller: &caller,
            organizer: &organizer,
            params: &params,
            parts: &parts,
            body: &body,
            ctx: &ctx,
        })
    };
    match answer.await {
        Ok(response) => response,
        Err(err) => err.into_response(&ctx),
    }
}
