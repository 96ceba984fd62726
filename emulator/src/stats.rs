//! Request counters, so tests can assert how many calls a client made.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A Graph API version segment the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiVersion {
    /// `/v1.0`.
    V1,
    /// `/beta`.
    Beta,
}

impl ApiVersion {
    /// Both versions, in path order.
    pub const ALL: [ApiVersion; 2] = [ApiVersion::V1, ApiVersion::Beta];

    /// The path segment: `"v1.0"` or `"beta"`.
    pub fn segment(self) -> &'static str {
        match self {
            Self::V1 => "v1.0",
            Self::Beta => "beta",
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.segment())
    }
}

/// One of the three emulated operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `POST /{version}/me/onlineMeetings` (create; not idempotent).
    CreateMe,
    /// `POST /{version}/me/onlineMeetings/createOrGet`.
    CreateOrGetMe,
    /// `POST /{version}/users/{userId}/onlineMeetings/createOrGet`.
    CreateOrGetUser,
}

impl Operation {
    /// All three operations.
    pub const ALL: [Operation; 3] = [
        Operation::CreateMe,
        Operation::CreateOrGetMe,
        Operation::CreateOrGetUser,
    ];

    /// The route pattern under the version segment, e.g. `/me/onlineMeetings`.
    pub fn path_pattern(self) -> &'static str {
        match self {
            Self::CreateMe => "/me/onlineMeetings",
            Self::CreateOrGetMe => "/me/onlineMeetings/createOrGet",
            Self::CreateOrGetUser => "/users/{userId}/onlineMeetings/createOrGet",
        }
    }

    /// Whether this is a createOrGet operation (keyed by `externalId`).
    pub fn is_create_or_get(self) -> bool {
        !matches!(self, Self::CreateMe)
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path_pattern())
    }
}

#[derive(Debug, Default)]
struct PerVersion {
    v1: AtomicU64,
    beta: AtomicU64,
}

impl PerVersion {
    fn get(&self, version: ApiVersion) -> &AtomicU64 {
        match version {
            ApiVersion::V1 => &self.v1,
            ApiVersion::Beta => &self.beta,
        }
    }
}

#[derive(Debug, Default)]
struct Counters {
    total: AtomicU64,
    unmatched: AtomicU64,
    create_me: PerVersion,
    create_or_get_me: PerVersion,
    create_or_get_user: PerVersion,
}

impl Counters {
    fn operation(&self, operation: Operation, version: ApiVersion) -> &AtomicU64 {
        let per_version = match operation {
            Operation::CreateMe => &self.create_me,
            Operation::CreateOrGetMe => &self.create_or_get_me,
            Operation::CreateOrGetUser => &self.create_or_get_user,
        };
        per_version.get(version)
    }
}

/// A cloneable handle on the emulator's request counters.
///
/// Every request is counted in [`total`](Self::total) as it arrives, whatever its answer
/// (including injected faults and errors). Requests that reach an operation are also counted
/// per [`Operation`] and [`ApiVersion`]; requests that match no route or use the wrong method
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
    /// Calls to `POST /{version}/me/onlineMeetings`, both versions.
    pub create_me: u64,
    /// Calls to `POST /{version}/me/onlineMeetings/createOrGet`, both versions.
    pub create_or_get_me: u64,
    /// Calls to `POST /{version}/users/{userId}/onlineMeetings/createOrGet`, both versions.
    pub create_or_get_user: u64,
    /// Requests that matched no route (404) or used the wrong method (405).
    pub unmatched: u64,
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

    /// Calls that reached `operation`, in both API versions.
    pub fn count(&self, operation: Operation) -> u64 {
        ApiVersion::ALL
            .iter()
            .map(|version| self.count_in(operation, *version))
            .sum()
    }

    /// Calls that reached `operation` in one API version.
    pub fn count_in(&self, operation: Operation, version: ApiVersion) -> u64 {
        self.counters
            .operation(operation, version)
            .load(Ordering::SeqCst)
    }

    /// Requests that matched no route or used the wrong method.
    pub fn unmatched(&self) -> u64 {
        self.counters.unmatched.load(Ordering::SeqCst)
    }

    /// All counters at once.
    pub fn snapshot(&self) -> RequestCounts {
        RequestCounts {
            total: self.total(),
            create_me: self.count(Operation::CreateMe),
            create_or_get_me: self.count(Operation::CreateOrGetMe),
            create_or_get_user: self.count(Operation::CreateOrGetUser),
            unmatched: self.unmatched(),
        }
    }

    /// Sets every counter back to zero.
    pub fn reset(&self) {
        self.counters.total.store(0, Ordering::SeqCst);
        self.counters.unmatched.store(0, Ordering::SeqCst);
        for operation in Operation::ALL {
            for version in ApiVersion::ALL {
                self.counters
                    .operation(operation, version)
                    .store(0, Ordering::SeqCst);
            }
        }
    }

    pub(crate) fn record_request(&self) {
        self.counters.total.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn record_operation(&self, operation: Operation, version: ApiVersion) {
        self.counters
            .operation(operation, version)
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
        stats.record_operation(Operation::CreateOrGetMe, ApiVersion::V1);
        stats.record_operation(Operation::CreateOrGetMe, ApiVersion::Beta);
        stats.record_unmatched();
        assert_eq!(stats.count(Operation::CreateOrGetMe), 2);
        assert_eq!(
            stats.count_in(Operation::CreateOrGetMe, ApiVersion::Beta),
            1
        );
        let snapshot = stats.snapshot();
        assert_eq!(snapshot.total, 2);
        assert_eq!(snapshot.create_or_get_me, 2);
        assert_eq!(snapshot.unmatched, 1);
        stats.reset();
        assert_eq!(stats.snapshot(), RequestCounts::default());
    }
}
