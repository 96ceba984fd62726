//! [`GraphClient`], its [`GraphClientBuilder`], the national clouds ([`Cloud`]) and API
//! versions ([`ApiVersion`]).

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;
use secrecy::SecretString;

use crate::generated;
use crate::runtime::auth::{StaticToken, TokenProvider};
use crate::runtime::budget::DEFAULT_MAX_IN_FLIGHT;
use crate::runtime::call::{self, Call, RawResult};
use crate::runtime::context::{ClientConfig, Context, USER_AGENT};
use crate::runtime::error::{ConfigError, Result};
use crate::runtime::response::Response;
use crate::runtime::retry::RetryPolicy;

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

/// The client for Microsoft Graph.
///
/// Each resource adds its handles to it, with one method per operation: for online
/// meetings, [`me`](Self::me) (the signed-in user's, with a delegated token) and
/// [`user`](Self::user) (a given user's). Every call returns a [`Response`]: the value (it
/// dereferences to it) with the status, `request-id`, `client-request-id`, headers and
/// number of attempts; or one [`Error`](crate::Error).
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
/// match client.me().create_or_get(&request).await?.into_inner() {
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
        let config = self.config();
        f.debug_struct("GraphClient")
            .field("base_url", &config.base.as_str())
            .field("cloud", &self.cloud)
            .field("api_version", &self.api_version)
            .field("scope", &config.scope)
            .field("retry", &config.retry)
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
    /// Its requests go through the same hooks as this client's (token, headers, the
    /// check that the token goes only to the configured Graph host, in the shape of the
    /// operation's path), but make one attempt (no retries) and skip this client's
    /// validation: a path parameter of `.` or `..` is refused by the hooks with
    /// progenitor's error instead of a [`ValidationError`](crate::ValidationError).
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
        &self.config().base
    }

    fn config(&self) -> &ClientConfig {
        &self.raw.inner.config
    }

    /// Run one call through the call loop: `call` calls one generated call method (see
    /// `call`) of the generated client it is given.
    pub(crate) async fn run<'a, T, Fut>(
        &'a self,
        mut call: impl FnMut(&'a generated::Client) -> Call<Fut>,
    ) -> Result<Response<T>>
    where
        Fut: Future<Output = RawResult<T>>,
    {
        call::run(self.config(), || call(&self.raw)).await
    }
}

/// A reqwest client for `base`: redirects followed only on its origin, no proxy for a
/// loopback host, and the read timeout `stall` if any.
fn http_client(
    base: &Url,
    loopback: bool,
    connect_timeout: Duration,
    stall: Option<Duration>,
) -> Result<reqwest::Client> {
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
        .connect_timeout(connect_timeout);
    if let Some(stall) = stall {
        http = http.read_timeout(stall);
    }
    if loopback {
        // An emulator on this machine: a proxy from the environment would not reach it
        // (and would see the token).
        http = http.no_proxy();
    }
    http.build()
        .map_err(|err| ConfigError::with_source("could not build the HTTP client", err).into())
}

/// The default of [`GraphClientBuilder::max_response_bytes`]: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

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
    /// The token of [`bearer_token`](Self::bearer_token), whose header the client makes
    /// once.
    fixed_token: Option<SecretString>,
    retry: RetryPolicy,
    timeout: Duration,
    stall_timeout: Duration,
    connect_timeout: Duration,
    max_response_bytes: usize,
    accept_language: Option<String>,
    preferences: Vec<String>,
    include_unknown_enum_members: bool,
    shared_throttling: bool,
    max_in_flight: usize,
}

impl Default for GraphClientBuilder {
    fn default() -> Self {
        GraphClientBuilder {
            cloud: Cloud::Global,
            api_version: ApiVersion::V1,
            base_url: None,
            scope: None,
            token_provider: None,
            fixed_token: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
            stall_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            accept_language: None,
            preferences: Vec::new(),
            include_unknown_enum_members: true,
            shared_throttling: true,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
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
            .field("stall_timeout", &self.stall_timeout)
            .field("shared_throttling", &self.shared_throttling)
            .field("max_in_flight", &self.max_in_flight)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("accept_language", &self.accept_language)
            .field("preferences", &self.preferences)
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
    /// `auth::azure::AzureTokenProvider` (feature `azure`).
    #[must_use]
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.token_provider = Some(Arc::new(provider));
        self.fixed_token = None;
        self
    }

    /// A fixed access token (without `Bearer `), never refreshed: a [`StaticToken`].
    #[must_use]
    pub fn bearer_token(self, token: impl Into<SecretString>) -> Self {
        let token = token.into();
        let mut builder = self.token_provider(StaticToken::new(token.clone()));
        builder.fixed_token = Some(token);
        builder
    }

    /// An `azure_core` credential, such as `azure_identity`'s `ClientSecretCredential`,
    /// as the token provider (feature `azure`).
    #[cfg(feature = "azure")]
    #[must_use]
    pub fn token_credential(
        self,
        credential: Arc<dyn azure_core::credentials::TokenCredential>,
    ) -> Self {
        self.token_provider(crate::runtime::auth::azure::AzureTokenProvider::new(
            credential,
        ))
    }

    /// How calls are retried; [`RetryPolicy::disabled`] turns retries off.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The time limit of one attempt of a JSON call, from sending the request to reading
    /// the whole response. 30 s by default. Content downloads (a transcript's or a
    /// recording's bytes) have no such limit, since a large recording takes as long as it
    /// takes; the [`stall_timeout`](Self::stall_timeout) bounds them instead.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest a content download (a transcript's or a recording's bytes) waits
    /// for the next bytes of its answer, headers or body: one that stalls longer fails
    /// with [`Error::Timeout`](crate::Error::Timeout). 30 s by default. (A JSON call is
    /// bounded by [`timeout`](Self::timeout) as a whole.)
    #[must_use]
    pub fn stall_timeout(mut self, timeout: Duration) -> Self {
        self.stall_timeout = timeout;
        self
    }

    /// The largest response body the client reads, in bytes: 16 MiB by default (Graph's
    /// meeting bodies are a few KiB). A larger body is
    /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge), whether announced by
    /// `Content-Length` (then none of it is read) or streamed without one (then reading
    /// stops at the limit); either way at most the limit is held in memory.
    #[must_use]
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
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

    /// A preference every request sends in `Prefer` (for example
    /// `outlook.timezone="Pacific Standard Time"` or `odata.maxpagesize=50`, where Graph
    /// documents one), beside the client's own `include-unknown-enum-members`: all of them
    /// go out as one header, with any a request carries itself (a header parameter given
    /// through the [`raw`](GraphClient::raw) client). Call it once per preference.
    #[must_use]
    pub fn prefer(mut self, preference: impl Into<String>) -> Self {
        self.preferences.push(preference.into());
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

    /// Whether the client's calls, and its clones', share one budget against Graph's
    /// throttling (on by default): a `429`'s `Retry-After` pauses every new attempt of
    /// the client until it has passed; the rate the server took is measured at each
    /// `429`, and new attempts are paced at it from then on (growing back while nothing
    /// is refused); and at most [`max_in_flight`](Self::max_in_flight) attempts run at
    /// once. A client never refused is never paced. Off, each call waits out only its own
    /// `429`s and nothing bounds or paces the calls in flight.
    #[must_use]
    pub fn shared_throttling(mut self, shared: bool) -> Self {
        self.shared_throttling = shared;
        self
    }

    /// The most attempts of this client (and its clones) in flight at once when
    /// throttling is shared: [`DEFAULT_MAX_IN_FLIGHT`](crate::DEFAULT_MAX_IN_FLIGHT) (16)
    /// by default; 0 is refused by [`build`](Self::build). More calls wait their turn. A
    /// new client starts with 4 places and gains one for each round of answers that were
    /// not refused, up to this bound. An attempt holds its place until its answer is read
    /// (a content download's body is streamed after it, without one); the
    /// [`raw`](GraphClient::raw) client is outside the budget.
    ///
    /// The default needs no tuning for throttling (the pacing does that). Raise it when
    /// calls are slow and the tenant's limit high: 16 in flight at 200 ms a call is about
    /// 80 calls a second. Lower it to spare a server that never answers `429`.
    #[must_use]
    pub fn max_in_flight(mut self, attempts: usize) -> Self {
        self.max_in_flight = attempts;
        self
    }

    /// Check the configuration and build the client.
    ///
    /// Fails with [`Error::Config`](crate::Error::Config) when no token provider was set, the base URL is not
    /// acceptable (see [`base_url`](Self::base_url)) or a header value is invalid.
    pub fn build(self) -> Result<GraphClient> {
        if self.shared_throttling && self.max_in_flight == 0 {
            return Err(ConfigError::new(
                "max_in_flight is 0: no call could ever start (use at least 1, or \
                 shared_throttling(false) for no bound)",
            )
            .into());
        }
        let token_provider = self.token_provider.ok_or_else(|| {
            ConfigError::new(
                "no token provider: call .token_provider(…) or .bearer_token(…) on the builder",
            )
        })?;
        let (host, loopback) = match &self.base_url {
            Some(url) => checked_base_url(url)?,
            None => checked_base_url(self.cloud.base_url())?,
        };
        let base = with_version(host, self.api_version);
        let accept_language = self
            .accept_language
            .map(|language| {
                HeaderValue::try_from(language)
                    .map_err(|err| ConfigError::with_source("invalid Accept-Language value", err))
            })
            .transpose()?;
        let mut preferences = self.preferences;
        if self.include_unknown_enum_members {
            preferences.push("include-unknown-enum-members".to_owned());
        }
        let prefer = (!preferences.is_empty())
            .then(|| {
                HeaderValue::try_from(preferences.join(", ")).map_err(|err| {
                    ConfigError::with_source("invalid Prefer value (a preference)", err)
                })
            })
            .transpose()?;
        install_tls_provider();
        let http = http_client(&base, loopback, self.connect_timeout, None)?;
        // Content gets a client of its own, with reqwest's read timeout as the stall
        // timeout: that timer costs every read, measurably so for the JSON calls, whose
        // total timeout already bounds them (docs/performance.md).
        let content_http = http_client(
            &base,
            loopback,
            self.connect_timeout,
            Some(self.stall_timeout),
        )?;
        // A token that is not a header value gets no fixed header: each call then fails
        // with the provider's `AuthError`, as for any provider.
        let fixed_authorization = self.fixed_token.as_ref().and_then(|token| {
            use secrecy::ExposeSecret;
            crate::runtime::context::bearer(token.expose_secret()).ok()
        });
        let config = ClientConfig {
            token_provider,
            fixed_authorization,
            scope: self.scope.unwrap_or_else(|| self.cloud.scope().to_owned()),
            base,
            retry: self.retry,
            prefer,
            accept_language,
            user_agent: HeaderValue::from_static(USER_AGENT),
            max_response_bytes: self.max_response_bytes,
            timeout: self.timeout,
            content_http,
            budget: self
                .shared_throttling
                .then(|| crate::runtime::budget::Budget::new(self.max_in_flight)),
        };
        let baseurl = config.base.as_str().to_owned();
        let context = Context {
            config: Arc::new(config),
        };
        Ok(GraphClient {
            raw: generated::Client::new_with_client(&baseurl, http, context),
            cloud: self.cloud,
            api_version: self.api_version,
        })
    }
}

/// Makes ring rustls's process-wide provider when the `tls-ring` feature is on, before a
/// reqwest client is built: reqwest without its own provider uses that default.
pub(crate) fn install_tls_provider() {
    #[cfg(all(feature = "tls-ring", not(feature = "tls-aws-lc")))]
    {
        // `Err` means one is installed already (by the application or an earlier
        // client): that one is kept.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Whether `host` is a loopback host (`127.0.0.0/8`, `::1`, `localhost`): the only hosts
/// that may be reached over plain `http`.
pub(crate) fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(domain) => domain.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
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
    let loopback = is_loopback(&host);
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
fn with_version(mut url: Url, version: ApiVersion) -> Url {
    let path = format!("{}/{}", url.path().trim_end_matches('/'), version.as_str());
    url.set_path(&path);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_keep_their_path_and_get_the_version() {
        let check = |input: &str, version| {
            checked_base_url(input)
                .map(|(url, _)| with_version(url, version))
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
