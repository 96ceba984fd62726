//! The change-notification subscriptions an emulator holds, per app per tenant (an app
//! sees only its own, as in Graph), and the validation handshake Graph runs on a new
//! one's notification URL before it answers.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::owner::Owner;

/// How long the emulator waits for a notification URL to answer the validation request:
/// Graph's documented 10 seconds.
pub(crate) const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// How a notification is delivered again after an answer that is not `2xx` (or none):
/// after `first`, doubling up to `longest`, at most `attempts` times in all. Graph keeps
/// trying for hours; an emulator's tests need seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redelivery {
    /// The wait before the second attempt.
    pub first: Duration,
    /// The longest wait between two attempts.
    pub longest: Duration,
    /// Attempts in all, the first included.
    pub attempts: u32,
}

impl Default for Redelivery {
    /// 50 ms, doubling up to 1 s, 20 attempts (about 15 s in all).
    fn default() -> Self {
        Self {
            first: Duration::from_millis(50),
            longest: Duration::from_secs(1),
            attempts: 20,
        }
    }
}

/// One subscription: whose it is and what was stored.
#[derive(Debug, Clone)]
pub(crate) struct StoredSubscription {
    /// The tenant and app that created it.
    pub(crate) owner: Owner,
    pub(crate) expires: DateTime<Utc>,
    /// The subscription as `GET` answers it (without `@odata.context`).
    pub(crate) body: Map<String, Value>,
}

/// Every subscription, by id, and what became of the notifications sent for them.
#[derive(Debug, Default)]
pub(crate) struct SubscriptionStore {
    subscriptions: Mutex<BTreeMap<String, StoredSubscription>>,
    deliveries: DeliveryCounters,
}

/// What became of the notifications an emulator sent.
#[derive(Debug, Default)]
struct DeliveryCounters {
    pending: AtomicU64,
    delivered: AtomicU64,
    dropped: AtomicU64,
    refused_attempts: AtomicU64,
}

/// What became of the notifications an emulator sent, at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotificationCounts {
    /// Notifications still being delivered (waiting to be sent again, or in flight).
    pub pending: u64,
    /// Notifications a receiver answered `2xx`.
    pub delivered: u64,
    /// Notifications given up on after every attempt.
    pub dropped: u64,
    /// Attempts answered with something other than `2xx`, or not at all.
    pub refused_attempts: u64,
}

impl SubscriptionStore {
    /// Every subscription that has not expired at `now`, with its id.
    pub(crate) fn live(&self, now: DateTime<Utc>) -> Vec<(String, StoredSubscription)> {
        self.lock()
            .iter()
            .filter(|(_, s)| s.expires > now)
            .map(|(id, s)| (id.clone(), s.clone()))
            .collect()
    }

    /// A notification is on its way.
    pub(crate) fn delivery_started(&self) {
        self.deliveries.pending.fetch_add(1, Ordering::SeqCst);
    }

    /// An attempt was not answered `2xx`.
    pub(crate) fn redelivery(&self) {
        self.deliveries
            .refused_attempts
            .fetch_add(1, Ordering::SeqCst);
    }

    /// A notification was delivered, or dropped after every attempt.
    pub(crate) fn delivery_ended(&self, delivered: bool) {
        let counter = if delivered {
            &self.deliveries.delivered
        } else {
            &self.deliveries.dropped
        };
        counter.fetch_add(1, Ordering::SeqCst);
        self.deliveries.pending.fetch_sub(1, Ordering::SeqCst);
    }

    /// The delivery counters now.
    pub(crate) fn counts(&self) -> NotificationCounts {
        let d = &self.deliveries;
        NotificationCounts {
            pending: d.pending.load(Ordering::SeqCst),
            delivered: d.delivered.load(Ordering::SeqCst),
            dropped: d.dropped.load(Ordering::SeqCst),
            refused_attempts: d.refused_attempts.load(Ordering::SeqCst),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, StoredSubscription>> {
        // A panic while the lock was held left no half-written entry (each change is one
        // insert or remove), so the map is still whole.
        self.subscriptions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Store `subscription` under `id`.
    pub(crate) fn insert(&self, id: String, subscription: StoredSubscription) {
        self.lock().insert(id, subscription);
    }

    /// The app's subscription `id`, if it has one that has not expired at `now`.
    pub(crate) fn get(
        &self,
        owner: &Owner,
        id: &str,
        now: DateTime<Utc>,
    ) -> Option<StoredSubscription> {
        self.lock()
            .get(id)
            .filter(|s| s.visible(owner, now))
            .cloned()
    }

    /// The app's subscriptions that have not expired at `now`, oldest id first.
    pub(crate) fn list(&self, owner: &Owner, now: DateTime<Utc>) -> Vec<StoredSubscription> {
        self.lock()
            .values()
            .filter(|s| s.visible(owner, now))
            .cloned()
            .collect()
    }

    /// Change the app's subscription `id` with `change`, if it has one that has not
    /// expired; the changed subscription.
    pub(crate) fn update(
        &self,
        owner: &Owner,
        id: &str,
        now: DateTime<Utc>,
        change: impl FnOnce(&mut StoredSubscription),
    ) -> Option<StoredSubscription> {
        let mut subscriptions = self.lock();
        let stored = subscriptions
            .get_mut(id)
            .filter(|s| s.visible(owner, now))?;
        change(stored);
        Some(stored.clone())
    }

    /// Delete the app's subscription `id`, if it has one that has not expired.
    pub(crate) fn remove(
        &self,
        owner: &Owner,
        id: &str,
        now: DateTime<Utc>,
    ) -> Option<StoredSubscription> {
        let mut subscriptions = self.lock();
        subscriptions.get(id).filter(|s| s.visible(owner, now))?;
        subscriptions.remove(id)
    }
}

impl StoredSubscription {
    /// Whether `owner` sees it at `now`: theirs, and not expired.
    fn visible(&self, owner: &Owner, now: DateTime<Utc>) -> bool {
        self.owner == *owner && self.expires > now
    }
}

/// The HTTP client of the validation handshakes and the notifications: plain HTTP (an
/// `https` URL fails).
pub(crate) type DeliveryClient = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    http_body_util::Full<bytes::Bytes>,
>;

/// A new [`DeliveryClient`].
pub(crate) fn delivery_client() -> DeliveryClient {
    hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http()
}

/// Graph's validation handshake: `POST {url}?validationToken={token}` with an empty
/// `text/plain` body; the URL is valid when it answers `200` with the token as its body
/// within `timeout`. `Err` says what went wrong.
pub(crate) async fn handshake(
    client: &DeliveryClient,
    url: &str,
    token: &str,
    timeout: Duration,
) -> Result<(), String> {
    use http_body_util::BodyExt as _;

    let mut target = url::Url::parse(url).map_err(|err| format!("`{url}` is not a URL: {err}"))?;
    target
        .query_pairs_mut()
        .append_pair("validationToken", token);
    let request = http::Request::post(target.as_str())
        .header(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(http_body_util::Full::new(bytes::Bytes::new()))
        .map_err(|err| format!("the validation request cannot be made: {err}"))?;
    let exchange = async {
        let answer = client
            .request(request)
            .await
            .map_err(|err| format!("the validation request failed: {}", causes(&err)))?;
        let status = answer.status();
        let body = answer
            .into_body()
            .collect()
            .await
            .map_err(|err| format!("the validation answer could not be read: {err}"))?
            .to_bytes();
        Ok::<_, String>((status, body))
    };
    let (status, body) = tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| format!("no answer within {} s", timeout.as_secs()))??;
    if status != http::StatusCode::OK {
        return Err(format!("the endpoint answered {status}, not 200 OK"));
    }
    if body.as_ref() != token.as_bytes() {
        let shown: String = String::from_utf8_lossy(&body).chars().take(120).collect();
        return Err(format!(
            "the endpoint answered `{shown}`, not the validation token `{token}` (the query \
             parameter, URL-decoded)"
        ));
    }
    Ok(())
}

/// How long the emulator waits for a notification URL to answer a notification.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// One notification collection `POST`ed to `url` as JSON: `Ok` when the answer is `2xx`,
/// as Graph counts a delivery done.
pub(crate) async fn post_json(
    client: &DeliveryClient,
    url: &str,
    body: bytes::Bytes,
) -> Result<(), String> {
    let request = http::Request::post(url)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(http_body_util::Full::new(body))
        .map_err(|err| format!("the notification request cannot be made: {err}"))?;
    let answer = tokio::time::timeout(DELIVERY_TIMEOUT, client.request(request))
        .await
        .map_err(|_| format!("no answer within {} s", DELIVERY_TIMEOUT.as_secs()))?
        .map_err(|err| format!("the notification request failed: {}", causes(&err)))?;
    if answer.status().is_success() {
        Ok(())
    } else {
        Err(format!("the endpoint answered {}", answer.status()))
    }
}

/// An error and its sources, joined: the client's own message leaves out why it failed
/// (a refused connection, an `https` URL).
fn causes(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
