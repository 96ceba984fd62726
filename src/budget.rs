//! The budget a client's calls share against Graph's throttling (per app per tenant, so
//! per client): after a `429`, every new attempt waits until its `Retry-After` has passed,
//! so that the calls do not come back as a herd; and at most so many attempts are in
//! flight at once. Clones of a client share one budget.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};
// Tokio's clock, which a paused test clock moves too.
use tokio::time::Instant;

/// The default of [`GraphClientBuilder::max_in_flight`](crate::GraphClientBuilder::max_in_flight).
pub const DEFAULT_MAX_IN_FLIGHT: usize = 16;

/// A client's shared budget: the pause after a `429` and the attempts in flight.
#[derive(Debug)]
pub(crate) struct Budget {
    origin: Instant,
    /// Nanoseconds after `origin` until which no attempt starts (0: none).
    paused_until: AtomicU64,
    in_flight: Semaphore,
}

/// One attempt's place in the budget, held while it runs; `waited` is how long it waited
/// for it (for the pause, or for a place among those in flight).
pub(crate) struct Admission<'a> {
    _permit: Option<SemaphorePermit<'a>>,
    pub(crate) waited: Duration,
}

impl Budget {
    pub(crate) fn new(max_in_flight: usize) -> Self {
        Budget {
            origin: Instant::now(),
            paused_until: AtomicU64::new(0),
            in_flight: Semaphore::new(max_in_flight.clamp(1, Semaphore::MAX_PERMITS)),
        }
    }

    /// Wait until no pause holds and a place among those in flight is free.
    pub(crate) async fn admit(&self) -> Admission<'_> {
        let mut started: Option<Instant> = None;
        loop {
            while let Some(left) = self.pause_left() {
                started.get_or_insert_with(Instant::now);
                tokio::time::sleep(left).await;
            }
            let permit = match self.in_flight.try_acquire() {
                Ok(permit) => Some(permit),
                Err(_) => {
                    started.get_or_insert_with(Instant::now);
                    // The semaphore is never closed; `None` would only mean "unbounded".
                    self.in_flight.acquire().await.ok()
                }
            };
            // A `429` may have paused the budget while this attempt waited for its place.
            if self.pause_left().is_none() {
                return Admission {
                    _permit: permit,
                    waited: started.map_or(Duration::ZERO, |at| at.elapsed()),
                };
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
        assert_eq!(budget.admit().await.waited, Duration::ZERO);
        budget.pause(Duration::from_secs(2));
        budget.pause(Duration::from_secs(1)); // a shorter pause does not cut the longer
        let admitted = budget.admit().await;
        assert_eq!(admitted.waited, Duration::from_secs(2));
        assert_eq!(budget.pause_left(), None);
    }

    #[tokio::test(start_paused = true)]
    async fn at_most_the_bound_is_in_flight() {
        let budget = std::sync::Arc::new(Budget::new(1));
        let first = budget.admit().await;
        let waiting = {
            let budget = std::sync::Arc::clone(&budget);
            tokio::spawn(async move { budget.admit().await.waited })
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            !waiting.is_finished(),
            "a second attempt waits for the first"
        );
        drop(first);
        let waited = waiting.await.expect("admitted");
        assert_eq!(waited, Duration::from_millis(300));
    }
}
