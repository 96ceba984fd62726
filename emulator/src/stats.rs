//! Request counters, so tests can assert how many calls a client made.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::route_table::{Route, VersionSegment};

const SLOTS: usize = Route::ALL.len() * VersionSegment::ALL.len();

#[derive(Debug)]
struct Counters {
    total: AtomicU64,
    unmatched: AtomicU64,
    rate_limited: AtomicU64,
    routes: [AtomicU64; SLOTS],
}

// By hand: the standard library derives `Default` for arrays of at most 32 items.
impl Default for Counters {
    fn default() -> Self {
        Self {
            total: AtomicU64::new(0),
            unmatched: AtomicU64::new(0),
            rate_limited: AtomicU64::new(0),
            routes: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }
}

impl Counters {
    fn route(&self, route: Route, version: VersionSegment) -> &AtomicU64 {
        let slot = route.index() * VersionSegment::ALL.len() + version.index();
        // `slot` < SLOTS by construction; the fallback is never used.
        self.routes.get(slot).unwrap_or(&self.unmatched)
    }
}

/// A cloneable handle on the emulator's request counters.
///
/// Every request is counted in [`total`](Self::total) as it arrives, whatever its answer
/// (including injected faults and errors). Requests that reach a route are also counted
/// per [`Route`] and [`VersionSegment`]; requests that match no route or use the wrong method
/// are counted in [`unmatched`](Self::unmatched).
#[derive(Debug, Clone)]
pub struct RequestStats {
    counters: Arc<Counters>,
}

/// A point-in-time copy of the request counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestCounts {
    /// Every request served.
    pub total: u64,
    /// Requests that matched no route (404) or used the wrong method (405).
    pub unmatched: u64,
    routes: [u64; Route::ALL.len()],
}

// By hand: the standard library derives `Default` for arrays of at most 32 items.
impl Default for RequestCounts {
    fn default() -> Self {
        Self {
            total: 0,
            unmatched: 0,
            routes: [0; Route::ALL.len()],
        }
    }
}

impl RequestCounts {
    /// Calls that reached `route`, both versions.
    pub fn count(&self, route: Route) -> u64 {
        self.routes.get(route.index()).copied().unwrap_or_default()
    }
}

impl RequestStats {
    /// Zeroed counters (the emulator makes them; users get them from `RunningEmulator::stats`).
    pub(crate) fn new() -> Self {
        Self {
            counters: Arc::new(Counters::default()),
        }
    }

    /// Every request served so far.
    pub fn total(&self) -> u64 {
        self.counters.total.load(Ordering::SeqCst)
    }

    /// Calls that reached `route`, in both API versions.
    pub fn count(&self, route: Route) -> u64 {
        VersionSegment::ALL
            .iter()
            .map(|version| self.count_in(route, *version))
            .sum()
    }

    /// Calls that reached `route` in one API version.
    pub fn count_in(&self, route: Route, version: VersionSegment) -> u64 {
        self.counters.route(route, version).load(Ordering::SeqCst)
    }

    /// Requests that matched no route or used the wrong method.
    pub fn unmatched(&self) -> u64 {
        self.counters.unmatched.load(Ordering::SeqCst)
    }

    /// Requests answered `429` because their app was over the rate limit
    /// ([`EmulatorBuilder::rate_limit`](crate::EmulatorBuilder::rate_limit)); injected
    /// faults are not counted here.
    pub fn rate_limited(&self) -> u64 {
        self.counters.rate_limited.load(Ordering::SeqCst)
    }

    /// All counters at once.
    pub fn snapshot(&self) -> RequestCounts {
        RequestCounts {
            total: self.total(),
            unmatched: self.unmatched(),
            routes: Route::ALL.map(|route| self.count(route)),
        }
    }

    /// Sets every counter back to zero.
    pub fn reset(&self) {
        self.counters.total.store(0, Ordering::SeqCst);
        self.counters.unmatched.store(0, Ordering::SeqCst);
        self.counters.rate_limited.store(0, Ordering::SeqCst);
        for counter in &self.counters.routes {
            counter.store(0, Ordering::SeqCst);
        }
    }

    pub(crate) fn record_request(&self) {
        self.counters.total.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn record_route(&self, route: Route, version: VersionSegment) {
        self.counters
            .route(route, version)
            .fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn record_rate_limited(&self) {
        self.counters.rate_limited.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn record_unmatched(&self) {
        self.counters.unmatched.fetch_add(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_and_reset() {
        let stats = RequestStats::new();
        stats.record_request();
        stats.record_request();
        stats.record_route(Route::CreateOrGetMe, VersionSegment::V1);
        stats.record_route(Route::CreateOrGetMe, VersionSegment::Beta);
        stats.record_unmatched();
        assert_eq!(stats.count(Route::CreateOrGetMe), 2);
        assert_eq!(
            stats.count_in(Route::CreateOrGetMe, VersionSegment::Beta),
            1
        );
        let snapshot = stats.snapshot();
        assert_eq!(snapshot.total, 2);
        assert_eq!(snapshot.count(Route::CreateOrGetMe), 2);
        assert_eq!(snapshot.unmatched, 1);
        stats.reset();
        assert_eq!(stats.snapshot(), RequestCounts::default());
    }
}
