//! Delivering notifications: the plain-HTTP client of the handshakes and the
//! notifications, one `POST` of a notification collection, sending it again until the
//! receiver answers `2xx` as [`Redelivery`] says, and the counts of what became of them.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;

/// How a notification is delivered, and again after an answer that is not `2xx` (or
/// none within `timeout`): after `first`, doubling up to `longest`, at most `attempts`
/// times in all. Graph keeps trying for hours; an emulator's tests need seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redelivery {
    /// How long one attempt waits for the answer: Graph's page gives 10 seconds.
    pub timeout: Duration,
    /// The wait before the second attempt.
    pub first: Duration,
    /// The longest wait between two attempts.
    pub longest: Duration,
    /// Attempts in all, the first included.
    pub attempts: u32,
}

impl Default for Redelivery {
    /// A 10 s timeout; 50 ms, doubling up to 1 s, 20 attempts (about 15 s of waits).
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            first: Duration::from_millis(50),
            longest: Duration::from_secs(1),
            attempts: 20,
        }
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

/// One notification collection `POST`ed to `url` as JSON: `Ok` when the answer is `2xx`,
/// as Graph counts a delivery done.
pub(crate) async fn post_json(
    client: &DeliveryClient,
    url: &str,
    body: bytes::Bytes,
    timeout: Duration,
) -> Result<(), String> {
    let request = http::Request::post(url)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(http_body_util::Full::new(body))
        .map_err(|err| format!("the notification request cannot be made: {err}"))?;
    let answer = tokio::time::timeout(timeout, client.request(request))
        .await
        .map_err(|_| format!("no answer within {timeout:?}"))?
        .map_err(|err| format!("the notification request failed: {}", causes(&err)))?;
    if answer.status().is_success() {
        Ok(())
    } else {
        Err(format!("the endpoint answered {}", answer.status()))
    }
}

/// What became of the notifications an emulator sent.
#[derive(Debug, Default)]
pub(crate) struct Deliveries {
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

impl Deliveries {
    /// A notification is on its way.
    pub(crate) fn started(&self) {
        self.pending.fetch_add(1, Ordering::SeqCst);
    }

    /// An attempt was not answered `2xx`.
    pub(crate) fn refused_attempt(&self) {
        self.refused_attempts.fetch_add(1, Ordering::SeqCst);
    }

    /// A notification was delivered, or dropped after every attempt.
    pub(crate) fn ended(&self, delivered: bool) {
        let counter = if delivered {
            &self.delivered
        } else {
            &self.dropped
        };
        counter.fetch_add(1, Ordering::SeqCst);
        self.pending.fetch_sub(1, Ordering::SeqCst);
    }

    /// The delivery counters now.
    pub(crate) fn counts(&self) -> NotificationCounts {
        NotificationCounts {
            pending: self.pending.load(Ordering::SeqCst),
            delivered: self.delivered.load(Ordering::SeqCst),
            dropped: self.dropped.load(Ordering::SeqCst),
            refused_attempts: self.refused_attempts.load(Ordering::SeqCst),
        }
    }
}

/// Sends `body` to `url` with `http` in the background (on `runtime`), again after each
/// answer that is not `2xx` as `redelivery` says; counts what happened in `counts`.
pub(crate) fn deliver(
    runtime: &tokio::runtime::Handle,
    http: &DeliveryClient,
    counts: &Arc<Deliveries>,
    redelivery: Redelivery,
    url: String,
    body: Value,
) {
    let http = http.clone();
    let counts = Arc::clone(counts);
    let body = Bytes::from(body.to_string());
    counts.started();
    runtime.spawn(async move {
        let mut wait = redelivery.first;
        for attempt in 1..=redelivery.attempts.max(1) {
            match post_json(&http, &url, body.clone(), redelivery.timeout).await {
                Ok(()) => {
                    counts.ended(true);
                    return;
                }
                Err(reason) => {
                    tracing::debug!(%url, attempt, %reason, "notification not accepted");
                    counts.refused_attempt();
                }
            }
            if attempt < redelivery.attempts {
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(redelivery.longest);
            }
        }
        tracing::warn!(%url, "notification dropped after every attempt");
        counts.ended(false);
    });
}

/// An error and its sources, joined: the client's own message leaves out why it failed
/// (a refused connection, an `https` URL).
pub(crate) fn causes(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
