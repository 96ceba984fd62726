//! [`GraphClient`], its [`GraphClientBuilder`], the national clouds ([`Cloud`]) and API
//! versions ([`ApiVersion`]), and the [`Response`] of a call.

use std::fmt;
use std::net::IpAddr;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use progenitor_client::ResponseValue;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{StatusCode, Url};
use secrecy::SecretString;
use tracing::Instrument;

use crate::auth::{StaticToken, TokenProvider};
use crate::error::{
    ConfigError, DecodeError, Error, Exchange, GraphError, RequestError, Result, TransportError,
    UnexpectedStatus,
};
use crate::generated;
use crate::hooks::{CallState, Context, Shared, USER_AGENT, call_span};
use crate::meetings::{CreateOrGet, validate_user_id};
use crate::retry::RetryPolicy;
use crate::types::{CreateOrGetRequest, OdataError, OnlineMeeting};

/// A Microsoft Graph deployment: the global service or a national cloud.
///
/// Each has its own Graph host, and tokens are requested for that host's `.default`
/// scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Cloud {
    /// The global service: `https://graph.microsoft.com`.
    #[default]
    Global,
    /// Microsoft Graph for US Government L4 (GCC High): `https://graph.microsoft.us`.
    UsGovL4,
    /// Microsoft Graph for US Government L5 (DoD): `https://dod-graph.microsoft.us`.
    UsGovL5Dod,
    /// Microsoft Graph China operated by 21Vianet:
    /// `https://microsoftgraph.chinacloudapi.cn`. (Graph documents the online-meeting
    /// endpoints as not available there.)
    China,
}

impl Cloud {
    /// The Graph host of this cloud, without a path (`https://graph.microsoft.com`).
    pub fn base_url(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGovL4 => "https://graph.microsoft.us",
            Cloud::UsGovL5Dod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The scope tokens are requested for (`https://graph.microsoft.com/.default`).
    pub fn scope(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com/.default",
            Cloud::UsGovL4 => "https://graph.microsoft.us/.default",
            Cloud::UsGovL5Dod => "https://dod-graph.microsoft.us/.default",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn/.default",
        }
    }
}

/// The version segment of Graph's URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ApiVersion {
    /// `v1.0`, the supported version.
    #[default]
    V1,
    /// `beta`: subject to change, not supported for production use.
    Beta,
}

impl ApiVersion {
    /// The URL segment: `v1.0` or `beta`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A successful result with the facts of its response: status, `request-id`, the
/// `client-request-id` that was sent, headers and the number of attempts.
///
/// It dereferences to the value.
#[derive(Debug, Clone)]
pub struct Response<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
    client_request_id: String,
    attempts: u32,
}

impl Response<OnlineMeeting> {
    /// A createOrGet answer: [`CreateOrGet::Created`] for `201`, else `Existing`.
    fn into_create_or_get(self) -> Response<CreateOrGet> {
        let status = self.status;
        self.map(|meeting| CreateOrGet::from_status(status, meeting))
    }
}

impl<T> Response<T> {
    /// The value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The value, without the rest.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The `request-id` Graph assigned (quote it when contacting Microsoft support).
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("request-id").and_then(|v| v.to_str().ok())
    }

    /// The `client-request-id` this client sent (the same on every attempt).
    pub fn client_request_id(&self) -> &str {
        &self.client_request_id
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// How many attempts the call took (more than one when it was retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The same response with its value transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            value: f(self.value),
            status: self.status,
            headers: self.headers,
            client_request_id: self.client_request_id,
            attempts: self.attempts,
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// The client for Microsoft Graph online meetings: create a meeting, or create-or-get
/// one by its `externalId`, for the signed-in user (`/me`) or for a given user.
///
/// Cheap to clone (the clones share their connection pool and token provider); build it
/// with [`GraphClient::builder`].
///
/// ```no_run
/// # async fn run() -> Result<(), graph_online_meetings::Error> {
/// use graph_online_meetings::{ApiVersion, Cloud, CreateOrGet, GraphClient};
/// use graph_online_meetings::types::CreateOrGetRequest;
///
/// let client = GraphClient::builder()
///     .cloud(Cloud::Global)
///     .api_version(ApiVersion::V1)
///     .bearer_token(std::env::var("GRAPH_TOKEN").unwrap_or_default())
///     .build()?;
/// let request = CreateOrGetRequest::new("ticket-4711").with_subject("Incident review");
/// match client.create_or_get(&request).await? {
///     CreateOrGet::Created(meeting) => println!("new: {:?}", meeting.join_web_url),
///     CreateOrGet::Existing(meeting) => println!("existing: {:?}", meeting.join_web_url),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct GraphClient {
    raw: generated::Client,
    cloud: Cloud,
    api_version: ApiVersion,
}

impl fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClient")
            .field("base_url", &self.raw.inner.shared.base.as_str())
            .field("cloud", &self.cloud)
            .field("api_version", &self.api_version)
            .field("scope", &self.raw.inner.shared.scope)
            .field("retry", &self.raw.inner.shared.retry)
            .finish_non_exhaustive()
    }
}

impl GraphClient {
    /// A builder: the global cloud, `v1.0`, the default [`RetryPolicy`], and a token
    /// provider to set.
    pub fn builder() -> GraphClientBuilder {
        GraphClientBuilder::default()
    }

    /// The generated (progenitor) client, as an escape hatch: every operation of the
    /// OpenAPI document, with progenitor's `ResponseValue` and `Error` types.
    ///
    /// Its requests go through the same hooks as this client's (token, headers,
    /// retries, the check that the token goes only to the configured Graph host), but
    /// without this client's validation: a `userId` of `.` or `..` is refused by the
    /// hooks (the URL no longer has the operation's shape) with progenitor's error
    /// instead of a [`ValidationError`](crate::ValidationError).
    pub fn raw(&self) -> &generated::Client {
        &self.raw
    }

    /// The cloud whose scope tokens are requested for.
    pub fn cloud(&self) -> Cloud {
        self.cloud
    }

    /// The API version in the URLs.
    pub fn api_version(&self) -> ApiVersion {
        self.api_version
    }

    /// The base URL of the calls, version included (`https://graph.microsoft.com/v1.0`).
    pub fn base_url(&self) -> &Url {
        &self.raw.inner.shared.base
    }

    /// Create an online meeting for the signed-in user (`POST /me/onlineMeetings`,
    /// delegated permission `OnlineMeetings.ReadWrite`).
    ///
    /// Not idempotent: it is retried only after a `429` (the request was refused, not
    /// processed), never after a timeout or a `5xx`. Use
    /// [`create_or_get`](Self::create_or_get) to create safely with retries.
    pub async fn create_online_meeting(&self, meeting: &OnlineMeeting) -> Result<OnlineMeeting> {
        self.create_online_meeting_with_response(meeting)
            .await
            .map(Response::into_inner)
    }

    /// [`create_online_meeting`](Self::create_online_meeting), with the facts of the
    /// response (`request-id`, status, headers).
    pub async fn create_online_meeting_with_response(
        &self,
        meeting: &OnlineMeeting,
    ) -> Result<Response<OnlineMeeting>> {
        meeting.validate()?;
        let call = self.call("create_online_meeting");
        let result = call
            .client
            .create_online_meeting(meeting)
            .instrument(call.span.clone())
            .await;
        call.finish(result).await
    }

    /// Create an online meeting with an `externalId` for the signed-in user, or get the
    /// one that already has it (`POST /me/onlineMeetings/createOrGet`).
    ///
    /// Idempotent by `externalId`: retried on `429`, `503`, `504`, timeouts and
    /// connection failures.
    pub async fn create_or_get(&self, request: &CreateOrGetRequest) -> Result<CreateOrGet> {
        self.create_or_get_with_response(request)
            .await
            .map(Response::into_inner)
    }

    /// [`create_or_get`](Self::create_or_get), with the facts of the response.
    pub async fn create_or_get_with_response(
        &self,
        request: &CreateOrGetRequest,
    ) -> Result<Response<CreateOrGet>> {
        request.validate()?;
        let call = self.call("create_or_get_online_meeting");
        let result = call
            .client
            .create_or_get_online_meeting(request)
            .instrument(call.span.clone())
            .await;
        call.finish(result).await.map(Response::into_create_or_get)
    }

    /// Create an online meeting with an `externalId` on behalf of a user, or get the one
    /// that already has it (`POST /users/{userId}/onlineMeetings/createOrGet`,
    /// application permission `OnlineMeetings.ReadWrite.All` and an application access
    /// policy).
    ///
    /// `user_id` is the user's object ID or userPrincipalName. It is percent-encoded
    /// into one path segment (everything but `A-Z a-z 0-9 - . _ ~`); an empty `user_id`,
    /// `.` or `..` is rejected with [`ValidationError`](crate::ValidationError) and
    /// nothing is sent.
    pub async fn create_or_get_for_user(
        &self,
        user_id: &str,
        request: &CreateOrGetRequest,
    ) -> Result<CreateOrGet> {
        self.create_or_get_for_user_with_response(user_id, request)
            .await
            .map(Response::into_inner)
    }

    /// [`create_or_get_for_user`](Self::create_or_get_for_user), with the facts of the
    /// response.
    pub async fn create_or_get_for_user_with_response(
        &self,
        user_id: &str,
        request: &CreateOrGetRequest,
    ) -> Result<Response<CreateOrGet>> {
        validate_user_id(user_id)?;
        request.validate()?;
        let call = self.call("create_or_get_online_meeting_for_user");
        let result = call
            .client
            .create_or_get_online_meeting_for_user(user_id, request)
            .instrument(call.span.clone())
            .await;
        call.finish(result).await.map(Response::into_create_or_get)
    }

    /// A generated client for one call of `operation` (the generated client's
    /// operation id), sharing this client's pool and configuration.
    fn call(&self, operation: &str) -> Call {
        let state = Arc::new(CallState::new());
        let span = call_span(operation, &state.client_request_id);
        let context = Context {
            shared: Arc::clone(&self.raw.inner.shared),
            call: Some(Arc::clone(&state)),
        };
        Call {
            client: generated::Client::new_with_client(
                &self.raw.baseurl,
                self.raw.client.clone(),
                context,
            ),
            state,
            span,
        }
    }
}

struct Call {
    client: generated::Client,
    state: Arc<CallState>,
    span: tracing::Span,
}

impl Call {
    /// Turn the generated layer's result into this crate's, with what the hooks recorded.
    async fn finish(
        self,
        result: std::result::Result<
            ResponseValue<OnlineMeeting>,
            progenitor_client::Error<OdataError>,
        >,
    ) -> Result<Response<OnlineMeeting>> {
        let client_request_id = self.state.client_request_id.clone();
        let (refused, response, attempts) = self
            .state
            .with_record(|r| (r.refused.take(), r.response.take(), r.attempts));
        let exchange = |status: StatusCode, headers: HeaderMap| Exchange {
            status,
            headers,
            client_request_id: Some(client_request_id.clone()),
            attempts,
        };
        let transport = |source: reqwest::Error| {
            let err = TransportError {
                source,
                client_request_id: Some(client_request_id.clone()),
            };
            if err.source.is_builder() {
                Error::Request(RequestError::new(
                    "the request could not be built",
                    Some(Box::new(err.source)),
                ))
            } else if err.source.is_timeout() {
                Error::Timeout(err)
            } else {
                Error::Transport(err)
            }
        };
        use progenitor_client::Error as Raw;
        match result {
            Ok(value) => {
                let status = value.status();
                let headers = value.headers().clone();
                Ok(Response {
                    value: value.into_inner(),
                    status,
                    headers,
                    client_request_id,
                    attempts,
                })
            }
            Err(Raw::ErrorResponse(value)) => {
                let status = value.status();
                let headers = value.headers().clone();
                Err(Error::Api(Box::new(GraphError::from_typed(
                    exchange(status, headers),
                    value.into_inner(),
                ))))
            }
            Err(Raw::InvalidResponsePayload(body, source)) => match response {
                Some((status, headers)) if status.is_client_error() || status.is_server_error() => {
                    Err(Error::Api(Box::new(GraphError::from_body(
                        exchange(status, headers),
                        &body,
                    ))))
                }
                Some((status, headers)) => Err(Error::Decode(Box::new(DecodeError::new(
                    Some(exchange(status, headers)),
                    &body,
                    source,
                )))),
                None => Err(Error::Decode(Box::new(DecodeError::new(
                    None, &body, source,
                )))),
            },
            Err(Raw::UnexpectedResponse(response)) => {
                let status = response.status();
                let headers = response.headers().clone();
                // The body of an unexpected response is only for the error's snippet.
                let body = read_limited(response).await;
                Err(Error::UnexpectedStatus(Box::new(UnexpectedStatus::new(
                    exchange(status, headers),
                    &body,
                ))))
            }
            Err(
                Raw::CommunicationError(err)
                | Raw::ResponseBodyError(err)
                | Raw::InvalidUpgrade(err),
            ) => Err(transport(err)),
            Err(Raw::InvalidRequest(message) | Raw::Custom(message)) => {
                Err(refused.unwrap_or_else(|| Error::Request(RequestError::new(message, None))))
            }
        }
    }
}

/// The start of a body, enough for an error's snippet; errors reading it are ignored.
async fn read_limited(mut response: reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() <= crate::error::SNIPPET_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body
}

/// Builds a [`GraphClient`].
///
/// ```
/// use std::time::Duration;
/// use graph_online_meetings::{ApiVersion, Cloud, GraphClient, RetryPolicy};
///
/// let client = GraphClient::builder()
///     .cloud(Cloud::UsGovL4)
///     .api_version(ApiVersion::Beta)
///     .bearer_token("eyJ0eXAi…")
///     .accept_language("de-DE")
///     .timeout(Duration::from_secs(20))
///     .retry_policy(RetryPolicy::default().with_max_attempts(3))
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "https://graph.microsoft.us/beta");
/// # Ok::<(), graph_online_meetings::Error>(())
/// ```
pub struct GraphClientBuilder {
    cloud: Cloud,
    api_version: ApiVersion,
    base_url: Option<String>,
    scope: Option<String>,
    token_provider: Option<Arc<dyn TokenProvider>>,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    accept_language: Option<String>,
    include_unknown_enum_members: bool,
}

impl Default for GraphClientBuilder {
    fn default() -> Self {
        GraphClientBuilder {
            cloud: Cloud::Global,
            api_version: ApiVersion::V1,
            base_url: None,
            scope: None,
            token_provider: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            accept_language: None,
            include_unknown_enum_members: true,
        }
    }
}

impl fmt::Debug for GraphClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClientBuilder")
            .field("cloud", &self.cloud)
            .field("api_version", &self.api_version)
            .field("base_url", &self.base_url.as_ref().map(|_| ".."))
            .field("scope", &self.scope)
            .field(
                "token_provider",
                &self.token_provider.as_ref().map(|_| ".."),
            )
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("accept_language", &self.accept_language)
            .field(
                "include_unknown_enum_members",
                &self.include_unknown_enum_members,
            )
            .finish()
    }
}

impl GraphClientBuilder {
    /// The national cloud: its Graph host and its token scope. [`Cloud::Global`] by
    /// default.
    #[must_use]
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.cloud = cloud;
        self
    }

    /// The API version of the URLs. [`ApiVersion::V1`] by default.
    #[must_use]
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.api_version = version;
        self
    }

    /// Replace the cloud's host, for example with an emulator or a proxy; the version
    /// segment is still appended (`http://127.0.0.1:8080` with [`ApiVersion::V1`] calls
    /// `http://127.0.0.1:8080/v1.0/me/onlineMeetings`). Tokens are still requested for the
    /// cloud's scope (see [`scope`](Self::scope)).
    ///
    /// Accepts `&str`, `String` or [`Url`]. Checked by [`build`](Self::build): `https`,
    /// or `http` for a loopback host only (`127.0.0.0/8`, `::1`, `localhost`); no user
    /// name or password, query or fragment. A path is kept as a prefix (a proxy at
    /// `https://proxy.example/graph` gives `https://proxy.example/graph/v1.0/…`), but must
    /// not end with a version segment (`v1.0`, `beta`): that is set with
    /// [`api_version`](Self::api_version).
    #[must_use]
    pub fn base_url(mut self, url: impl AsRef<str>) -> Self {
        self.base_url = Some(url.as_ref().to_owned());
        self
    }

    /// The OAuth scope to request tokens for, instead of the cloud's
    /// (`https://graph.microsoft.com/.default` for [`Cloud::Global`]).
    #[must_use]
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Where access tokens come from: any [`TokenProvider`], such as
    /// [`AzureTokenProvider`](crate::auth::azure::AzureTokenProvider) (feature `azure`).
    #[must_use]
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.token_provider = Some(Arc::new(provider));
        self
    }

    /// A fixed access token (without `Bearer `), never refreshed: a [`StaticToken`].
    #[must_use]
    pub fn bearer_token(self, token: impl Into<SecretString>) -> Self {
        self.token_provider(StaticToken::new(token))
    }

    /// An `azure_core` credential, such as `azure_identity`'s `ClientSecretCredential`,
    /// as the token provider (feature `azure`).
    #[cfg(feature = "azure")]
    #[must_use]
    pub fn token_credential(
        self,
        credential: Arc<dyn azure_core::credentials::TokenCredential>,
    ) -> Self {
        self.token_provider(crate::auth::azure::AzureTokenProvider::new(credential))
    }

    /// How calls are retried; [`RetryPolicy::disabled`] turns retries off.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The time limit of one attempt, from sending the request to reading the whole
    /// response. 30 s by default.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time limit for establishing a connection. 10 s by default.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Send `Accept-Language` (for example `ja-JP`): Graph then returns the meeting's
    /// `joinInformation` in that language.
    #[must_use]
    pub fn accept_language(mut self, language: impl Into<String>) -> Self {
        self.accept_language = Some(language.into());
        self
    }

    /// Whether to send `Prefer: include-unknown-enum-members` (on by default), so that
    /// Graph returns enumeration members added after `unknownFutureValue` instead of
    /// `unknownFutureValue` itself. The models keep members they do not know.
    #[must_use]
    pub fn include_unknown_enum_members(mut self, include: bool) -> Self {
        self.include_unknown_enum_members = include;
        self
    }

    /// Check the configuration and build the client.
    ///
    /// Fails with [`Error::Config`] when no token provider was set, the base URL is not
    /// acceptable (see [`base_url`](Self::base_url)) or a header value is invalid.
    pub fn build(self) -> Result<GraphClient> {
        let token_provider = self.token_provider.ok_or_else(|| {
            ConfigError::new(
                "no token provider: call .token_provider(…) or .bearer_token(…) on the builder",
            )
        })?;
        let (host, loopback) = match &self.base_url {
            Some(url) => checked_base_url(url)?,
            None => checked_base_url(self.cloud.base_url())?,
        };
        let base = with_version(host, self.api_version)?;
        let accept_language = self
            .accept_language
            .map(|language| {
                HeaderValue::try_from(language)
                    .map_err(|err| ConfigError::with_source("invalid Accept-Language value", err))
            })
            .transpose()?;
        let origin = base.origin();
        let redirect = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("too many redirects")
            } else if attempt.url().origin() == origin {
                attempt.follow()
            } else {
                // The request carries the access token: never to another origin.
                attempt.stop()
            }
        });
        let mut http = reqwest::Client::builder()
            .redirect(redirect)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout);
        if loopback {
            // An emulator on this machine: a proxy from the environment would not reach it
            // (and would see the token).
            http = http.no_proxy();
        }
        let http = http
            .build()
            .map_err(|err| ConfigError::with_source("could not build the HTTP client", err))?;
        let shared = Shared {
            token_provider,
            scope: self.scope.unwrap_or_else(|| self.cloud.scope().to_owned()),
            base,
            retry: self.retry,
            prefer: self
                .include_unknown_enum_members
                .then(|| HeaderValue::from_static("include-unknown-enum-members")),
            accept_language,
            user_agent: HeaderValue::from_static(USER_AGENT),
        };
        let baseurl = shared.base.as_str().to_owned();
        let context = Context {
            shared: Arc::new(shared),
            call: None,
        };
        Ok(GraphClient {
            raw: generated::Client::new_with_client(&baseurl, http, context),
            cloud: self.cloud,
            api_version: self.api_version,
        })
    }
}

/// Parse and check a base URL (see [`GraphClientBuilder::base_url`]); also whether its
/// host is a loopback host. Errors do not repeat the URL, which could hold credentials.
fn checked_base_url(input: &str) -> Result<(Url, bool), ConfigError> {
    let url = Url::parse(input.trim())
        .map_err(|err| ConfigError::with_source("the base URL is not a valid URL", err))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ConfigError::new(
            "the base URL must not contain a user name or password",
        ));
    }
    let Some(host) = url.host() else {
        return Err(ConfigError::new("the base URL has no host"));
    };
    let loopback = match host {
        url::Host::Domain(domain) => domain.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => IpAddr::V4(ip).is_loopback(),
        url::Host::Ipv6(ip) => IpAddr::V6(ip).is_loopback(),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(ConfigError::new(format!(
                "the base URL uses http for {}: http is allowed only for a loopback host \
                 (127.0.0.0/8, ::1, localhost); use https",
                url.origin().ascii_serialization()
            )));
        }
        other => {
            return Err(ConfigError::new(format!(
                "the base URL has the scheme `{other}`; use https"
            )));
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::new(
            "the base URL must not have a query or a fragment",
        ));
    }
    let last = url
        .path()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    if ["v1.0", "beta"]
        .iter()
        .any(|v| last.eq_ignore_ascii_case(v))
    {
        return Err(ConfigError::new(format!(
            "the base URL ends with the version segment `{last}`; give the host only and \
             choose the version with .api_version(…)"
        )));
    }
    Ok((url, loopback))
}

/// The base URL with the version segment appended to its path.
fn with_version(mut url: Url, version: ApiVersion) -> Result<Url, ConfigError> {
    let path = format!("{}/{}", url.path().trim_end_matches('/'), version.as_str());
    url.set_path(&path);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_keep_their_path_and_get_the_version() {
        let check = |input: &str, version| {
            checked_base_url(input)
                .and_then(|(url, _)| with_version(url, version))
                .map(|url| url.as_str().to_owned())
                .map_err(|err| err.to_string())
        };
        assert_eq!(
            check("http://127.0.0.1:8080", ApiVersion::V1).as_deref(),
            Ok("http://127.0.0.1:8080/v1.0")
        );
        assert_eq!(
            check("https://proxy.example/graph/", ApiVersion::Beta).as_deref(),
            Ok("https://proxy.example/graph/beta")
        );
        assert_eq!(
            check("http://[::1]:9000/", ApiVersion::V1).as_deref(),
            Ok("http://[::1]:9000/v1.0")
        );
        assert_eq!(
            check("http://LocalHost", ApiVersion::V1).as_deref(),
            Ok("http://localhost/v1.0")
        );
        for bad in [
            "http://graph.microsoft.com",
            "http://10.0.0.1:8080",
            "ftp://127.0.0.1",
            "https://user:secret@graph.microsoft.com",
            "https://graph.microsoft.com/?x=1",
            "https://graph.microsoft.com/#x",
            "https://graph.microsoft.com/v1.0",
            "not a url",
            "",
        ] {
            let err = check(bad, ApiVersion::V1).expect_err(bad);
            assert!(!err.contains("secret"), "{err}");
        }
    }
}
