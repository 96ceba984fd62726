//! The budget a client's calls share against Graph's throttling (per app per tenant, so
//! per client): after a `429`, every new attempt waits until its `Retry-After` has passed,
//! so that the calls do not come back as a herd; and at most so many attempts are in
//! flight at once. Clones of a client share one budget.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};
// Tokio's clock, which a paused test clock moves too.
use tokio::time::Instant;

/// The default of [`GraphClientBuilder::max_in_flight`](crate::GraphClientBuilder::max_in_flight):
/// enough to keep a bulk job near a tenant's rate at Graph's latencies, few enough that
/// the attempts already in flight when a window fills (each of them a `429`) stay a
/// small share of the window's requests.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 16;

/// A client's shared budget: the pause after a `429` and the attempts in flight.
#[derive(Debug)]
pub(crate) struct Budget {
    origin: Instant,
    /// Nanoseconds after `origin` until which no attempt starts (0: none).
    paused_until: AtomicU64,
    in_flight: Semaphore,
}

/// One attempt's place in the budget, held while it runs, and how long it waited for it:
/// for the client's pause after a `429`, and for a place among those in flight.
pub(crate) struct Admission<'a> {
    _permit: Option<SemaphorePermit<'a>>,
    pub(crate) paused: Duration,
    pub(crate) queued: Duration,
}

impl Admission<'_> {
    /// The whole wait.
    pub(crate) fn waited(&self) -> Duration {
        self.paused + self.queued
    }
}

impl Budget {
    pub(crate) fn new(max_in_flight: usize) -> Self {
        Budget {
            origin: Instant::now(),
            paused_until: AtomicU64::new(0),
            in_flight: Semaphore::new(max_in_flight.clamp(1, Semaphore::MAX_PERMITS)),
        }
    }

    /// Wait until no pause holds and a place among those in flight is free; or, when the
    /// pause holds longer than `limit` (what the call may still wait for throttling), how
    /// long it still holds, at once.
    ///
    /// A waiter that gets its place and then finds a new pause gives the place back and
    /// waits again (the attempt must not start during a pause); when a pause ends, its
    /// waiters wake together, at most the bound of them getting a place.
    pub(crate) async fn admit(&self, limit: Duration) -> Result<Admission<'_>, Duration> {
        let (mut paused, mut queued) = (Duration::ZERO, Duration::ZERO);
        loop {
            while let Some(left) = self.pause_left() {
                if paused + left > limit {
                    return Err(left);
                }
                let start = Instant::now();
                tokio::time::sleep(left).await;
                paused += start.elapsed();
            }
            let permit = match self.in_flight.try_acquire() {
                Ok(permit) => Some(permit),
                Err(_) => {
                    let start = Instant::now();
                    // The semaphore is never closed; `None` would only mean "unbounded".
                    let permit = self.in_flight.acquire().await.ok();
                    queued += start.elapsed();
                    permit
                }
            };
            if self.pause_left().is_none() {
                return Ok(Admission {
                    _permit: permit,
                    paused,
                    queued,
                });
            }
        }
    }

    /// Pause every new attempt for `delay` from now (a later pause already set stays).
    pub(crate) fn pause(&self, delay: Duration) {
        let until = self.origin.elapsed().saturating_add(delay);
        let nanos = u64::try_from(until.as_nanos()).unwrap_or(u64::MAX);
        self.paused_until.fetch_max(nanos, Ordering::AcqRel);
    }

    /// How long the pause still holds, if it does.
    fn pause_left(&self) -> Option<Duration> {
        let until = Duration::from_nanos(self.paused_until.load(Ordering::Acquire));
        until
            .checked_sub(self.origin.elapsed())
            .filter(|left| !left.is_zero())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_every_new_attempt_until_it_passes() {
        let budget = Budget::new(4);
        let limit = Duration::from_secs(60);
        let admitted = budget.admit(limit).await.expect("no pause");
        assert_eq!(admitted.waited(), Duration::ZERO);
        drop(admitted);
        budget.pause(Duration::from_secs(2));
        budget.pause(Duration::from_secs(1)); // a shorter pause does not cut the longer
        let admitted = budget.admit(limit).await.expect("a pause within the limit");
        assert_eq!(admitted.paused, Duration::from_secs(2));
        assert_eq!(budget.pause_left(), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_longer_than_the_call_may_wait_is_said_at_once() {
        let budget = Budget::new(4);
        budget.pause(Duration::from_secs(400));
        let left = budget
            .admit(Duration::from_secs(300))
            .await
            .err()
            .expect("refused");
        assert_eq!(left, Duration::from_secs(400));
    }

    #[tokio::test(start_paused = true)]
    async fn at_most_the_bound_is_in_flight() {
        let budget = std::sync::Arc::new(Budget::new(1));
        let limit = Duration::from_secs(60);
        let first = budget.admit(limit).await.expect("admitted");
        let waiting = {
            let budget = std::sync::Arc::clone(&budget);
            tokio::spawn(async move { budget.admit(limit).await.map(|a| a.queued) })
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            !waiting.is_finished(),
            "a second attempt waits for the first"
        );
        drop(first);
        let queued = waiting.await.expect("the task").expect("admitted");
        assert_eq!(queued, Duration::from_millis(300));
    }
}
