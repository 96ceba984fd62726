//! progenitor's `ClientHooks` for the generated client. They only decorate a request and
//! note its response; the call loop (auth, attempts, retries, outcome) is in
//! [`call`](crate::call).
//!
//! * `pre`: checks that the URL still goes to the configured Graph origin, in the shape
//!   of its operation's path template (from the generated [`Operation`] table), then
//!   sets `Authorization` (sensitive), `client-request-id`, `User-Agent`, `Prefer` and
//!   `Accept-Language`;
//! * `exec`: sends the request and bounds the response body to the configured
//!   `max_response_bytes` (a larger body ends in [`ResponseTooLarge`]; announced by
//!   `Content-Length`, none of it is read);
//! * `post` is progenitor's (it does nothing).
//!
//! [`from_response`] is not a hook: the generated methods call it (by the codegen's
//! `responses` transform) to decode a body in place of progenitor's function, moving the
//! headers instead of copying them; when a body cannot be decoded it notes the status
//! and headers for the call loop (the generated layer then keeps only the bytes).
//!
//! Inside a [`GraphClient`](crate::GraphClient) call, the loop puts the attempt's token and
//! `client-request-id` in a task-local [`Attempt`]; a call of the raw client has none, and
//! `pre` gets a token and a new `client-request-id` itself (the raw client makes one
//! attempt and does not retry).

use std::cell::Cell;
use std::fmt;
use std::sync::Arc;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::{StatusCode, Url};

use crate::auth::TokenProvider;
use crate::error::{Error, RequestError, ResponseTooLarge};
use crate::generated::Client;
use crate::operation::Operation;
use crate::retry::RetryPolicy;

/// The `User-Agent` of every request: this crate's name and version.
pub(crate) const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

pub(crate) const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
const PREFER: HeaderName = HeaderName::from_static("prefer");

/// The configuration the generated [`raw::Client`](crate::raw::Client) carries for its
/// hooks (progenitor's "inner type"). Opaque; get a configured raw client from
/// [`GraphClient::raw`](crate::GraphClient::raw).
#[derive(Clone)]
pub struct Context {
    pub(crate) config: Arc<ClientConfig>,
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("config", &self.config)
            .finish()
    }
}

/// What every call of one client shares.
pub(crate) struct ClientConfig {
    pub(crate) token_provider: Arc<dyn TokenProvider>,
    /// `Authorization` for a fixed token ([`bearer_token`](crate::GraphClientBuilder::bearer_token)),
    /// made once when the client is built instead of on every call.
    pub(crate) fixed_authorization: Option<HeaderValue>,
    pub(crate) scope: String,
    /// The base URL, version included (`https://graph.microsoft.com/v1.0`).
    pub(crate) base: Url,
    pub(crate) retry: RetryPolicy,
    pub(crate) prefer: Option<HeaderValue>,
    pub(crate) accept_language: Option<HeaderValue>,
    pub(crate) user_agent: HeaderValue,
    /// The largest response body read, in bytes.
    pub(crate) max_response_bytes: usize,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
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

/// One attempt of a `GraphClient` call: the headers `pre` puts on the request (moved
/// out, not copied), and the status and headers of a response whose body could not be
/// decoded (noted by [`from_response`], the only place that knows).
pub(crate) struct Attempt {
    /// `Authorization` and `client-request-id`, until `pre` takes them.
    pub(crate) headers: Cell<Option<(HeaderValue, HeaderValue)>>,
    pub(crate) undecodable: Cell<Option<Seen>>,
    /// The operation the generated method named for its request (set by `pre`): what
    /// the call loop retries it as.
    pub(crate) operation: Cell<Option<Operation>>,
}

/// What the call loop needs to know of a response whose body cannot be decoded (the
/// generated layer then keeps only the bytes): its status and headers. Built only then;
/// a decoded response carries both itself.
pub(crate) struct Seen {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
}

tokio::task_local! {
    pub(crate) static ATTEMPT: Attempt;
}

impl ClientConfig {
    /// A bearer token for the configured scope, as a sensitive header value: the one
    /// made when the client was built for a fixed token, else one from the provider.
    pub(crate) async fn authorization(&self) -> Result<HeaderValue, Error> {
        if let Some(fixed) = &self.fixed_authorization {
            return Ok(fixed.clone());
        }
        use secrecy::ExposeSecret;
        let token = self
            .token_provider
            .token(&self.scope)
            .await
            .inspect_err(|err| tracing::warn!(error = %err, "no access token"))?;
        Ok(bearer(token.secret().expose_secret())?)
    }

    /// Put the call's headers on `request`.
    fn decorate(
        &self,
        request: &mut reqwest::Request,
        authorization: HeaderValue,
        client_request_id: HeaderValue,
    ) {
        let headers = request.headers_mut();
        headers.insert(header::AUTHORIZATION, authorization);
        headers.insert(CLIENT_REQUEST_ID, client_request_id);
        headers.insert(header::USER_AGENT, self.user_agent.clone());
        if let Some(prefer) = &self.prefer {
            headers.insert(PREFER, prefer.clone());
        }
        if let Some(language) = &self.accept_language {
            headers.insert(header::ACCEPT_LANGUAGE, language.clone());
        }
    }
}

/// `Bearer {token}` as a sensitive header value.
pub(crate) fn bearer(token: &str) -> Result<HeaderValue, crate::error::AuthError> {
    let mut value = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
        crate::error::AuthError::new(
            "the access token contains characters that are not allowed in an HTTP header",
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// `response` with its body limited to `limit` bytes: reading past the limit, or any
/// reading at all when `Content-Length` already says more, fails with
/// [`ResponseTooLarge`] (the rest is never read; the connection is dropped with it).
///
/// A body whose `Content-Length` is within the limit is returned as it is: hyper reads
/// exactly the announced length and no more (and this crate enables no decompression,
/// which could make the decoded body longer), so the limit already holds, and the
/// common case pays nothing for it.
fn bounded(response: reqwest::Response, limit: usize) -> reqwest::Response {
    use http_body_util::BodyExt;

    let announced = response.content_length();
    if announced.is_some_and(|length| length <= u64::try_from(limit).unwrap_or(u64::MAX)) {
        return response;
    }
    let (parts, body) = http::Response::from(response).into_parts();
    let too_large = move |announced| ResponseTooLarge { limit, announced };
    let body = match announced {
        Some(length) if length > u64::try_from(limit).unwrap_or(u64::MAX) => {
            drop(body);
            reqwest::Body::wrap(Refused(Some(too_large(Some(length)))))
        }
        _ => reqwest::Body::wrap(http_body_util::Limited::new(body, limit).map_err(
            move |err| -> crate::error::BoxError {
                if err.is::<http_body_util::LengthLimitError>() {
                    Box::new(too_large(None))
                } else {
                    err
                }
            },
        )),
    };
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

/// A body whose first read fails with the error it holds.
struct Refused(Option<ResponseTooLarge>);

impl http_body::Body for Refused {
    type Data = bytes::Bytes;
    type Error = ResponseTooLarge;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, ResponseTooLarge>>> {
        std::task::Poll::Ready(self.0.take().map(Err))
    }
}

/// A response's JSON body decoded into `T`, with the response's status and headers: what
/// progenitor's `ResponseValue::from_response` returns, with the same errors, but the
/// headers are moved out of the response instead of copied (the codegen's `responses`
/// transform puts this in place of progenitor's function in every generated method).
pub(crate) async fn from_response<T, E>(
    mut response: reqwest::Response,
) -> Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>
where
    T: serde::de::DeserializeOwned,
{
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response
        .bytes()
        .await
        .map_err(progenitor_client::Error::ResponseBodyError)?;
    match serde_json::from_slice(&body) {
        Ok(value) => Ok(progenitor_client::ResponseValue::new(
            value, status, headers,
        )),
        Err(err) => {
            // progenitor's error keeps only the bytes: the call loop gets the status and
            // the headers from here (outside a `GraphClient` call nobody asks).
            let _ = ATTEMPT.try_with(|a| a.undecodable.replace(Some(Seen { status, headers })));
            Err(progenitor_client::Error::InvalidResponsePayload(body, err))
        }
    }
}

/// A `client-request-id`: a version 4 UUID, kept as its text (lower case, hyphenated),
/// so that a call's `Response` carries it without an allocation.
#[derive(Clone, Copy)]
pub(crate) struct ClientRequestId([u8; uuid::fmt::Hyphenated::LENGTH]);

impl ClientRequestId {
    /// A new id. Its random bits come from `fastrand` (per thread, seeded once) rather
    /// than from the operating system on every call as `Uuid::new_v4` does: the id
    /// correlates a call with Graph's logs and must be unique, not unpredictable, and
    /// this spares every call a `getrandom` system call.
    pub(crate) fn new() -> Self {
        let id = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        id.hyphenated().encode_lower(&mut text);
        ClientRequestId(text)
    }

    /// The id's text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII hex digits and hyphens are written.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The id as a header value (always a valid one).
    pub(crate) fn header(&self) -> HeaderValue {
        HeaderValue::from_bytes(&self.0)
            .unwrap_or_else(|_| HeaderValue::from_static("00000000-0000-0000-0000-000000000000"))
    }
}

impl fmt::Debug for ClientRequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The request must go to the configured origin, under the configured base path, in the
/// shape of its operation's path template: the access token goes nowhere else. Returns
/// that operation, from the generated table.
fn check_destination(base: &Url, url: &Url, operation_id: &str) -> Result<Operation, RequestError> {
    let refuse = |why: String| {
        Err(RequestError::new(
            format!("refusing to send `{operation_id}`: {why}"),
            None,
        ))
    };
    let same_origin = url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default();
    if !same_origin {
        return refuse(format!(
            "its URL goes to {}, not to the configured Graph origin {}",
            url.origin().ascii_serialization(),
            base.origin().ascii_serialization()
        ));
    }
    let Some(operation) = Operation::from_id(operation_id) else {
        return refuse("the operation is not in the generated operation table".to_owned());
    };
    let rest = url.path().strip_prefix(base.path()).unwrap_or_default();
    let shaped = rest
        .strip_prefix('/')
        .is_some_and(|rest| operation.matches_path(rest.split('/')));
    if !shaped {
        return refuse(format!(
            "its path `{}` does not have the shape `{}` (a path parameter left its segment?)",
            url.path(),
            operation.path()
        ));
    }
    Ok(operation)
}

impl ClientHooks<Context> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let config = &self.inner().config;
        let operation = check_destination(&config.base, request.url(), info.operation_id)
            .map_err(|err| progenitor_client::Error::InvalidRequest(err.to_string()))?;
        let scoped = ATTEMPT
            .try_with(|a| {
                a.operation.set(Some(operation));
                a.headers.take()
            })
            .ok()
            .flatten();
        let (authorization, client_request_id) = match scoped {
            Some(scoped) => scoped,
            None => {
                // The raw client: no call loop around this request.
                let authorization = config
                    .authorization()
                    .await
                    .map_err(|err| progenitor_client::Error::Custom(err.to_string()))?;
                (authorization, ClientRequestId::new().header())
            }
        };
        config.decorate(request, authorization, client_request_id);
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let response = self.client().execute(request).await?;
        Ok(bounded(response, self.inner().config.max_response_bytes))
    }
}
