//! What every request of one emulator shares.

use std::sync::Arc;

use crate::faults::FaultInjector;
use crate::rate_limit::Limiter;
use crate::stats::RequestStats;
use crate::store::MeetingStore;
use crate::subscriptions::SubscriptionStore;

/// State shared by every request.
#[derive(Debug)]
pub(crate) struct ServerState {
    pub(crate) store: MeetingStore,
    /// The subscriptions, shared with the handshakes that store a new one.
    pub(crate) subscriptions: Arc<SubscriptionStore>,
    /// The HTTP client of the validation handshakes and the notifications.
    pub(crate) http: crate::delivery::DeliveryClient,
    /// What became of the notifications sent.
    pub(crate) deliveries: Arc<crate::delivery::Deliveries>,
    /// How a notification not answered `2xx` is sent again.
    pub(crate) redelivery: crate::delivery::Redelivery,
    /// The runtime the emulator was started on, where deliveries run.
    pub(crate) runtime: tokio::runtime::Handle,
    pub(crate) faults: FaultInjector,
    pub(crate) stats: RequestStats,
    pub(crate) max_body_bytes: usize,
    /// The default number of items of a collection page (`$top` overrides it).
    pub(crate) page_size: usize,
    /// The budget of requests per app per tenant, if throttling is on.
    pub(crate) rate_limit: Option<Limiter>,
    /// `http://IP:PORT`, for links when a request names no host.
    pub(crate) base_url: String,
}

/// The state as the router holds it.
pub(crate) type AppState = Arc<ServerState>;
