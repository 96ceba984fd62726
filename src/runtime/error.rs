//! The one error type of the client, [`Error`], and the details it carries.
//!
//! Every failure of a call is one of a few distinct cases: Graph answered with an error
//! ([`Error::Api`]), the answer had a status the operation does not document
//! ([`Error::UnexpectedStatus`]), a success body could not be decoded
//! ([`Error::Decode`]), the request timed out ([`Error::Timeout`]) or failed on the way
//! ([`Error::Transport`]), it was rejected locally before anything was sent
//! ([`Error::Validation`], [`Error::Request`]), no access token could be had
//! ([`Error::Auth`]), or the client was configured wrongly ([`Error::Config`]).
//!
//! Access tokens never appear in any of them: not in `Display`, not in `Debug`.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::runtime::auth::AuthError;
pub use crate::runtime::validation::ValidationError;
use crate::types::OdataError;

/// The longest body excerpt (in bytes) an error keeps.
pub(crate) const SNIPPET_LIMIT: usize = 512;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A boxed error from a token provider or another source outside this crate.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong in a call of [`GraphClient`](crate::GraphClient) or while
/// building one.
///
/// The variants hold small structs with accessors, so that a variant can gain
/// information later without breaking a `match`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Microsoft Graph (or a proxy in front of it) answered with a `4xx` or `5xx` status.
    ///
    /// Also when the error body was empty or not JSON (an HTML page from a gateway, a
    /// `401` without a body): the status and the response headers are kept.
    #[error(transparent)]
    Api(Box<GraphError>),
    /// The response had a status the operation does not document: a redirect that was
    /// not followed (see [`GraphClientBuilder`](crate::GraphClientBuilder)), a `1xx`, or a
    /// success status other than the documented ones.
    #[error(transparent)]
    UnexpectedStatus(Box<UnexpectedStatus>),
    /// A success response whose body is not the JSON the operation documents.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The response body was larger than the configured limit
    /// ([`GraphClientBuilder::max_response_bytes`](crate::GraphClientBuilder::max_response_bytes));
    /// it was not read any further.
    #[error(transparent)]
    ResponseTooLarge(ResponseTooLarge),
    /// The request, or reading its response, timed out.
    #[error("the request timed out")]
    Timeout(#[source] TransportError),
    /// The request failed on the way: DNS, connection, TLS, a connection reset, or the
    /// response body could not be read.
    #[error("the request failed")]
    Transport(#[source] TransportError),
    /// The request breaks a rule Graph documents; it was rejected locally and nothing was
    /// sent.
    #[error("invalid request, not sent: {0}")]
    Validation(ValidationError),
    /// The request could not be built (for example the body could not be serialized);
    /// nothing was sent.
    #[error(transparent)]
    Request(RequestError),
    /// The token provider could not supply an access token; nothing was sent.
    #[error(transparent)]
    Auth(AuthError),
    /// The client configuration is invalid (returned by
    /// [`GraphClientBuilder::build`](crate::GraphClientBuilder::build)).
    #[error(transparent)]
    Config(ConfigError),
    /// A link Graph gave (`@odata.nextLink`, `@odata.deltaLink`, or a delta link the
    /// caller stored) that does not go to the configured Graph origin and base path: not
    /// followed, so nothing was sent there and the access token did not leave.
    #[error(transparent)]
    ForeignLink(ForeignLink),
    /// The client is paused by a `429` for longer than this call may still wait for
    /// throttling ([`RetryPolicy::with_max_throttled_delay`](crate::RetryPolicy::with_max_throttled_delay));
    /// nothing was sent. [`Error::retry_after`] says how long the pause still holds.
    #[error(transparent)]
    Throttled(Throttled),
    /// Writing a content download to its destination failed (see
    /// [`Content::write_to`](crate::Content::write_to)); what was written stays written.
    #[error(transparent)]
    Write(WriteError),
}

impl Error {
    /// The HTTP status of the response this error came from, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::UnexpectedStatus(e) => Some(e.status()),
            Error::Decode(e) => e.status(),
            Error::Timeout(e) | Error::Transport(e) => e.source.status(),
            _ => None,
        }
    }

    /// The `request-id` Graph assigned to the request, if a response carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id(),
            Error::UnexpectedStatus(e) => e.request_id(),
            Error::Decode(e) => e.request_id(),
            _ => None,
        }
    }

    /// The `client-request-id` this client sent with the request (the same on every
    /// attempt of one call), if a request was sent.
    pub fn client_request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.client_request_id(),
            Error::UnexpectedStatus(e) => e.client_request_id(),
            Error::Decode(e) => e.client_request_id(),
            Error::Timeout(e) | Error::Transport(e) => e.client_request_id(),
            _ => None,
        }
    }

    /// The delay the server asked for with `Retry-After`, if it sent one (for
    /// [`Error::Throttled`], what is left of the client's pause).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after(),
            Error::Throttled(e) => Some(e.left()),
            _ => None,
        }
    }

    /// Whether this is an error response with the given status.
    pub fn is_status(&self, status: StatusCode) -> bool {
        self.status() == Some(status)
    }
}

impl From<ValidationError> for Error {
    fn from(err: ValidationError) -> Self {
        Error::Validation(err)
    }
}

impl From<AuthError> for Error {
    fn from(err: AuthError) -> Self {
        Error::Auth(err)
    }
}

impl From<ConfigError> for Error {
    fn from(err: ConfigError) -> Self {
        Error::Config(err)
    }
}

impl From<RequestError> for Error {
    fn from(err: RequestError) -> Self {
        Error::Request(err)
    }
}

impl From<GraphError> for Error {
    fn from(err: GraphError) -> Self {
        Error::Api(Box::new(err))
    }
}

impl From<DecodeError> for Error {
    fn from(err: DecodeError) -> Self {
        Error::Decode(Box::new(err))
    }
}

impl From<ForeignLink> for Error {
    fn from(err: ForeignLink) -> Self {
        Error::ForeignLink(err)
    }
}

impl From<UnexpectedStatus> for Error {
    fn from(err: UnexpectedStatus) -> Self {
        Error::UnexpectedStatus(Box::new(err))
    }
}

/// A request that could not be built is not a transport failure; a timeout is told apart
/// from other failures.
impl From<TransportError> for Error {
    fn from(err: TransportError) -> Self {
        if let Some(too_large) = find_source::<ResponseTooLarge>(&err.source) {
            Error::ResponseTooLarge(too_large.clone())
        } else if err.source.is_builder() {
            Error::Request(RequestError::new(
                "the request could not be built",
                Some(Box::new(err.source)),
            ))
        } else if err.source.is_timeout() {
            Error::Timeout(err)
        } else {
            Error::Transport(err)
        }
    }
}

/// Facts about the HTTP exchange that every error from a response carries.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) client_request_id: Option<String>,
    pub(crate) attempts: u32,
}

impl Exchange {
    fn header(&self, name: &str) -> Option<String> {
        header_string(&self.headers, name)
    }
}

pub(crate) fn header_string(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// The first error of type `T` in `err`'s source chain.
fn find_source<'a, T: std::error::Error + 'static>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

/// An error response from Microsoft Graph: a `4xx` or `5xx` status, with the details of
/// Graph's error body (`{"error": {"code", "message", "innerError": {…}}}`) when it had
/// one.
///
/// `Display` reads like
/// `403 Forbidden: ErrorAccessDenied: No application access policy found (request-id …)`.
#[derive(Debug, Clone)]
pub struct GraphError {
    exchange: Exchange,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    date: Option<String>,
    retry_after: Option<Duration>,
    body: Option<OdataError>,
    content_type: Option<String>,
    /// `None` when the body was decoded by the generated layer (its length is unknown).
    body_len: Option<usize>,
    snippet: Option<String>,
}

impl GraphError {
    /// Build from the exchange and the raw body; the body is parsed leniently (a missing
    /// `code` or `message` does not lose the other).
    pub(crate) fn from_body(exchange: Exchange, body: &[u8]) -> Self {
        let typed = serde_json::from_slice::<OdataError>(body).ok();
        match typed {
            Some(odata) => Self::from_typed(exchange, odata),
            None => {
                let lenient = Lenient::parse(body).unwrap_or_default();
                let useful = lenient.code.is_some() || lenient.message.is_some();
                let snippet = (!useful && !body.is_empty()).then(|| snippet(body));
                Self::assemble(exchange, lenient, None, Some(body.len()), snippet)
            }
        }
    }

    /// Build from the exchange and the error body progenitor already decoded.
    pub(crate) fn from_typed(exchange: Exchange, odata: OdataError) -> Self {
        let inner = odata.error.inner_error.as_ref();
        let lenient = Lenient {
            code: Some(odata.error.code.clone()),
            message: Some(odata.error.message.clone()),
            request_id: inner.and_then(|i| i.request_id.clone()),
            client_request_id: inner.and_then(|i| i.client_request_id.clone()),
            date: inner.and_then(|i| i.date.clone()),
        };
        Self::assemble(exchange, lenient, Some(odata), None, None)
    }

    fn assemble(
        mut exchange: Exchange,
        body: Lenient,
        typed: Option<OdataError>,
        body_len: Option<usize>,
        snippet: Option<String>,
    ) -> Self {
        let retry_after = exchange.header("retry-after").and_then(|v| {
            crate::runtime::retry::parse_retry_after(&v, std::time::SystemTime::now())
        });
        let request_id = exchange.header("request-id").or(body.request_id);
        if exchange.client_request_id.is_none() {
            exchange.client_request_id = exchange
                .header("client-request-id")
                .or(body.client_request_id);
        }
        let date = body.date.or_else(|| exchange.header("date"));
        let content_type = exchange.header("content-type");
        GraphError {
            code: body.code.filter(|c| !c.is_empty()),
            message: body.message.filter(|m| !m.is_empty()),
            request_id,
            date,
            retry_after,
            body: typed,
            content_type,
            body_len,
            snippet,
            exchange,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.exchange.status
    }

    /// Graph's error `code` (for example `ErrorAccessDenied`), if the body had one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// Graph's error `message`, if the body had one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The `request-id` of the request (from the response header, else from
    /// `innerError`); quote it when contacting Microsoft support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The `client-request-id` this client sent (the same on every attempt of one call).
    pub fn client_request_id(&self) -> Option<&str> {
        self.exchange.client_request_id.as_deref()
    }

    /// The date Graph processed the request: `innerError.date` as Graph sends it (for
    /// example `2019-07-11T02:17:17`, without an offset), else the `Date` header.
    pub fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }

    /// The delay the server asked for with `Retry-After` (seconds, possibly fractional,
    /// or an HTTP date, taken relative to the time the response arrived).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Graph's error body, when it was a well-formed Graph error (with `details`,
    /// `target`, and any property this version does not know).
    pub fn odata_error(&self) -> Option<&OdataError> {
        self.body.as_ref()
    }

    /// The start of the body (at most 512 bytes, lossily decoded as UTF-8) when it held
    /// no Graph error, for example the HTML page of a gateway.
    pub fn body_snippet(&self) -> Option<&str> {
        self.snippet.as_deref()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.exchange.headers
    }

    /// How many attempts were made (more than one when the call was retried).
    pub fn attempts(&self) -> u32 {
        self.exchange.attempts
    }
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.exchange.status)?;
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, ": {code}: {message}")?,
            (Some(code), None) => write!(f, ": {code}")?,
            (None, Some(message)) => write!(f, ": {message}")?,
            (None, None) => match self.body_len {
                Some(0) => f.write_str(": empty response body")?,
                Some(len) => {
                    f.write_str(": no Graph error in the response body (")?;
                    match &self.content_type {
                        Some(ct) => write!(f, "{ct}, ")?,
                        None => f.write_str("no content type, ")?,
                    }
                    write!(f, "{len} bytes)")?;
                }
                None => f.write_str(": an error without a code or message")?,
            },
        }
        match (&self.request_id, &self.exchange.client_request_id) {
            (Some(id), _) => write!(f, " (request-id {id})"),
            (None, Some(id)) => write!(f, " (client-request-id {id})"),
            (None, None) => Ok(()),
        }
    }
}

impl std::error::Error for GraphError {}

/// The fields of a Graph error body, each optional.
#[derive(Default)]
struct Lenient {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    client_request_id: Option<String>,
    date: Option<String>,
}

impl Lenient {
    /// `Some` when the body is a JSON object with an `error` object.
    fn parse(body: &[u8]) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        let error = value.get("error")?.as_object()?;
        let text = |obj: &serde_json::Map<String, serde_json::Value>, key: &str| {
            obj.get(key).and_then(|v| v.as_str()).map(str::to_owned)
        };
        let inner = error
            .get("innerError")
            .or_else(|| error.get("innererror"))
            .and_then(|v| v.as_object());
        Some(Lenient {
            code: text(error, "code"),
            message: text(error, "message"),
            request_id: inner.and_then(|i| text(i, "request-id")),
            client_request_id: inner.and_then(|i| text(i, "client-request-id")),
            date: inner.and_then(|i| text(i, "date")),
        })
    }
}

/// At most [`SNIPPET_LIMIT`] bytes of `body`, cut on a character boundary, with `…` when
/// cut.
pub(crate) fn snippet(body: &[u8]) -> String {
    if body.len() <= SNIPPET_LIMIT {
        return String::from_utf8_lossy(body).into_owned();
    }
    let mut end = SNIPPET_LIMIT;
    // `body[end]` is the first byte left out: back off while it continues a character.
    while end > 0
        && body
            .get(end)
            .is_some_and(|b| b & 0b1100_0000 == 0b1000_0000)
    {
        end -= 1;
    }
    let mut out = String::from_utf8_lossy(&body[..end]).into_owned();
    out.push('…');
    out
}

/// A response whose status the operation does not document, for example a redirect to
/// another host (which is never followed).
#[derive(Debug, Clone)]
pub struct UnexpectedStatus {
    exchange: Exchange,
    snippet: Option<String>,
}

impl UnexpectedStatus {
    /// Read the start of `response`'s body (enough for the snippet; errors reading it are
    /// ignored, it is only for the message).
    pub(crate) async fn read(exchange: Exchange, mut response: reqwest::Response) -> Self {
        let mut body = Vec::new();
        while body.len() <= SNIPPET_LIMIT {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                _ => break,
            }
        }
        let snippet = (!body.is_empty()).then(|| snippet(&body));
        UnexpectedStatus { exchange, snippet }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.exchange.status
    }

    /// The `Location` header, for a redirect.
    pub fn location(&self) -> Option<&str> {
        self.exchange
            .headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// The `request-id` response header, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.exchange
            .headers
            .get("request-id")
            .and_then(|v| v.to_str().ok())
    }

    /// The `client-request-id` this client sent.
    pub fn client_request_id(&self) -> Option<&str> {
        self.exchange.client_request_id.as_deref()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.exchange.headers
    }

    /// The start of the body (at most 512 bytes), if it had one.
    pub fn body_snippet(&self) -> Option<&str> {
        self.snippet.as_deref()
    }
}

impl fmt::Display for UnexpectedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected response status {}", self.exchange.status)?;
        if self.exchange.status.is_redirection() {
            match self.location() {
                Some(location) => write!(f, " (a redirect to {location}, not followed")?,
                None => f.write_str(" (a redirect, not followed")?,
            }
            f.write_str(": redirects are followed only within the configured Graph host)")?;
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request-id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnexpectedStatus {}

/// A success response whose body could not be decoded into the documented type.
#[derive(Debug)]
pub struct DecodeError {
    exchange: Option<Exchange>,
    snippet: String,
    source: serde_json::Error,
}

impl DecodeError {
    pub(crate) fn new(exchange: Option<Exchange>, body: &[u8], source: serde_json::Error) -> Self {
        DecodeError {
            exchange,
            snippet: snippet(body),
            source,
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> Option<StatusCode> {
        self.exchange.as_ref().map(|e| e.status)
    }

    /// The start of the body (at most 512 bytes, lossily decoded as UTF-8).
    pub fn body_snippet(&self) -> &str {
        &self.snippet
    }

    /// The `request-id` response header, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.exchange
            .as_ref()
            .and_then(|e| e.headers.get("request-id").and_then(|v| v.to_str().ok()))
    }

    /// The `client-request-id` this client sent.
    pub fn client_request_id(&self) -> Option<&str> {
        self.exchange
            .as_ref()
            .and_then(|e| e.client_request_id.as_deref())
    }

    /// The JSON error (it names the path inside the body where decoding failed).
    pub fn json_error(&self) -> &serde_json::Error {
        &self.source
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status() {
            Some(status) => write!(f, "could not decode the {status} response body: ")?,
            None => f.write_str("could not decode the response body: ")?,
        }
        write!(f, "{} (body starts: {:?})", self.source, self.snippet)
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A failure below HTTP (or a timeout), with the `reqwest` error as its source.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) source: reqwest::Error,
    pub(crate) client_request_id: Option<String>,
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error, client_request_id: &str) -> Self {
        TransportError {
            source,
            client_request_id: Some(client_request_id.to_owned()),
        }
    }

    /// Whether the request may be sent again when its operation is idempotent: a
    /// timeout, a connection failure, a failure while sending, or an answer cut off
    /// while its body was read (not a request that could not be built).
    pub(crate) fn may_retry(&self) -> bool {
        let err = &self.source;
        !err.is_builder()
            && (err.is_timeout() || err.is_connect() || err.is_request() || err.is_body())
    }

    /// The `client-request-id` this client sent, if the request got that far.
    pub fn client_request_id(&self) -> Option<&str> {
        self.client_request_id.as_deref()
    }

    /// The underlying `reqwest` error.
    pub fn reqwest_error(&self) -> &reqwest::Error {
        &self.source
    }
}

/// reqwest's own message (it names the URL); its sources, which say why, are this
/// error's sources.
impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.source)
    }
}

/// A response body larger than the client's limit: the client stopped reading it (when the
/// size was announced by `Content-Length`, without reading any of it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the response body is larger than the limit of {limit} bytes{}", announced_text(.announced))]
pub struct ResponseTooLarge {
    pub(crate) limit: usize,
    pub(crate) announced: Option<u64>,
}

fn announced_text(announced: &Option<u64>) -> String {
    announced.map_or_else(
        || " (sent without Content-Length; reading stopped at the limit)".to_owned(),
        |n| format!(" (Content-Length: {n}; not read)"),
    )
}

impl ResponseTooLarge {
    /// The limit, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The size the server announced with `Content-Length`, if it did.
    pub fn announced(&self) -> Option<u64> {
        self.announced
    }
}

/// A request that could not be built locally (for example a body that could not be
/// serialized).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct RequestError {
    message: String,
    #[source]
    source: Option<BoxError>,
}

impl RequestError {
    pub(crate) fn new(message: impl Into<String>, source: Option<BoxError>) -> Self {
        RequestError {
            message: message.into(),
            source,
        }
    }
}

/// The client's shared pause after a `429` outlasts what a call may wait: see
/// [`Error::Throttled`].
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "the client is throttled for another {left:?} (a 429's Retry-After), longer than this \
     call may still wait for throttling ({limit:?}); nothing was sent"
)]
pub struct Throttled {
    left: std::time::Duration,
    limit: std::time::Duration,
}

impl Throttled {
    pub(crate) fn new(left: std::time::Duration, limit: std::time::Duration) -> Self {
        Throttled { left, limit }
    }

    /// How long the client's pause still holds.
    pub fn left(&self) -> std::time::Duration {
        self.left
    }
}

impl From<Throttled> for Error {
    fn from(err: Throttled) -> Self {
        Error::Throttled(err)
    }
}

/// Writing a content download failed: how far it got, and the I/O error. See
/// [`Error::Write`].
#[derive(Debug, thiserror::Error)]
#[error(
    "writing the content of the call with client-request-id {client_request_id} failed \
     after {written} bytes"
)]
pub struct WriteError {
    written: u64,
    client_request_id: String,
    #[source]
    source: std::io::Error,
}

impl WriteError {
    pub(crate) fn new(written: u64, client_request_id: &str, source: std::io::Error) -> Self {
        WriteError {
            written,
            client_request_id: client_request_id.to_owned(),
            source,
        }
    }

    /// The bytes written before the failure (they stay written).
    pub fn written(&self) -> u64 {
        self.written
    }

    /// The `client-request-id` of the download.
    pub fn client_request_id(&self) -> &str {
        &self.client_request_id
    }
}

/// A link that leaves the configured Graph origin or base path: see
/// [`Error::ForeignLink`].
#[derive(Debug, thiserror::Error)]
#[error("refusing to follow `{link}`: {why} (nothing was sent)")]
pub struct ForeignLink {
    link: String,
    why: String,
}

impl ForeignLink {
    pub(crate) fn new(link: impl Into<String>, why: impl Into<String>) -> Self {
        ForeignLink {
            link: link.into(),
            why: why.into(),
        }
    }

    /// The link, as Graph (or the caller) gave it.
    pub fn link(&self) -> &str {
        &self.link
    }
}

/// The client configuration is invalid.
#[derive(Debug, thiserror::Error)]
#[error("invalid client configuration: {message}")]
pub struct ConfigError {
    message: String,
    #[source]
    source: Option<BoxError>,
}

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ConfigError {
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn with_source(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        ConfigError {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_bounded_and_cut_on_char_boundaries() {
        let long = "é".repeat(2000);
        let s = snippet(long.as_bytes());
        assert!(s.len() <= SNIPPET_LIMIT + '…'.len_utf8());
        assert!(!s.contains('\u{FFFD}'));
        assert!(s.ends_with('…'));
        assert_eq!(snippet(b"short"), "short");
        assert_eq!(snippet(b""), "");
    }

    #[test]
    fn error_is_small_send_and_sync() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert!(std::mem::size_of::<Error>() <= 64);
    }
}
