//! The framework-free receiver: a request in, what to answer and the events out.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use aws_lc_rs::constant_time::verify_slices_are_equal;
use bytes::Bytes;
use secrecy::{ExposeSecret, SecretString};

use crate::subscriptions::notifications::decrypt::DecryptionKey;
use crate::subscriptions::notifications::events::{Change, Event, Lifecycle, Refusal, Refused};
use crate::subscriptions::notifications::tokens::{
    self, MicrosoftKeys, TokenFailure, TokenKeys, install_jwt_provider,
};
use crate::subscriptions::rules::MAX_CLIENT_STATE_CHARS;
use crate::types::{ChangeNotification, ChangeNotificationCollection};

/// Checks and decrypts the change notifications Graph sends to a notification URL.
/// Cheap to clone: clones share their keys and counters.
#[derive(Clone)]
pub struct Receiver {
    inner: Arc<Inner>,
}

struct Inner {
    client_states: Vec<SecretString>,
    keys: HashMap<String, DecryptionKey>,
    app_ids: Vec<String>,
    tenants: Vec<String>,
    token_keys: Option<Arc<dyn TokenKeys>>,
    accepted: AtomicU64,
    refused: AtomicU64,
}

/// Builds a [`Receiver`]: from [`Receiver::builder`].
pub struct ReceiverBuilder {
    client_states: Vec<SecretString>,
    keys: Vec<DecryptionKey>,
    app_ids: Vec<String>,
    tenants: Vec<String>,
    token_keys: Option<Arc<dyn TokenKeys>>,
}

/// A receiver that cannot be built, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiverConfigError {
    /// A `clientState` is empty or longer than Graph accepts.
    #[error("a clientState must have 1 to {MAX_CLIENT_STATE_CHARS} characters; this one has {0}")]
    ClientState(usize),
    /// Two decryption keys were given for one certificate ID.
    #[error("two decryption keys for certificate {0:?}")]
    DuplicateKey(String),
    /// Decryption keys were given but no application ID: validation tokens, which come
    /// with every notification that carries resource data, name the app as audience.
    #[error(
        "decryption keys need the app's application (client) ID, the audience of the \
         validation tokens: call `app_id`"
    )]
    NoAppId,
    /// An application ID is empty.
    #[error("an application ID is empty: give the app's (client) ID")]
    EmptyAppId,
    /// The Microsoft identity platform's keys could not be set up.
    #[error("the Microsoft identity platform's keys cannot be fetched: {0}")]
    TokenKeys(String),
}

/// What a request to the notification URL was, and what to answer.
#[derive(Debug)]
#[non_exhaustive]
pub enum Received {
    /// Graph's validation handshake: answer `200` with the token as `text/plain`,
    /// within 10 seconds ([`Received::response`] does).
    Handshake {
        /// The token, decoded from the query, to send back as it is.
        token: String,
    },
    /// A collection of notifications: answer `202` ([`Received::response`] does), then
    /// hand the events on.
    Notifications(Delivery),
}

/// The notifications of one request: those that passed every check, as events, and
/// those that did not.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Delivery {
    /// The notifications that passed, in the order they came.
    pub events: Vec<Event>,
    /// The notifications that were refused.
    pub refused: Vec<Refused>,
}

/// A request that is not one Graph sends to a notification URL, or one that cannot be
/// checked now. Answer it with [`ReceiveError::response`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiveError {
    /// Graph sends notifications and the handshake with `POST`.
    #[error("a notification request is a POST, not {0}")]
    Method(http::Method),
    /// The body is not a `changeNotificationCollection` in JSON.
    #[error("the body is not a change notification collection: {0}")]
    Body(serde_json::Error),
    /// The query's `validationToken` is empty.
    #[error("the validationToken in the query is empty")]
    EmptyValidationToken,
    /// The keys that sign validation tokens cannot be had now (the identity platform
    /// did not answer): answered `503`, so that Graph sends the notifications again
    /// rather than them being refused.
    #[error("the validation tokens cannot be checked now: {0}")]
    KeysUnavailable(String),
}

impl Receiver {
    /// A receiver that accepts notifications whose `clientState` is `client_state`, the
    /// secret given to Graph with the subscription. Add more with
    /// [`ReceiverBuilder::client_state`] while subscriptions move to a new one.
    pub fn builder(client_state: impl Into<String>) -> ReceiverBuilder {
        ReceiverBuilder {
            client_states: vec![SecretString::from(client_state.into())],
            keys: Vec::new(),
            app_ids: Vec::new(),
            tenants: Vec::new(),
            token_keys: None,
        }
    }

    /// How many notifications passed every check since the receiver was built.
    pub fn accepted(&self) -> u64 {
        self.inner.accepted.load(Ordering::Relaxed)
    }

    /// How many notifications were refused since the receiver was built.
    pub fn refused(&self) -> u64 {
        self.inner.refused.load(Ordering::Relaxed)
    }

    /// Read one request to the notification URL: the handshake, or a collection of
    /// notifications checked one by one. Refused notifications are counted, logged (one
    /// warning a collection, naming the check that failed, never their content) and
    /// listed in [`Delivery::refused`]; they never become events.
    pub async fn receive<B: AsRef<[u8]>>(
        &self,
        request: &http::Request<B>,
    ) -> Result<Received, ReceiveError> {
        if request.method() != http::Method::POST {
            return Err(ReceiveError::Method(request.method().clone()));
        }
        if let Some(query) = request.uri().query() {
            let token = url::form_urlencoded::parse(query.as_bytes())
                .find(|(name, _)| name == "validationToken")
                .map(|(_, token)| token.into_owned());
            if let Some(token) = token {
                if token.is_empty() {
                    return Err(ReceiveError::EmptyValidationToken);
                }
                return Ok(Received::Handshake { token });
            }
        }
        let collection: ChangeNotificationCollection =
            serde_json::from_slice(request.body().as_ref()).map_err(ReceiveError::Body)?;
        Ok(Received::Notifications(self.deliver(collection).await?))
    }

    async fn deliver(
        &self,
        collection: ChangeNotificationCollection,
    ) -> Result<Delivery, ReceiveError> {
        // The cheap secret first: a notification without the right clientState is refused
        // before any token is checked or key fetched for it.
        let checked: Vec<(ChangeNotification, Result<(), Refusal>)> = collection
            .value
            .into_iter()
            .map(|notification| {
                let state = self.check_client_state(notification.client_state.as_deref());
                (notification, state)
            })
            .collect();
        let carries_data = checked.iter().any(|(notification, state)| {
            state.is_ok()
                && notification.lifecycle_event.is_none()
                && notification.encrypted_content.is_some()
        });
        // Tokens come with resource data only, and vouch for the whole collection: one
        // that fails puts every notification with resource data in doubt.
        let vouched = if carries_data {
            match self.check_tokens(&collection.validation_tokens).await {
                Err(TokenFailure::Unavailable(why)) => {
                    return Err(ReceiveError::KeysUnavailable(why));
                }
                Err(TokenFailure::Rejected(why)) => Err(why),
                Ok(tenants) => Ok(tenants),
            }
        } else {
            Err("the collection carries no resource data".to_owned())
        };
        let mut delivery = Delivery::default();
        for (index, (notification, state)) in checked.into_iter().enumerate() {
            let subscription_id = notification.subscription_id.clone();
            match state.and_then(|()| self.check(notification, &vouched)) {
                Ok(event) => delivery.events.push(event),
                Err(refusal) => {
                    tracing::debug!(
                        index,
                        subscription_id = subscription_id.as_deref().unwrap_or("-"),
                        %refusal,
                        "change notification refused"
                    );
                    delivery.refused.push(Refused {
                        index,
                        subscription_id,
                        refusal,
                    });
                }
            }
        }
        let (accepted, refused) = (delivery.events.len(), delivery.refused.len());
        self.inner
            .accepted
            .fetch_add(accepted as u64, Ordering::Relaxed);
        self.inner
            .refused
            .fetch_add(refused as u64, Ordering::Relaxed);
        if let Some(first) = delivery.refused.first() {
            // One line a collection, however many it refused.
            tracing::warn!(
                refused,
                accepted,
                first = %first.refusal,
                "change notifications refused"
            );
        }
        Ok(delivery)
    }

    async fn check_tokens(
        &self,
        validation_tokens: &[String],
    ) -> Result<Vec<String>, TokenFailure> {
        let rejected = |why: &str| Err(TokenFailure::Rejected(why.to_owned()));
        let Some(keys) = self.inner.token_keys.as_deref() else {
            return rejected("the receiver has no decryption key, so expects no resource data");
        };
        if validation_tokens.is_empty() {
            return rejected("the collection has no validationTokens");
        }
        let tenants = tokens::check(validation_tokens, keys, &self.inner.app_ids).await?;
        if !self.inner.tenants.is_empty()
            && let Some(other) = tenants.iter().find(|tenant| {
                !self
                    .inner
                    .tenants
                    .iter()
                    .any(|expected| expected.eq_ignore_ascii_case(tenant))
            })
        {
            return Err(TokenFailure::Rejected(format!(
                "a token is for tenant {other:?}, which the receiver does not serve"
            )));
        }
        Ok(tenants.into_iter().collect())
    }

    /// The event for a notification whose clientState passed: a lifecycle event as it
    /// is; a change with its resource decrypted, when it carries one and the tokens
    /// (`vouched`: their tenants, or why not) vouch for its tenant.
    fn check(
        &self,
        mut notification: ChangeNotification,
        vouched: &Result<Vec<String>, String>,
    ) -> Result<Event, Refusal> {
        if let Some(event) = notification.lifecycle_event.clone() {
            let subscription_id = notification.subscription_id.clone().ok_or_else(|| {
                Refusal::Malformed("a lifecycle event names no subscriptionId".into())
            })?;
            return Ok(Event::Lifecycle(Lifecycle {
                event,
                subscription_id,
                notification,
            }));
        }
        let Some(content) = notification.encrypted_content.take() else {
            return typed(notification, None);
        };
        let tenants = vouched
            .as_ref()
            .map_err(|reason| Refusal::ValidationToken(reason.clone()))?;
        let tenant = notification.tenant_id.as_deref().ok_or_else(|| {
            Refusal::ValidationToken("it names no tenantId for a token to vouch for".into())
        })?;
        if !tenants
            .iter()
            .any(|vouched| vouched.eq_ignore_ascii_case(tenant))
        {
            return Err(Refusal::ValidationToken(format!(
                "no token is for its tenant {tenant:?}"
            )));
        }
        let id = content
            .encryption_certificate_id
            .clone()
            .unwrap_or_default();
        let key = self
            .inner
            .keys
            .get(&id)
            .ok_or(Refusal::UnknownCertificate(id))?;
        let data = key.open(&content)?;
        notification.encrypted_content = Some(content);
        typed(notification, Some(&data))
    }

    fn check_client_state(&self, sent: Option<&str>) -> Result<(), Refusal> {
        let sent = sent.ok_or(Refusal::ClientState)?;
        // Every expected state is compared, in constant time for its length, so the time
        // taken says nothing about which one came close.
        let matched = self
            .inner
            .client_states
            .iter()
            .fold(false, |matched, expected| {
                matched
                    | verify_slices_are_equal(expected.expose_secret().as_bytes(), sent.as_bytes())
                        .is_ok()
            });
        if matched {
            Ok(())
        } else {
            Err(Refusal::ClientState)
        }
    }
}

/// The event for a notification, typed by the `@odata.type` of its `resourceData`, with
/// its decrypted resource when it had one.
fn typed(notification: ChangeNotification, data: Option<&[u8]>) -> Result<Event, Refusal> {
    let kind = notification
        .resource_data
        .as_ref()
        .and_then(|data| data.odata_type.as_deref())
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_ascii_lowercase();
    fn parse<T: serde::de::DeserializeOwned>(data: Option<&[u8]>) -> Result<Option<T>, Refusal> {
        data.map(|bytes| {
            // The error's position and kind only: its text may quote the decrypted data.
            serde_json::from_slice(bytes).map_err(|error| {
                Refusal::Malformed(format!(
                    "its decrypted data is not the resource ({:?} at line {}, column {})",
                    error.classify(),
                    error.line(),
                    error.column()
                ))
            })
        })
        .transpose()
    }
    Ok(match kind.as_str() {
        "microsoft.graph.calltranscript" => Event::Transcript(Change {
            resource: parse(data)?,
            notification,
        }),
        "microsoft.graph.callrecording" => Event::Recording(Change {
            resource: parse(data)?,
            notification,
        }),
        _ => Event::Other(Change {
            resource: parse(data)?,
            notification,
        }),
    })
}

impl ReceiverBuilder {
    /// Accept this `clientState` too.
    pub fn client_state(mut self, client_state: impl Into<String>) -> Self {
        self.client_states
            .push(SecretString::from(client_state.into()));
        self
    }

    /// Decrypt resource data encrypted for this key's certificate. Notifications with
    /// resource data are then checked against their validation tokens too, which needs
    /// [`app_id`](Self::app_id).
    pub fn decryption_key(mut self, key: DecryptionKey) -> Self {
        self.keys.push(key);
        self
    }

    /// The application (client) ID of the app that subscribed: the audience validation
    /// tokens must name. Call it once per app when several share the notification URL.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_ids.push(app_id.into());
        self
    }

    /// Accept resource data only from this tenant (its ID, as in `tenantId`); call it
    /// once per tenant. Without it, any tenant whose Graph tokens name this app as
    /// audience is accepted (a multi-tenant app).
    pub fn tenant(mut self, tenant_id: impl Into<String>) -> Self {
        self.tenants.push(tenant_id.into());
        self
    }

    /// Where the keys that sign validation tokens come from, instead of the Microsoft
    /// identity platform's published ones ([`MicrosoftKeys`]).
    pub fn token_keys(mut self, keys: impl TokenKeys + 'static) -> Self {
        self.token_keys = Some(Arc::new(keys));
        self
    }

    /// The receiver, once its settings are checked.
    pub fn build(self) -> Result<Receiver, ReceiverConfigError> {
        for state in &self.client_states {
            let chars = state.expose_secret().chars().count();
            if chars == 0 || chars > MAX_CLIENT_STATE_CHARS {
                return Err(ReceiverConfigError::ClientState(chars));
            }
        }
        if self.app_ids.iter().any(|id| id.trim().is_empty()) {
            return Err(ReceiverConfigError::EmptyAppId);
        }
        let mut keys = HashMap::new();
        for key in self.keys {
            let id = key.certificate_id().to_owned();
            if keys.insert(id.clone(), key).is_some() {
                return Err(ReceiverConfigError::DuplicateKey(id));
            }
        }
        let token_keys = if keys.is_empty() {
            None
        } else {
            if self.app_ids.is_empty() {
                return Err(ReceiverConfigError::NoAppId);
            }
            install_jwt_provider();
            Some(match self.token_keys {
                Some(keys) => keys,
                None => Arc::new(
                    MicrosoftKeys::new()
                        .map_err(|error| ReceiverConfigError::TokenKeys(error.to_string()))?,
                ),
            })
        };
        Ok(Receiver {
            inner: Arc::new(Inner {
                client_states: self.client_states,
                keys,
                app_ids: self.app_ids,
                tenants: self.tenants,
                token_keys,
                accepted: AtomicU64::new(0),
                refused: AtomicU64::new(0),
            }),
        })
    }
}

impl Received {
    /// What to answer: `200 text/plain` with the token for the handshake, `202` with no
    /// body for notifications (refused ones included, as Microsoft advises: the sender
    /// learns nothing, and Graph does not send them again).
    pub fn response(&self) -> http::Response<Bytes> {
        let mut response = http::Response::new(Bytes::new());
        match self {
            Self::Handshake { token } => {
                *response.body_mut() = Bytes::from(token.clone());
                response.headers_mut().insert(
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static("text/plain; charset=utf-8"),
                );
            }
            Self::Notifications(_) => *response.status_mut() = http::StatusCode::ACCEPTED,
        }
        response
    }
}

impl ReceiveError {
    /// What to answer: `405` for a method other than `POST`, `503` when the token keys
    /// cannot be had, `400` otherwise, with the error as `text/plain`.
    pub fn response(&self) -> http::Response<Bytes> {
        let mut response = http::Response::new(Bytes::from(self.to_string()));
        *response.status_mut() = match self {
            Self::Method(_) => http::StatusCode::METHOD_NOT_ALLOWED,
            Self::KeysUnavailable(_) => http::StatusCode::SERVICE_UNAVAILABLE,
            _ => http::StatusCode::BAD_REQUEST,
        };
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        response
    }
}

impl std::fmt::Debug for Receiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("client_states", &self.inner.client_states.len())
            .field("keys", &self.inner.keys.values().collect::<Vec<_>>())
            .field("app_ids", &self.inner.app_ids)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ReceiverBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiverBuilder")
            .field("client_states", &self.client_states.len())
            .field("keys", &self.keys)
            .field("app_ids", &self.app_ids)
            .finish_non_exhaustive()
    }
}
