//! What every call of one client shares ([`ClientConfig`]: the token provider, the Graph
//! base URL, the retry policy, the headers to send, the body limit), and the [`Context`]
//! the generated client carries it in (progenitor's "inner type").

use std::fmt;
use std::sync::Arc;

use reqwest::Url;
use reqwest::header::{self, HeaderName, HeaderValue};

use crate::runtime::auth::{AuthError, TokenProvider};
use crate::runtime::retry::RetryPolicy;

/// The `User-Agent` of every request: this crate's name and version.
pub(crate) const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

pub(crate) const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
const PREFER: HeaderName = HeaderName::from_static("prefer");

/// The configuration the generated client (`raw::Client`) carries for its
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
    /// The time limit of one attempt of a JSON call (content downloads have none).
    pub(crate) timeout: std::time::Duration,
    /// The HTTP client of content downloads: the same settings, and the stall timeout.
    pub(crate) content_http: reqwest::Client,
    /// The budget the client's calls (and its clones') share; `None` when each call
    /// throttles on its own.
    pub(crate) budget: Option<crate::runtime::budget::Budget>,
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

impl ClientConfig {
    /// A bearer token for the configured scope, as a sensitive header value: the one
    /// made when the client was built for a fixed token, else one from the provider.
    pub(crate) async fn authorization(&self) -> Result<HeaderValue, AuthError> {
        if let Some(fixed) = &self.fixed_authorization {
            return Ok(fixed.clone());
        }
        use secrecy::ExposeSecret;
        let token = self
            .token_provider
            .token(&self.scope)
            .await
            .inspect_err(|err| tracing::warn!(error = %err, "no access token"))?;
        bearer(token.secret().expose_secret())
    }

    /// Put the call's headers on `request`.
    pub(crate) fn decorate(
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
            let combined = combine_preferences(headers.get_all(PREFER).iter(), prefer);
            headers.insert(PREFER, combined);
        }
        if let Some(language) = &self.accept_language {
            headers.insert(header::ACCEPT_LANGUAGE, language.clone());
        }
    }
}

/// One `Prefer` value: the preferences a request already carries (a header parameter of
/// the spec, given through the raw client), then the client's own that it lacks. Graph
/// reads preferences as one comma-separated list (RFC 7240), so two `Prefer` lines, or the
/// client's overwriting the caller's, would each lose one.
fn combine_preferences<'a>(
    given: impl Iterator<Item = &'a HeaderValue>,
    ours: &HeaderValue,
) -> HeaderValue {
    let mut parts: Vec<&[u8]> = Vec::new();
    for value in given {
        parts.extend(
            value
                .as_bytes()
                .split(|b| *b == b',')
                .map(<[u8]>::trim_ascii),
        );
    }
    parts.retain(|part| !part.is_empty());
    if parts.is_empty() {
        return ours.clone();
    }
    for part in ours
        .as_bytes()
        .split(|b| *b == b',')
        .map(<[u8]>::trim_ascii)
    {
        if !part.is_empty() && !parts.contains(&part) {
            parts.push(part);
        }
    }
    let joined = parts.join(&b", "[..]);
    // Joined from parts of valid header values with `, `: still a valid one.
    HeaderValue::from_bytes(&joined).unwrap_or_else(|_| ours.clone())
}

/// `Bearer {token}` as a sensitive header value.
pub(crate) fn bearer(token: &str) -> Result<HeaderValue, AuthError> {
    let mut value = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
        AuthError::new(
            "the access token contains characters that are not allowed in an HTTP header",
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_s_preferences_and_the_client_s_go_out_as_one_value() {
        let ours = HeaderValue::from_static("include-unknown-enum-members");
        let given = [
            HeaderValue::from_static("outlook.timezone=\"Pacific Standard Time\""),
            HeaderValue::from_static("odata.maxpagesize=5, include-unknown-enum-members"),
        ];
        assert_eq!(
            combine_preferences(given.iter(), &ours),
            "outlook.timezone=\"Pacific Standard Time\", odata.maxpagesize=5, \
             include-unknown-enum-members"
        );
        assert_eq!(combine_preferences([].iter(), &ours), ours);
    }
}
