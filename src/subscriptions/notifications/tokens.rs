//! The `validationTokens` Graph adds to notifications with resource data: JWTs from the
//! Microsoft identity platform that show Graph sent them to this app. Checked as
//! Microsoft's page on change notifications with resource data says: the signature
//! against the platform's published keys, not expired, the app as audience, the
//! platform as issuer for the token's tenant, and Graph's change-notification publisher
//! as the party the token was issued to.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::runtime::error::BoxError;

/// The application ID of Microsoft Graph's change-notification publisher ("Microsoft
/// Graph Change Tracking"): a validation token must have been issued to it.
pub const GRAPH_CHANGE_TRACKING_APP_ID: &str = "0bf30f3b-4a52-48df-9a82-234910c4a086";

/// Where the Microsoft identity platform publishes its signing keys, as its OpenID
/// configuration for the `common` tenant names them.
pub const MICROSOFT_KEYS_URL: &str = "https://login.microsoftonline.com/common/discovery/keys";

/// A boxed future, for [`TokenKeys`] to be usable as a trait object.
pub type KeysFuture<'a> = Pin<Box<dyn Future<Output = Result<Arc<JwkSet>, BoxError>> + Send + 'a>>;

/// Where the receiver gets the keys that sign validation tokens. [`MicrosoftKeys`] in
/// production; [`StaticKeys`] in tests or wherever the keys come from elsewhere.
pub trait TokenKeys: Send + Sync {
    /// The current key set. `refresh` is `true` when a token named a key that the last
    /// set did not have (keys rotate): fetch anew if that is possible.
    fn keys(&self, refresh: bool) -> KeysFuture<'_>;
}

/// A fixed key set.
#[derive(Debug, Clone)]
pub struct StaticKeys(Arc<JwkSet>);

impl StaticKeys {
    /// These keys, and no others.
    pub fn new(keys: JwkSet) -> Self {
        Self(Arc::new(keys))
    }

    /// The keys of a JWK set in JSON (`{"keys": […]}`), as the identity platform
    /// publishes them.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json).map(Self::new)
    }
}

impl TokenKeys for StaticKeys {
    fn keys(&self, _refresh: bool) -> KeysFuture<'_> {
        let keys = self.0.clone();
        Box::pin(async move { Ok(keys) })
    }
}

/// The Microsoft identity platform's published keys, fetched over HTTPS and kept for
/// [`MicrosoftKeys::MAX_AGE`]. One fetch runs at a time; callers that arrive meanwhile
/// wait for it. A token naming a key the set lacks fetches again early, and a failed
/// fetch is tried again, at most once per [`MicrosoftKeys::MIN_REFETCH`]: forged tokens
/// cannot make the receiver hammer the endpoint. While no keys can be had, the receiver
/// answers `503`, so that Graph sends the notifications again.
#[derive(Debug)]
pub struct MicrosoftKeys {
    url: String,
    http: reqwest::Client,
    cache: Mutex<KeyCache>,
    fetching: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct KeyCache {
    keys: Option<(Instant, Arc<JwkSet>)>,
    last_attempt: Option<Instant>,
}

impl MicrosoftKeys {
    /// How long a fetched key set is used before it is fetched again: the platform
    /// rotates its keys, announcing new ones well ahead.
    pub const MAX_AGE: Duration = Duration::from_secs(60 * 60);
    /// The shortest time between two fetches.
    pub const MIN_REFETCH: Duration = Duration::from_secs(5 * 60);
    /// How long one fetch may take, while a request waits for it: Graph marks an
    /// endpoint slow, then drops its notifications, when answers take over 10 seconds,
    /// and asks for the answer within 3 seconds when it can.
    pub const TIMEOUT: Duration = Duration::from_secs(2);

    /// The keys at [`MICROSOFT_KEYS_URL`].
    pub fn new() -> Result<Self, BoxError> {
        Self::at(MICROSOFT_KEYS_URL)
    }

    /// The keys at another address (a national cloud's identity platform, say).
    pub fn at(url: impl Into<String>) -> Result<Self, BoxError> {
        crate::runtime::client::install_tls_provider();
        let http = reqwest::Client::builder().timeout(Self::TIMEOUT).build()?;
        Ok(Self::with_client(http, url))
    }

    /// The keys at `url`, fetched with `http` (the app's proxy and TLS settings; its
    /// timeout applies instead of [`TIMEOUT`](Self::TIMEOUT)).
    pub fn with_client(http: reqwest::Client, url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            http,
            cache: Mutex::new(KeyCache::default()),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, KeyCache> {
        // Each change is one assignment: a panic elsewhere leaves the cache whole.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn fetch(&self) -> Result<Arc<JwkSet>, BoxError> {
        let response = self.http.get(&self.url).send().await?.error_for_status()?;
        let keys: JwkSet = response.json().await?;
        Ok(Arc::new(keys))
    }
}

impl TokenKeys for MicrosoftKeys {
    fn keys(&self, refresh: bool) -> KeysFuture<'_> {
        Box::pin(async move {
            let asked = Instant::now();
            let fresh = |cache: &KeyCache| {
                cache.keys.as_ref().and_then(|(at, keys)| {
                    (at.elapsed() < Self::MAX_AGE && (!refresh || *at >= asked))
                        .then(|| keys.clone())
                })
            };
            if !refresh && let Some(keys) = fresh(&self.cache()) {
                return Ok(keys);
            }
            let _fetching = self.fetching.lock().await;
            let stale = {
                let mut cache = self.cache();
                // A fetch that ran while this call waited answers it too.
                if let Some(keys) = fresh(&cache) {
                    return Ok(keys);
                }
                let kept = cache.keys.clone().map(|(_, keys)| keys);
                if cache
                    .last_attempt
                    .is_some_and(|at| at.elapsed() < Self::MIN_REFETCH)
                {
                    return kept.ok_or_else(|| {
                        format!("the keys at {} could not be fetched lately", self.url).into()
                    });
                }
                cache.last_attempt = Some(Instant::now());
                kept
            };
            match self.fetch().await {
                Ok(keys) => {
                    self.cache().keys = Some((Instant::now(), keys.clone()));
                    Ok(keys)
                }
                // Keys a little old beat none: they still verify tokens signed before
                // the rotation.
                Err(error) => stale.ok_or(error),
            }
        })
    }
}

#[derive(Debug, Deserialize)]
struct Claims {
    tid: Option<String>,
    iss: Option<String>,
    azp: Option<String>,
    appid: Option<String>,
}

/// Why the tokens of a collection do not vouch for it.
#[derive(Debug, Clone)]
pub(crate) enum TokenFailure {
    /// A token failed a check: the notifications are refused.
    Rejected(String),
    /// No keys could be had to check them: the notifications should come again.
    Unavailable(String),
}

/// The tenants the tokens vouch for, when every token passes.
pub(crate) async fn check(
    tokens: &[String],
    keys: &dyn TokenKeys,
    app_ids: &[String],
) -> Result<HashSet<String>, TokenFailure> {
    let mut tenants = HashSet::new();
    for (index, token) in tokens.iter().enumerate() {
        let tenant = check_one(token, keys, app_ids)
            .await
            .map_err(|failure| match failure {
                TokenFailure::Rejected(why) => {
                    TokenFailure::Rejected(format!("token {index}: {why}"))
                }
                unavailable => unavailable,
            })?;
        tenants.insert(tenant);
    }
    Ok(tenants)
}

/// Makes aws-lc-rs the JWT crate's provider unless the process chose one: with both of
/// its backends enabled by other crates, it would otherwise have none.
pub(crate) fn install_jwt_provider() {
    if jsonwebtoken::crypto::CryptoProvider::try_get_default().is_none() {
        let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
    }
}

async fn check_one(
    token: &str,
    keys: &dyn TokenKeys,
    app_ids: &[String],
) -> Result<String, TokenFailure> {
    let rejected = TokenFailure::Rejected;
    let header =
        jsonwebtoken::decode_header(token).map_err(|e| rejected(format!("not a JWT ({e})")))?;
    // Pinned before any key is looked at: a token cannot choose HS256 or `none`.
    if header.alg != Algorithm::RS256 {
        return Err(rejected(format!("signed with {:?}, not RS256", header.alg)));
    }
    let kid = header
        .kid
        .ok_or_else(|| rejected("its header names no key (kid)".to_owned()))?;
    let unavailable = |e: BoxError| TokenFailure::Unavailable(format!("no signing keys: {e}"));
    let mut set = keys.keys(false).await.map_err(unavailable)?;
    if set.find(&kid).is_none() {
        set = keys.keys(true).await.map_err(unavailable)?;
    }
    let jwk = set.find(&kid).ok_or_else(|| {
        rejected(format!(
            "signed with key {kid:?}, which is not a published key"
        ))
    })?;
    let key = DecodingKey::from_jwk(jwk)
        .map_err(|e| rejected(format!("key {kid:?} is unusable ({e})")))?;

    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(app_ids);
    validation.set_required_spec_claims(&["exp", "aud", "iss"]);
    validation.validate_nbf = true;
    let claims = jsonwebtoken::decode::<Claims>(token, &key, &validation)
        .map_err(|e| rejected(format!("rejected ({e})")))?
        .claims;

    let tenant = claims
        .tid
        .ok_or_else(|| rejected("it names no tenant (tid)".to_owned()))?;
    let issuer = claims.iss.unwrap_or_default();
    let issuers = [
        format!("https://sts.windows.net/{tenant}/"),
        format!("https://login.microsoftonline.com/{tenant}/v2.0"),
    ];
    if !issuers.contains(&issuer) {
        return Err(rejected(format!(
            "issued by {issuer:?}, not the identity platform for its tenant"
        )));
    }
    // Version 1 tokens name the party in `appid`, version 2 tokens in `azp`.
    let party = claims.azp.or(claims.appid).unwrap_or_default();
    if party != GRAPH_CHANGE_TRACKING_APP_ID {
        return Err(rejected(format!(
            "issued to {party:?}, not Graph's change-notification publisher"
        )));
    }
    Ok(tenant)
}
