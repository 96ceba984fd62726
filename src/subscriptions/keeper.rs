//! The keeper: keeps subscriptions alive. It renews each before it expires, recreates
//! one Graph removed, renews one Graph asks to reauthorize, and tells the app to catch up
//! after missed notifications. Every call goes through the client and its throttling
//! budget.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, FixedOffset, Utc};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::runtime::client::GraphClient;
use crate::runtime::error::Result;
use crate::subscriptions::rules::SubscriptionResource;
use crate::types::{LifecycleEventType, Subscription};

/// Keeps subscriptions alive: from [`Keeper::new`]. Cheap to clone: clones share the
/// subscriptions they keep. Run [`Keeper::run`] in a task of its own and hand it the
/// lifecycle notifications the receiver gets ([`Keeper::lifecycle`]).
///
/// ```no_run
/// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
/// use graph_online_meetings::chrono::{Duration, Utc};
/// use graph_online_meetings::types::Subscription;
/// use graph_online_meetings::{Keeper, SubscriptionResource};
///
/// let keeper = Keeper::new(client);
/// let request = Subscription::to(
///     &SubscriptionResource::AllTranscripts,
///     "https://example.com/graph/notifications",
///     (Utc::now() + Duration::minutes(55)).fixed_offset(),
/// )
/// .with_client_state("a secret the receiver checks");
/// let subscription = keeper.keep(request).await?;
/// println!("kept: {:?}", subscription.id);
/// tokio::spawn({
///     let keeper = keeper.clone();
///     async move { keeper.run().await }
/// });
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Keeper {
    inner: Arc<Inner>,
}

struct Inner {
    client: GraphClient,
    lifetime: Duration,
    renew_before: Duration,
    kept: Mutex<HashMap<String, Kept>>,
    changed: Notify,
}

/// One subscription kept: the request it was made from (to make it again), and when it
/// is due for renewal on the runtime's clock.
#[derive(Clone)]
struct Kept {
    request: Subscription,
    due: Instant,
}

/// What the keeper did for a lifecycle notification, and what is left to the app.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum KeeperAction {
    /// `reauthorizationRequired`: the subscription was renewed, which reauthorizes it.
    Reauthorized {
        /// The subscription.
        subscription_id: String,
    },
    /// `subscriptionRemoved`: a new subscription was made from the same request.
    Recreated {
        /// The subscription Graph removed.
        removed_id: String,
        /// The new one.
        subscription: Box<Subscription>,
    },
    /// `missed`: some notifications were not delivered. The app catches up with the
    /// delta query it already runs for this resource (`getAllTranscripts` or
    /// `getAllRecordings` with `delta`), from its last delta link.
    CatchUp {
        /// The subscription.
        subscription_id: String,
        /// What it watches, when it is one of the meeting resources.
        resource: Option<SubscriptionResource>,
    },
    /// A notification about a subscription this keeper does not keep, or an event it
    /// does not know: nothing was done.
    Ignored {
        /// The subscription.
        subscription_id: String,
    },
}

impl Keeper {
    /// How long each renewal extends a subscription by default: an hour, the longest
    /// Graph allows without a `lifecycleNotificationUrl`.
    pub const DEFAULT_LIFETIME: Duration = Duration::hours(1);
    /// How long before it expires a subscription is renewed by default.
    pub const DEFAULT_RENEW_BEFORE: Duration = Duration::minutes(10);
    /// The shortest time between two renewals of one subscription, and the wait before
    /// a failed one is tried again: an expiration Graph shortened cannot make the keeper
    /// renew back to back.
    pub const MIN_GAP: Duration = Duration::minutes(1);

    /// A keeper that renews through `client` for [`DEFAULT_LIFETIME`](Self::DEFAULT_LIFETIME)
    /// at a time, [`DEFAULT_RENEW_BEFORE`](Self::DEFAULT_RENEW_BEFORE) ahead of expiry.
    pub fn new(client: GraphClient) -> Self {
        Self::with_timing(client, Self::DEFAULT_LIFETIME, Self::DEFAULT_RENEW_BEFORE)
    }

    /// A keeper that renews for `lifetime` at a time (at least [`MIN_GAP`](Self::MIN_GAP);
    /// at most the resource's maximum, and an hour for a subscription without a
    /// `lifecycleNotificationUrl`), `renew_before` ahead of expiry (at most half the
    /// lifetime, so that a renewal always buys time).
    pub fn with_timing(client: GraphClient, lifetime: Duration, renew_before: Duration) -> Self {
        let lifetime = lifetime.max(Self::MIN_GAP);
        let renew_before = renew_before.max(Duration::zero()).min(lifetime / 2);
        Self {
            inner: Arc::new(Inner {
                client,
                lifetime,
                renew_before,
                kept: Mutex::new(HashMap::new()),
                changed: Notify::new(),
            }),
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, HashMap<String, Kept>> {
        // Each change is one insert or remove: a panic elsewhere leaves the map whole.
        self.inner.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Create a subscription from `request` and keep it alive from now on.
    pub async fn keep(&self, request: Subscription) -> Result<Subscription> {
        let created = self
            .inner
            .client
            .subscriptions()
            .create(&request)
            .await?
            .into_inner();
        self.remember(&created, request);
        Ok(created)
    }

    /// Stop keeping subscription `subscription_id` (it is not deleted).
    pub fn forget(&self, subscription_id: &str) {
        self.kept().remove(subscription_id);
        self.inner.changed.notify_one();
    }

    /// The IDs of the subscriptions kept.
    pub fn subscription_ids(&self) -> Vec<String> {
        self.kept().keys().cloned().collect()
    }

    fn remember(&self, subscription: &Subscription, request: Subscription) {
        let Some(id) = subscription.id.clone() else {
            return;
        };
        let due = self.due(subscription.expiration_date_time);
        self.kept().insert(id, Kept { request, due });
        self.inner.changed.notify_one();
    }

    /// When a subscription that expires at `expiration` is to be renewed, on the
    /// runtime's clock: `renew_before` ahead, and no sooner than [`MIN_GAP`](Self::MIN_GAP)
    /// from now.
    fn due(&self, expiration: Option<DateTime<FixedOffset>>) -> Instant {
        let left = expiration
            .map(|at| at.with_timezone(&Utc) - Utc::now() - self.inner.renew_before)
            .unwrap_or_else(Duration::zero)
            .max(Self::MIN_GAP);
        Instant::now() + left.to_std().unwrap_or_default()
    }

    /// Renew subscription `subscription_id` for another lifetime, now.
    pub async fn renew(&self, subscription_id: &str) -> Result<Subscription> {
        let lifetime = match self.kept().get(subscription_id) {
            Some(kept) => self.lifetime_for(&kept.request),
            None => self.inner.lifetime,
        };
        let expiration = (Utc::now() + lifetime).fixed_offset();
        let renewed = self
            .inner
            .client
            .subscriptions()
            .renew(subscription_id, expiration)
            .await?
            .into_inner();
        let due = self.due(renewed.expiration_date_time.or(Some(expiration)));
        if let Some(kept) = self.kept().get_mut(subscription_id) {
            kept.due = due;
        }
        self.inner.changed.notify_one();
        Ok(renewed)
    }

    /// The lifetime of one renewal of a subscription made from `request`: the keeper's,
    /// at most its resource's maximum, and at most the time past which Graph wants a
    /// `lifecycleNotificationUrl` when it has none.
    fn lifetime_for(&self, request: &Subscription) -> Duration {
        let mut lifetime = self.inner.lifetime;
        if let Some(resource) = request
            .resource
            .as_deref()
            .and_then(SubscriptionResource::parse)
        {
            lifetime = lifetime.min(resource.max_expiration());
            if request.lifecycle_notification_url.is_none() {
                lifetime = lifetime.min(resource.lifecycle_required_after());
            }
        }
        lifetime
    }

    /// Renews every subscription that is due, for ever: run it in a task of its own.
    /// A renewal Graph refuses because the subscription is gone (`404`) makes it again
    /// from its request; another failure is logged and tried again a minute later.
    pub async fn run(&self) {
        loop {
            let next = self.kept().values().map(|kept| kept.due).min();
            let changed = self.inner.changed.notified();
            match next {
                Some(at) if at <= Instant::now() => self.renew_due().await,
                Some(at) => {
                    // Woken at the due time, or earlier when the kept set changed.
                    let _ = tokio::time::timeout_at(at, changed).await;
                }
                None => changed.await,
            }
        }
    }

    async fn renew_due(&self) {
        let now = Instant::now();
        let due: Vec<String> = self
            .kept()
            .iter()
            .filter(|(_, kept)| kept.due <= now)
            .map(|(id, _)| id.clone())
            .collect();
        for id in due {
            match self.renew(&id).await {
                Ok(_) => tracing::debug!(subscription = %id, "subscription renewed"),
                Err(error) if error.is_status(reqwest::StatusCode::NOT_FOUND) => {
                    tracing::info!(subscription = %id, "subscription gone: made again");
                    if let Some(Err(error)) = self.recreate(&id).await {
                        tracing::warn!(subscription = %id, %error, "subscription not made again");
                    }
                }
                Err(error) => {
                    tracing::warn!(subscription = %id, %error, "subscription not renewed");
                    self.retry_later(&id);
                }
            }
        }
    }

    fn retry_later(&self, subscription_id: &str) {
        if let Some(kept) = self.kept().get_mut(subscription_id) {
            kept.due = Instant::now() + Self::MIN_GAP.to_std().unwrap_or_default();
        }
    }

    /// Make subscription `subscription_id` again from the request it was made from,
    /// with a new expiration; the keeper then keeps the new one instead. It is taken out
    /// of the kept set first, so that a renewal finding it gone and Graph's
    /// `subscriptionRemoved` cannot both make it again: `None` when it was not kept (or
    /// another call is making it again). A failed attempt puts it back, to be tried
    /// again after [`MIN_GAP`](Self::MIN_GAP).
    async fn recreate(&self, subscription_id: &str) -> Option<Result<Subscription>> {
        let kept = self.kept().remove(subscription_id)?;
        let lifetime = self.lifetime_for(&kept.request);
        let request = kept
            .request
            .clone()
            .with_expiration_date_time((Utc::now() + lifetime).fixed_offset());
        let created = self.inner.client.subscriptions().create(&request).await;
        Some(match created {
            Ok(created) => {
                let created = created.into_inner();
                self.remember(&created, kept.request);
                Ok(created)
            }
            Err(error) => {
                let due = Instant::now() + Self::MIN_GAP.to_std().unwrap_or_default();
                self.kept()
                    .insert(subscription_id.to_owned(), Kept { due, ..kept });
                self.inner.changed.notify_one();
                Err(error)
            }
        })
    }

    /// Act on a lifecycle notification Graph sent about `subscription_id`:
    /// `reauthorizationRequired` renews it, `subscriptionRemoved` makes it again, and
    /// `missed` tells the app to catch up ([`KeeperAction::CatchUp`]).
    pub async fn lifecycle(
        &self,
        subscription_id: &str,
        event: &LifecycleEventType,
    ) -> Result<KeeperAction> {
        let request = self
            .kept()
            .get(subscription_id)
            .map(|kept| kept.request.clone());
        let request = match request {
            Some(request) => request,
            None => {
                return Ok(KeeperAction::Ignored {
                    subscription_id: subscription_id.to_owned(),
                });
            }
        };
        Ok(match event {
            LifecycleEventType::ReauthorizationRequired => {
                self.renew(subscription_id).await?;
                KeeperAction::Reauthorized {
                    subscription_id: subscription_id.to_owned(),
                }
            }
            LifecycleEventType::SubscriptionRemoved => match self.recreate(subscription_id).await {
                Some(created) => KeeperAction::Recreated {
                    removed_id: subscription_id.to_owned(),
                    subscription: Box::new(created?),
                },
                // A renewal that found it gone is making it again already.
                None => KeeperAction::Ignored {
                    subscription_id: subscription_id.to_owned(),
                },
            },
            LifecycleEventType::Missed => KeeperAction::CatchUp {
                subscription_id: subscription_id.to_owned(),
                resource: request
                    .resource
                    .as_deref()
                    .and_then(SubscriptionResource::parse),
            },
            _ => KeeperAction::Ignored {
                subscription_id: subscription_id.to_owned(),
            },
        })
    }
}

impl std::fmt::Debug for Keeper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keeper")
            .field("lifetime", &self.inner.lifetime)
            .field("renew_before", &self.inner.renew_before)
            .field("kept", &self.subscription_ids())
            .finish_non_exhaustive()
    }
}
