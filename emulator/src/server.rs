//! Starting, configuring and stopping the emulator.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::artifacts::{EndedMeeting, MeetingEnd};
use crate::delivery::{NotificationCounts, Redelivery};
use crate::error::EmulatorError;
use crate::faults::{Fault, FaultInjector};
use crate::rate_limit::{Limiter, RateLimit};
use crate::router::router;
use crate::state::ServerState;
use crate::stats::RequestStats;
use crate::store::{EndError, MeetingStore};

/// The default request body limit: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// The default grace period of [`RunningEmulator::shutdown`]: 10 seconds.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The default number of items in a page of a collection: 10, small so that a test of a
/// list soon crosses pages (Graph's own pages are larger; `$top` overrides it per request).
pub const DEFAULT_PAGE_SIZE: usize = 10;

/// Entry point: start an emulator with the defaults, or configure one with
/// [`Emulator::builder`].
#[derive(Debug)]
pub struct Emulator {
    _private: (),
}

impl Emulator {
    /// Starts an emulator with the default settings on `addr` (for example `"127.0.0.1:0"` for
    /// a free port).
    ///
    /// # Errors
    ///
    /// [`EmulatorError::Bind`] when the address cannot be bound.
    pub async fn start(addr: &str) -> Result<RunningEmulator, EmulatorError> {
        EmulatorBuilder::new().start(addr).await
    }

    /// A builder for an emulator with non-default settings.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::new()
    }
}

/// Settings of an emulator; [`start`](Self::start) runs it.
///
/// ```
/// # async fn demo() -> Result<(), graph_online_meetings_emulator::EmulatorError> {
/// use graph_online_meetings_emulator::{Emulator, Fault};
///
/// let emulator = Emulator::builder()
///     .max_body_bytes(64 * 1024)
///     .page_size(3)
///     .fail_next(1, Fault::throttle("2"))
///     .start("127.0.0.1:0")
///     .await?;
/// # emulator.shutdown().await
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    max_body_bytes: usize,
    faults: Vec<(u32, Fault)>,
    shutdown_grace: Duration,
    page_size: usize,
    rate_limit: Option<RateLimit>,
    redelivery: Redelivery,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl EmulatorBuilder {
    /// The default settings: a 1 MiB body limit, no faults, a 10 s shutdown grace period,
    /// pages of [`DEFAULT_PAGE_SIZE`] items.
    pub fn new() -> Self {
        Self {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            faults: Vec::new(),
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
            page_size: DEFAULT_PAGE_SIZE,
            rate_limit: None,
            redelivery: Redelivery::default(),
        }
    }

    /// How a change notification that a receiver did not answer `2xx` is sent again
    /// ([`Redelivery::default`] unless set).
    pub fn redelivery(mut self, redelivery: Redelivery) -> Self {
        self.redelivery = redelivery;
        self
    }

    /// How many items a page of a collection holds when the request has no `$top`
    /// (attendance reports and records, transcripts, recordings, `getAll…`); `0` counts
    /// as 1.
    pub fn page_size(mut self, items: usize) -> Self {
        self.page_size = items.max(1);
        self
    }

    /// Throttle like Graph: at most `limit` requests per period per app per tenant, in a
    /// fixed window or a token bucket ([`RateLimit::kind`]); a request beyond it is
    /// answered `429 TooManyRequests` with a `Retry-After` that says when there is room
    /// (see [`RateLimit`]). Off by default. Counted by
    /// [`RequestStats::rate_limited`](crate::RequestStats::rate_limited).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// The largest request body accepted; larger bodies are answered `413`.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Queues a fault for the first `count` calls (see [`FaultInjector::fail_next`]); faults
    /// queued here come before any queued at run time.
    pub fn fail_next(mut self, count: u32, fault: Fault) -> Self {
        self.faults.push((count, fault));
        self
    }

    /// How long [`RunningEmulator::shutdown`] waits for in-flight requests before aborting.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }

    /// Binds `addr` and serves in a background task on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// [`EmulatorError::InvalidRetryAfter`] when a queued fault cannot be sent,
    /// [`EmulatorError::Bind`] when the address cannot be bound, and
    /// [`EmulatorError::LocalAddr`] when the bound address cannot be read.
    pub async fn start(self, addr: &str) -> Result<RunningEmulator, EmulatorError> {
        let faults = FaultInjector::new();
        for (count, fault) in self.faults {
            faults.fail_next(count, fault)?;
        }
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| EmulatorError::Bind {
                addr: addr.to_owned(),
                source,
            })?;
        let local_addr = listener.local_addr().map_err(EmulatorError::LocalAddr)?;
        let shared = Arc::new(ServerState {
            store: MeetingStore::default(),
            subscriptions: Arc::default(),
            http: crate::delivery::delivery_client(),
            deliveries: Arc::default(),
            redelivery: self.redelivery,
            runtime: tokio::runtime::Handle::current(),
            faults: faults.clone(),
            stats: RequestStats::new(),
            max_body_bytes: self.max_body_bytes,
            page_size: self.page_size,
            rate_limit: self.rate_limit.map(Limiter::new),
            base_url: format!("http://{local_addr}"),
        });
        let app = router(Arc::clone(&shared));
        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    // A dropped sender also means "stop".
                    let _ = shutdown_rx.await;
                })
                .await
        });
        tracing::info!(%local_addr, "emulator listening");
        Ok(RunningEmulator {
            base_url: format!("http://{local_addr}"),
            local_addr,
            shared,
            shutdown_grace: self.shutdown_grace,
            shutdown_tx: Some(shutdown_tx),
            task: Some(task),
        })
    }
}

/// A running emulator. Dropping it starts a graceful shutdown in the background;
/// [`shutdown`](Self::shutdown) stops it and waits.
pub struct RunningEmulator {
    base_url: String,
    local_addr: SocketAddr,
    shared: Arc<ServerState>,
    shutdown_grace: Duration,
    shutdown_tx: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl std::fmt::Debug for RunningEmulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningEmulator")
            .field("base_url", &self.base_url)
            .field("meetings", &self.meeting_count())
            .field("requests", &self.shared.stats.total())
            .field("pending_faults", &self.shared.faults.pending())
            .field("running", &self.shutdown_tx.is_some())
            .finish()
    }
}

impl RunningEmulator {
    /// The base URL, `http://IP:PORT`, without a trailing slash or a version segment: Graph's
    /// `https://graph.microsoft.com` stand-in.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address the emulator is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `base_url` followed by `path` (which should start with `/`), e.g.
    /// `url("/v1.0/me/onlineMeetings")`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// A handle to inject faults at run time.
    pub fn faults(&self) -> FaultInjector {
        self.shared.faults.clone()
    }

    /// A handle on the request counters.
    pub fn stats(&self) -> RequestStats {
        self.shared.stats.clone()
    }

    /// How many meetings the emulator holds (every create, and every createOrGet that created).
    pub fn meeting_count(&self) -> usize {
        self.shared.store.len()
    }

    /// A copy of every stored meeting, oldest first, as Graph would send it minus
    /// `@odata.context`.
    pub fn meetings(&self) -> Vec<Value> {
        self.shared
            .store
            .snapshot()
            .into_iter()
            .map(|meeting| Value::Object(meeting.document.clone()))
            .collect()
    }

    /// Ends meeting `meeting_id` of user `user_id` (its organizer) in tenant `tenant_id`, as
    /// `POST /_emulator/v1.0/users/{userId}/onlineMeetings/{meetingId}/end` does: makes a new
    /// attendance report, transcript and recording from `end` and returns their ids. Ending
    /// a meeting again makes a new set (a new session). The tenant and the user are compared
    /// case-insensitively, as in the routes.
    ///
    /// ```
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use chrono::{TimeZone, Utc};
    /// use graph_online_meetings_emulator::{Attendee, Emulator, MeetingEnd, TokenKind, fake_token};
    ///
    /// let emulator = Emulator::start("127.0.0.1:0").await?;
    /// let token = fake_token("tenant", "user", TokenKind::Delegated);
    /// let meeting: serde_json::Value = reqwest::Client::new()
    ///     .post(emulator.url("/v1.0/me/onlineMeetings"))
    ///     .bearer_auth(&token)
    ///     .json(&serde_json::json!({}))
    ///     .send()
    ///     .await?
    ///     .json()
    ///     .await?;
    /// let id = meeting["id"].as_str().unwrap_or_default();
    /// let join = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let leave = Utc.with_ymd_and_hms(2026, 1, 5, 9, 45, 0).unwrap();
    /// let end = MeetingEnd::new([Attendee::new("Ada", "ada@contoso.com").interval(join, leave)]);
    /// let ended = emulator.end_meeting("tenant", "user", id, &end)?;
    /// assert!(ended.transcript_vtt.contains("<v Ada>"));
    /// # emulator.shutdown().await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`EmulatorError::MeetingNotFound`] when the user has no such meeting (unknown,
    /// deleted, or another user's), and [`EmulatorError::InvalidMeetingEnd`] when an
    /// interval's leave is earlier than its join or a duration does not fit Graph's `Int32`.
    pub fn end_meeting(
        &self,
        tenant_id: &str,
        user_id: &str,
        meeting_id: &str,
        end: &MeetingEnd,
    ) -> Result<EndedMeeting, EmulatorError> {
        let session = self
            .shared
            .store
            .end_meeting(tenant_id, user_id, meeting_id, end)
            .map_err(|err| match err {
                EndError::Invalid(reason) => EmulatorError::InvalidMeetingEnd { reason },
                EndError::NotFound => EmulatorError::MeetingNotFound {
                    tenant_id: tenant_id.to_owned(),
                    user_id: user_id.to_owned(),
                    meeting_id: meeting_id.to_owned(),
                },
            })?;
        crate::notify::meeting_ended(&self.shared, &session);
        Ok(session.ended())
    }

    /// Sends subscription `subscription_id` the lifecycle notification `event`
    /// (`reauthorizationRequired`, `subscriptionRemoved`, which also removes the
    /// subscription, or `missed`), as `POST
    /// /_emulator/v1.0/subscriptions/{subscriptionId}/lifecycle` does for the app that
    /// owns it. It goes to the subscription's `lifecycleNotificationUrl`, or its
    /// `notificationUrl` when it has none, in the background.
    ///
    /// # Errors
    ///
    /// [`EmulatorError::SubscriptionNotFound`] when no subscription that has not expired
    /// has that id, and [`EmulatorError::UnknownLifecycleEvent`] for another event.
    pub fn send_lifecycle(&self, subscription_id: &str, event: &str) -> Result<(), EmulatorError> {
        crate::notify::send_lifecycle(&self.shared, None, subscription_id, event)
            .map_err(|reason| EmulatorError::UnknownLifecycleEvent { reason })?
            .ok_or_else(|| EmulatorError::SubscriptionNotFound {
                subscription_id: subscription_id.to_owned(),
            })
    }

    /// What became of the change notifications sent so far.
    pub fn notifications(&self) -> NotificationCounts {
        self.shared.deliveries.counts()
    }

    /// Stops accepting connections, lets in-flight requests finish (idle keep-alive connections
    /// are closed), and waits for the server task, for at most the grace period.
    ///
    /// # Errors
    ///
    /// [`EmulatorError::Serve`] or [`EmulatorError::Task`] when the server failed, and
    /// [`EmulatorError::ShutdownTimedOut`] when requests were still running after the grace
    /// period (the server is aborted then).
    pub async fn shutdown(mut self) -> Result<(), EmulatorError> {
        if let Some(shutdown_tx) = self.shutdown_tx.take() {
            let _ = shutdown_tx.send(());
        }
        let Some(mut task) = self.task.take() else {
            return Ok(());
        };
        let grace = self.shutdown_grace;
        match tokio::time::timeout(grace, &mut task).await {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(err))) => Err(EmulatorError::Serve(err)),
            Ok(Err(err)) => Err(EmulatorError::Task(err)),
            Err(_elapsed) => {
                task.abort();
                Err(EmulatorError::ShutdownTimedOut { grace })
            }
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(shutdown_tx) = self.shutdown_tx.take() {
            let _ = shutdown_tx.send(());
        }
    }
}
