//! progenitor's `ClientHooks` for the generated client: what every request goes through,
//! whether it comes from [`GraphClient`](crate::GraphClient) or from the raw client.
//!
//! * `pre` (once per call): the URL of the call, a check that it still goes to the
//!   configured Graph origin and has the operation's shape, the access token (a
//!   sensitive `Authorization` header), `client-request-id`, `User-Agent`, `Prefer` and
//!   `Accept-Language`;
//! * `exec`: sending, with the retry loop of the [`RetryPolicy`] (every attempt is a
//!   clone of the same request, so it carries the same `client-request-id`), inside one
//!   tracing span per call.
//!
//! The generated client carries a [`Context`] (progenitor's "inner type"): the shared
//! configuration and, for a call made through `GraphClient`, the state of that call, in
//! which the hooks record what the generated layer's own error type cannot carry (the
//! status and headers of the response, a token provider's error).

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::{StatusCode, Url};
use secrecy::ExposeSecret;
use tracing::Instrument;

use crate::auth::TokenProvider;
use crate::error::{AuthError, Error, RequestError};
use crate::generated::Client;
use crate::retry::{Idempotency, RetryPolicy, parse_retry_after};

/// The `User-Agent` of every request: this crate's name and version.
pub(crate) const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
const PREFER: HeaderName = HeaderName::from_static("prefer");
const REQUEST_ID: &str = "request-id";

/// The configuration and per-call state the generated [`raw::Client`](crate::raw::Client)
/// carries for its hooks (progenitor's "inner type"). Opaque; get a configured raw client
/// from [`GraphClient::raw`](crate::GraphClient::raw).
#[derive(Clone)]
pub struct Context {
    pub(crate) shared: Arc<Shared>,
    pub(crate) call: Option<Arc<CallState>>,
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("shared", &self.shared)
            .finish_non_exhaustive()
    }
}

/// The span of one call: the operation and the client-request-id now, the attempt, the
/// status and Graph's request-id as they become known.
pub(crate) fn call_span(operation: &str, client_request_id: &str) -> tracing::Span {
    tracing::info_span!(
        "graph_online_meetings::call",
        operation,
        client_request_id,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        request_id = tracing::field::Empty,
    )
}

/// What every call of one client shares.
pub(crate) struct Shared {
    pub(crate) token_provider: Arc<dyn TokenProvider>,
    pub(crate) scope: String,
    /// The base URL, version included (`https://graph.microsoft.com/v1.0`).
    pub(crate) base: Url,
    pub(crate) retry: RetryPolicy,
    pub(crate) prefer: Option<HeaderValue>,
    pub(crate) accept_language: Option<HeaderValue>,
    pub(crate) user_agent: HeaderValue,
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shared")
            .field("base", &self.base.as_str())
            .field("scope", &self.scope)
            .field("token_provider", &"..")
            .field("retry", &self.retry)
            .field("prefer", &self.prefer)
            .field("accept_language", &self.accept_language)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

/// One logical call through `GraphClient`.
pub(crate) struct CallState {
    pub(crate) client_request_id: String,
    pub(crate) record: Mutex<Record>,
}

/// What the hooks saw during the call.
#[derive(Default)]
pub(crate) struct Record {
    /// Why `pre` refused to send.
    pub(crate) refused: Option<Error>,
    /// The last response's status and headers.
    pub(crate) response: Option<(StatusCode, HeaderMap)>,
    pub(crate) attempts: u32,
}

impl CallState {
    pub(crate) fn new() -> Self {
        CallState {
            client_request_id: uuid::Uuid::new_v4().to_string(),
            record: Mutex::new(Record::default()),
        }
    }

    pub(crate) fn with_record<T>(&self, f: impl FnOnce(&mut Record) -> T) -> T {
        let mut record = self.record.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut record)
    }
}

impl Context {
    /// Refuse to send: record the reason for `GraphClient`, return progenitor's error for
    /// the raw client.
    fn refuse<E>(&self, error: Error) -> progenitor_client::Error<E> {
        let message = error.to_string();
        let raw = match &error {
            Error::Auth(_) => progenitor_client::Error::Custom(message),
            _ => progenitor_client::Error::InvalidRequest(message),
        };
        if let Some(call) = &self.call {
            call.with_record(|r| r.refused = Some(error));
        }
        raw
    }

    async fn prepare(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error> {
        let shared = &self.shared;
        check_destination(&shared.base, request.url(), info.operation_id)?;

        let token = shared
            .token_provider
            .token(&shared.scope)
            .await
            .inspect_err(|err| tracing::warn!(error = %err, "no access token"))?;
        let mut authorization =
            HeaderValue::try_from(format!("Bearer {}", token.secret().expose_secret())).map_err(
                |_| {
                    AuthError::new(
                        "the access token contains characters that are not allowed in an HTTP \
                         header",
                    )
                },
            )?;
        authorization.set_sensitive(true);

        let client_request_id = match &self.call {
            Some(call) => call.client_request_id.clone(),
            None => uuid::Uuid::new_v4().to_string(),
        };
        let client_request_id = HeaderValue::try_from(client_request_id).map_err(|err| {
            Error::Request(RequestError::new(
                "invalid client-request-id",
                Some(Box::new(err)),
            ))
        })?;

        let headers = request.headers_mut();
        headers.insert(header::AUTHORIZATION, authorization);
        headers.insert(CLIENT_REQUEST_ID, client_request_id);
        headers.insert(header::USER_AGENT, shared.user_agent.clone());
        if let Some(prefer) = &shared.prefer {
            headers.insert(PREFER, prefer.clone());
        }
        if let Some(language) = &shared.accept_language {
            headers.insert(header::ACCEPT_LANGUAGE, language.clone());
        }
        Ok(())
    }

    /// Send `request`, retrying as the policy and the operation allow.
    async fn send(
        &self,
        client: &reqwest::Client,
        mut request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let policy = &self.shared.retry;
        let idempotency = Idempotency::of_operation(info.operation_id);
        let mut attempt: u32 = 1;
        let mut waited = Duration::ZERO;
        loop {
            let span = tracing::Span::current();
            span.record("attempt", attempt);
            let spare = if attempt < policy.max_attempts() {
                request.try_clone()
            } else {
                None
            };
            let result = client.execute(request).await;
            let retry_after = match &result {
                Ok(response) => {
                    let status = response.status();
                    let request_id = response
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok());
                    span.record("status", status.as_u16());
                    if let Some(id) = request_id {
                        span.record("request_id", id);
                    }
                    tracing::debug!(attempt, status = status.as_u16(), request_id, "response");
                    if idempotency.retries_status(status) {
                        Some(
                            response
                                .headers()
                                .get(header::RETRY_AFTER)
                                .and_then(|v| v.to_str().ok())
                                .and_then(|v| parse_retry_after(v, std::time::SystemTime::now())),
                        )
                    } else {
                        None
                    }
                }
                Err(err) => {
                    tracing::debug!(attempt, error = %err, "request failed");
                    idempotency.retries_transport_error(err).then_some(None)
                }
            };
            // `retry_after`: `None` = not retryable, `Some(None)` = retryable, no hint.
            let delay = match (retry_after, spare) {
                (Some(hint), Some(spare)) => policy
                    .next_delay(attempt, waited, hint)
                    .map(|delay| (delay, spare)),
                _ => None,
            };
            let Some((delay, spare)) = delay else {
                self.finish(&result, attempt);
                return result;
            };
            let reason = match &result {
                Ok(response) => response.status().to_string(),
                Err(err) if err.is_timeout() => "timeout".to_owned(),
                Err(_) => "connection failure".to_owned(),
            };
            tracing::info!(
                attempt,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                reason,
                "retrying"
            );
            drop(result);
            tokio::time::sleep(delay).await;
            waited += delay;
            attempt += 1;
            request = spare;
        }
    }

    fn finish(&self, result: &reqwest::Result<reqwest::Response>, attempts: u32) {
        if let Some(call) = &self.call {
            call.with_record(|r| {
                r.attempts = attempts;
                r.response = result
                    .as_ref()
                    .ok()
                    .map(|response| (response.status(), response.headers().clone()));
            });
        }
    }
}

/// The request must go to the configured origin, under the configured base path, in the
/// shape of its operation: the access token goes nowhere else.
fn check_destination(base: &Url, url: &Url, operation_id: &str) -> Result<(), Error> {
    let refuse = |why: &str| {
        Err(Error::Request(RequestError::new(
            format!(
                "refusing to send `{operation_id}` to {}: {why}",
                url.origin().ascii_serialization()
            ),
            None,
        )))
    };
    if url.origin() != base.origin() {
        return refuse("not the configured Graph origin");
    }
    let Some(rest) = url.path().strip_prefix(base.path()) else {
        return refuse("not under the configured base path");
    };
    let segments: Vec<&str> = rest.split('/').skip(1).collect();
    let shaped = match operation_id {
        "create_online_meeting" => segments == ["me", "onlineMeetings"],
        "create_or_get_online_meeting" => segments == ["me", "onlineMeetings", "createOrGet"],
        "create_or_get_online_meeting_for_user" => {
            matches!(segments.as_slice(), ["users", user, "onlineMeetings", "createOrGet"] if !user.is_empty())
        }
        _ => true,
    };
    if !shaped || !rest.starts_with('/') {
        return refuse(
            "the path does not have the operation's shape (a path parameter left its segment?)",
        );
    }
    Ok(())
}

impl ClientHooks<Context> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let context = self.inner();
        context
            .prepare(request, info)
            .await
            .map_err(|err| context.refuse(err))
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let context = self.inner();
        if context.call.is_some() {
            // `GraphClient` runs the whole call (token included) in its span.
            return context.send(self.client(), request, info).await;
        }
        let client_request_id = request
            .headers()
            .get(CLIENT_REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let span = call_span(info.operation_id, client_request_id);
        context
            .send(self.client(), request, info)
            .instrument(span)
            .await
    }
}
