//! Request counters, so tests can assert how many calls a client made.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A Graph API version segment the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersionSegment {
    /// `/v1.0`.
    V1,
    /// `/beta`.
    Beta,
}

impl VersionSegment {
    fn index(self) -> usize {
        self as usize
    }

    /// Both versions, in path order.
    pub const ALL: [VersionSegment; 2] = [VersionSegment::V1, VersionSegment::Beta];

    /// The path segment: `"v1.0"` or `"beta"`.
    pub fn segment(self) -> &'static str {
        match self {
            Self::V1 => "v1.0",
            Self::Beta => "beta",
        }
    }
}

impl fmt::Display for VersionSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.segment())
    }
}

/// An HTTP method of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The method's name, upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

/// One emulated route: a method and a path pattern under the version segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Route {
    /// `POST /{version}/me/onlineMeetings` (create; not idempotent).
    CreateMe,
    /// `GET /{version}/me/onlineMeetings?$filter=JoinWebUrl eq '…'`.
    ListMe,
    /// `POST /{version}/me/onlineMeetings/createOrGet`.
    CreateOrGetMe,
    /// `GET /{version}/me/onlineMeetings/{meetingId}`.
    GetMe,
    /// `PATCH /{version}/me/onlineMeetings/{meetingId}`.
    UpdateMe,
    /// `DELETE /{version}/me/onlineMeetings/{meetingId}`.
    DeleteMe,
    /// `POST /{version}/users/{userId}/onlineMeetings/createOrGet`.
    CreateOrGetUser,
    /// `GET /{version}/users/{userId}/onlineMeetings?$filter=JoinWebUrl eq '…'`.
    ListUser,
    /// `GET /{version}/users/{userId}/onlineMeetings/{meetingId}`.
    GetUser,
    /// `PATCH /{version}/users/{userId}/onlineMeetings/{meetingId}`.
    UpdateUser,
    /// `DELETE /{version}/users/{userId}/onlineMeetings/{meetingId}`.
    DeleteUser,
}

impl Route {
    /// Every route.
    pub const ALL: [Route; 11] = [
        Route::CreateMe,
        Route::ListMe,
        Route::CreateOrGetMe,
        Route::GetMe,
        Route::UpdateMe,
        Route::DeleteMe,
        Route::CreateOrGetUser,
        Route::ListUser,
        Route::GetUser,
        Route::UpdateUser,
        Route::DeleteUser,
    ];

    /// The route's method.
    pub fn method(self) -> Method {
        match self {
            Self::CreateMe | Self::CreateOrGetMe | Self::CreateOrGetUser => Method::Post,
            Self::ListMe | Self::GetMe | Self::ListUser | Self::GetUser => Method::Get,
            Self::UpdateMe | Self::UpdateUser => Method::Patch,
            Self::DeleteMe | Self::DeleteUser => Method::Delete,
        }
    }

    /// The path pattern under the version segment, e.g. `/me/onlineMeetings`.
    pub fn path_pattern(self) -> &'static str {
        match self {
            Self::CreateMe | Self::ListMe => "/me/onlineMeetings",
            Self::CreateOrGetMe => "/me/onlineMeetings/createOrGet",
            Self::GetMe | Self::UpdateMe | Self::DeleteMe => "/me/onlineMeetings/{meetingId}",
            Self::CreateOrGetUser => "/users/{userId}/onlineMeetings/createOrGet",
            Self::ListUser => "/users/{userId}/onlineMeetings",
            Self::GetUser | Self::UpdateUser | Self::DeleteUser => {
                "/users/{userId}/onlineMeetings/{meetingId}"
            }
        }
    }

    /// Whether this is a createOrGet route (keyed by `externalId`).
    pub fn is_create_or_get(self) -> bool {
        matches!(self, Self::CreateOrGetMe | Self::CreateOrGetUser)
    }

    /// Whether the route acts for the user in its path (`/users/{userId}/…`) rather than
    /// the token's user (`/me/…`).
    pub fn is_for_user(self) -> bool {
        self.path_pattern().starts_with("/users/")
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method().as_str(), self.path_pattern())
    }
}

const SLOTS: usize = Route::ALL.len() * VersionSegment::ALL.len();

#[derive(Debug, Default)]
struct Counters {
    total: AtomicU64,
    unmatched: AtomicU64,
    routes: [AtomicU64; SLOTS],
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RequestCounts {
    /// Every request served.
    pub total: u64,
    /// Requests that matched no route (404) or used the wrong method (405).
    pub unmatched: u64,
    routes: [u64; Route::ALL.len()],
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
