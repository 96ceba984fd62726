//! Access tokens: the [`TokenProvider`] trait, a fixed token ([`StaticToken`]) and, with
//! the `azure` feature, an adapter for `azure_core`'s `TokenCredential`
//! (`azure::AzureTokenProvider`).
//!
//! The client asks its provider for a token before every call, for the `.default` scope
//! of the configured cloud (for example `https://graph.microsoft.com/.default`); the
//! provider decides whether to return a cached token or fetch a new one. Tokens are kept
//! in [`secrecy::SecretString`]s: they never appear in `Debug` or `Display` output, in
//! errors or in logs, and the `Authorization` header is marked sensitive and sent only to
//! the configured Graph host.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use secrecy::SecretString;

/// The token provider could not supply an access token.
#[derive(Debug, thiserror::Error)]
#[error("could not get an access token")]
pub struct AuthError {
    #[source]
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl AuthError {
    /// Wrap the error of a token provider. Its `Display` must not contain a secret.
    pub fn new(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        AuthError {
            source: source.into(),
        }
    }
}

/// A boxed, `Send` future, as returned by [`TokenProvider::token`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An OAuth 2.0 access token for Microsoft Graph.
///
/// `Debug` shows `[REDACTED]` instead of the token.
#[derive(Clone, Debug)]
pub struct AccessToken {
    secret: SecretString,
    expires_at: Option<SystemTime>,
}

impl AccessToken {
    /// A token (without `Bearer `), with no known expiry.
    pub fn new(token: impl Into<SecretString>) -> Self {
        AccessToken {
            secret: token.into(),
            expires_at: None,
        }
    }

    /// The same token, with the time it expires.
    #[must_use]
    pub fn with_expiry(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The token itself; read it with [`secrecy::ExposeSecret`].
    pub fn secret(&self) -> &SecretString {
        &self.secret
    }

    /// When the token expires, if known.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }
}

/// A source of access tokens for Microsoft Graph.
///
/// The client calls [`token`](Self::token) once per call (all the retries of a call use
/// the token fetched for it), with the `.default` scope of the configured cloud. An
/// implementation that talks to an identity platform should cache its token and refresh
/// it before it expires.
///
/// The trait is object safe (`Arc<dyn TokenProvider>` is a provider too). Implement it
/// with a boxed future:
///
/// ```
/// use graph_online_meetings::auth::{AccessToken, AuthError, BoxFuture, TokenProvider};
///
/// struct FromEnv;
///
/// impl TokenProvider for FromEnv {
///     fn token<'a>(&'a self, _scope: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
///         Box::pin(async move {
///             let token = std::env::var("GRAPH_TOKEN").map_err(AuthError::new)?;
///             Ok(AccessToken::new(token))
///         })
///     }
/// }
/// ```
pub trait TokenProvider: Send + Sync {
    /// An access token valid for `scope` (for example
    /// `https://graph.microsoft.com/.default`). An error's `Display` must not contain a
    /// secret.
    fn token<'a>(&'a self, scope: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>>;
}

impl<T: TokenProvider + ?Sized> TokenProvider for Arc<T> {
    fn token<'a>(&'a self, scope: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        (**self).token(scope)
    }
}

impl<T: TokenProvider + ?Sized> TokenProvider for Box<T> {
    fn token<'a>(&'a self, scope: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        (**self).token(scope)
    }
}

/// A fixed access token, for example one from `az account get-access-token` or from a
/// test. It is never refreshed.
///
/// `Debug` shows `[REDACTED]` instead of the token.
#[derive(Clone)]
pub struct StaticToken {
    token: SecretString,
}

impl StaticToken {
    /// A provider that always returns `token` (without `Bearer `).
    pub fn new(token: impl Into<SecretString>) -> Self {
        StaticToken {
            token: token.into(),
        }
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticToken")
            .field("token", &"[REDACTED]")
            .finish()
    }
}

impl TokenProvider for StaticToken {
    fn token<'a>(&'a self, _scope: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        let token = AccessToken::new(self.token.clone());
        Box::pin(async move { Ok(token) })
    }
}

/// The adapter for Microsoft's Azure SDK (feature `azure`): any
/// [`azure_core::credentials::TokenCredential`], such as `azure_identity`'s
/// `ClientSecretCredential`, `ManagedIdentityCredential` or `DeveloperToolsCredential`,
/// becomes a [`TokenProvider`].
///
/// The credentials of `azure_identity` cache their tokens and refresh them before they
/// expire, so asking for a token on every call is cheap.
#[cfg(feature = "azure")]
pub mod azure {
    use std::fmt;
    use std::sync::Arc;
    use std::time::{Duration, SystemTime};

    use azure_core::credentials::TokenCredential;

    use super::{AccessToken, AuthError, BoxFuture, TokenProvider};

    /// A [`TokenProvider`] backed by an `azure_core` [`TokenCredential`].
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use graph_online_meetings::GraphClient;
    /// use graph_online_meetings::auth::azure::AzureTokenProvider;
    ///
    /// let credential = azure_identity::ClientSecretCredential::new(
    ///     "tenant-id",
    ///     "client-id".to_owned(),
    ///     "client-secret".to_owned().into(),
    ///     None,
    /// )?;
    /// let client = GraphClient::builder()
    ///     .token_provider(AzureTokenProvider::new(credential))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(())
    /// # }
    /// ```
    #[derive(Clone)]
    pub struct AzureTokenProvider {
        credential: Arc<dyn TokenCredential>,
    }

    impl AzureTokenProvider {
        /// Wrap a credential.
        pub fn new(credential: Arc<dyn TokenCredential>) -> Self {
            AzureTokenProvider { credential }
        }
    }

    impl fmt::Debug for AzureTokenProvider {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            // azure_core's credentials implement a `Debug` without secrets.
            f.debug_struct("AzureTokenProvider")
                .field("credential", &self.credential)
                .finish()
        }
    }

    impl TokenProvider for AzureTokenProvider {
        fn token<'a>(&'a self, scope: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
            Box::pin(async move {
                let token = self
                    .credential
                    .get_token(&[scope], None)
                    .await
                    .map_err(AuthError::new)?;
                let mut access = AccessToken::new(token.token.secret());
                if let Ok(seconds) = u64::try_from(token.expires_on.unix_timestamp())
                    && let Some(at) =
                        SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
                {
                    access = access.with_expiry(at);
                }
                Ok(access)
            })
        }
    }
}
