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
///
/// The `/_emulator/…/end` test control is not a Graph route and has no variant.
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
    /// `GET /{version}/me/onlineMeetings/{meetingId}/attendanceReports`.
    ListAttendanceReportsMe,
    /// `GET /{version}/users/{userId}/onlineMeetings/{meetingId}/attendanceReports`.
    ListAttendanceReportsUser,
    /// `GET /{version}/me/onlineMeetings/{meetingId}/attendanceReports/{reportId}`.
    GetAttendanceReportMe,
    /// `GET /{version}/users/{userId}/onlineMeetings/{meetingId}/attendanceReports/{reportId}`.
    GetAttendanceReportUser,
    /// `GET /{version}/me/onlineMeetings/{meetingId}/attendanceReports/{reportId}/attendanceRecords`.
    ListAttendanceRecordsMe,
    /// `GET /{version}/users/{userId}/onlineMeetings/{meetingId}/attendanceReports/{reportId}/attendanceRecords`.
    ListAttendanceRecordsUser,
    /// `GET /{version}/me/onlineMeetings/{meetingId}/transcripts`.
    ListTranscriptsMe,
    /// `GET /{version}/users/{userId}/onlineMeetings/{meetingId}/transcripts`.
    ListTranscriptsUser,
    /// `GET /{version}/me/onlineMeetings/{meetingId}/transcripts/{transcriptId}`.
    GetTranscriptMe,
    /// `GET /{version}/users/{userId}/onlineMeetings/{meetingId}/transcripts/{transcriptId}`.
    GetTranscriptUser,
    /// `GET /{version}/me/onlineMeetings/{meetingId}/transcripts/{transcriptId}/content`.
    GetTranscriptContentMe,
    /// `GET /{version}/users/{userId}/onlineMeetings/{meetingId}/transcripts/{transcriptId}/content`.
    GetTranscriptContentUser,
    /// `GET /{version}/me/onlineMeetings/{meetingId}/transcripts/{transcriptId}/metadataContent`.
    GetTranscriptMetadataContentMe,
    /// `GET /{version}/users/{userId}/onlineMeetings/{meetingId}/transcripts/{transcriptId}/metadataContent`.
    GetTranscriptMetadataContentUser,
    /// `GET /{version}/me/onlineMeetings/{meetingId}/recordings`.
    ListRecordingsMe,
    /// `GET /{version}/users/{userId}/onlineMeetings/{meetingId}/recordings`.
    ListRecordingsUser,
    /// `GET /{version}/me/onlineMeetings/{meetingId}/recordings/{recordingId}`.
    GetRecordingMe,
    /// `GET /{version}/users/{userId}/onlineMeetings/{meetingId}/recordings/{recordingId}`.
    GetRecordingUser,
    /// `GET /{version}/me/onlineMeetings/{meetingId}/recordings/{recordingId}/content`.
    GetRecordingContentMe,
    /// `GET /{version}/users/{userId}/onlineMeetings/{meetingId}/recordings/{recordingId}/content`.
    GetRecordingContentUser,
    /// `GET /{version}/users/{userId}/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='…',startDateTime=…,endDateTime=…)`.
    GetAllTranscripts,
    /// `GET /{version}/users/{userId}/onlineMeetings/getAllTranscripts(…)/delta`.
    GetAllTranscriptsDelta,
    /// `GET /{version}/users/{userId}/onlineMeetings/getAllRecordings(meetingOrganizerUserId='…',startDateTime=…,endDateTime=…)`.
    GetAllRecordings,
    /// `GET /{version}/users/{userId}/onlineMeetings/getAllRecordings(…)/delta`.
    GetAllRecordingsDelta,
}

impl Route {
    /// Every route.
    pub const ALL: [Route; 35] = [
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
        Route::ListAttendanceReportsMe,
        Route::ListAttendanceReportsUser,
        Route::GetAttendanceReportMe,
        Route::GetAttendanceReportUser,
        Route::ListAttendanceRecordsMe,
        Route::ListAttendanceRecordsUser,
        Route::ListTranscriptsMe,
        Route::ListTranscriptsUser,
        Route::GetTranscriptMe,
        Route::GetTranscriptUser,
        Route::GetTranscriptContentMe,
        Route::GetTranscriptContentUser,
        Route::GetTranscriptMetadataContentMe,
        Route::GetTranscriptMetadataContentUser,
        Route::ListRecordingsMe,
        Route::ListRecordingsUser,
        Route::GetRecordingMe,
        Route::GetRecordingUser,
        Route::GetRecordingContentMe,
        Route::GetRecordingContentUser,
        Route::GetAllTranscripts,
        Route::GetAllTranscriptsDelta,
        Route::GetAllRecordings,
        Route::GetAllRecordingsDelta,
    ];

    /// The route's method.
    pub fn method(self) -> Method {
        match self {
            Self::CreateMe | Self::CreateOrGetMe | Self::CreateOrGetUser => Method::Post,
            Self::UpdateMe | Self::UpdateUser => Method::Patch,
            Self::DeleteMe | Self::DeleteUser => Method::Delete,
            Self::ListMe
            | Self::GetMe
            | Self::ListUser
            | Self::GetUser
            | Self::ListAttendanceReportsMe
            | Self::ListAttendanceReportsUser
            | Self::GetAttendanceReportMe
            | Self::GetAttendanceReportUser
            | Self::ListAttendanceRecordsMe
            | Self::ListAttendanceRecordsUser
            | Self::ListTranscriptsMe
            | Self::ListTranscriptsUser
            | Self::GetTranscriptMe
            | Self::GetTranscriptUser
            | Self::GetTranscriptContentMe
            | Self::GetTranscriptContentUser
            | Self::GetTranscriptMetadataContentMe
            | Self::GetTranscriptMetadataContentUser
            | Self::ListRecordingsMe
            | Self::ListRecordingsUser
            | Self::GetRecordingMe
            | Self::GetRecordingUser
            | Self::GetRecordingContentMe
            | Self::GetRecordingContentUser
            | Self::GetAllTranscripts
            | Self::GetAllTranscriptsDelta
            | Self::GetAllRecordings
            | Self::GetAllRecordingsDelta => Method::Get,
        }
    }

    /// The path pattern under the version segment, e.g. `/me/onlineMeetings`; for the
    /// `getAll…` functions, the spec's template (the function's parameters in the segment).
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
            Self::ListAttendanceReportsMe => "/me/onlineMeetings/{meetingId}/attendanceReports",
            Self::ListAttendanceReportsUser => {
                "/users/{userId}/onlineMeetings/{meetingId}/attendanceReports"
            }
            Self::GetAttendanceReportMe => {
                "/me/onlineMeetings/{meetingId}/attendanceReports/{reportId}"
            }
            Self::GetAttendanceReportUser => {
                "/users/{userId}/onlineMeetings/{meetingId}/attendanceReports/{reportId}"
            }
            Self::ListAttendanceRecordsMe => {
                "/me/onlineMeetings/{meetingId}/attendanceReports/{reportId}/attendanceRecords"
            }
            Self::ListAttendanceRecordsUser => {
                "/users/{userId}/onlineMeetings/{meetingId}/attendanceReports/{reportId}/attendanceRecords"
            }
            Self::ListTranscriptsMe => "/me/onlineMeetings/{meetingId}/transcripts",
            Self::ListTranscriptsUser => "/users/{userId}/onlineMeetings/{meetingId}/transcripts",
            Self::GetTranscriptMe => "/me/onlineMeetings/{meetingId}/transcripts/{transcriptId}",
            Self::GetTranscriptUser => {
                "/users/{userId}/onlineMeetings/{meetingId}/transcripts/{transcriptId}"
            }
            Self::GetTranscriptContentMe => {
                "/me/onlineMeetings/{meetingId}/transcripts/{transcriptId}/content"
            }
            Self::GetTranscriptContentUser => {
                "/users/{userId}/onlineMeetings/{meetingId}/transcripts/{transcriptId}/content"
            }
            Self::GetTranscriptMetadataContentMe => {
                "/me/onlineMeetings/{meetingId}/transcripts/{transcriptId}/metadataContent"
            }
            Self::GetTranscriptMetadataContentUser => {
                "/users/{userId}/onlineMeetings/{meetingId}/transcripts/{transcriptId}/metadataContent"
            }
            Self::ListRecordingsMe => "/me/onlineMeetings/{meetingId}/recordings",
            Self::ListRecordingsUser => "/users/{userId}/onlineMeetings/{meetingId}/recordings",
            Self::GetRecordingMe => "/me/onlineMeetings/{meetingId}/recordings/{recordingId}",
            Self::GetRecordingUser => {
                "/users/{userId}/onlineMeetings/{meetingId}/recordings/{recordingId}"
            }
            Self::GetRecordingContentMe => {
                "/me/onlineMeetings/{meetingId}/recordings/{recordingId}/content"
            }
            Self::GetRecordingContentUser => {
                "/users/{userId}/onlineMeetings/{meetingId}/recordings/{recordingId}/content"
            }
            Self::GetAllTranscripts => {
                "/users/{userId}/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='{meetingOrganizerUserId}',startDateTime={startDateTime},endDateTime={endDateTime})"
            }
            Self::GetAllTranscriptsDelta => {
                "/users/{userId}/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='{meetingOrganizerUserId}',startDateTime={startDateTime},endDateTime={endDateTime})/delta"
            }
            Self::GetAllRecordings => {
                "/users/{userId}/onlineMeetings/getAllRecordings(meetingOrganizerUserId='{meetingOrganizerUserId}',startDateTime={startDateTime},endDateTime={endDateTime})"
            }
            Self::GetAllRecordingsDelta => {
                "/users/{userId}/onlineMeetings/getAllRecordings(meetingOrganizerUserId='{meetingOrganizerUserId}',startDateTime={startDateTime},endDateTime={endDateTime})/delta"
            }
        }
    }

    /// The pattern the router registers for this route, when it has its own: the
    /// `getAll…` functions share the `{meetingId}` segment with other routes (axum cannot
    /// match a segment's text), so one registration serves several routes and the handler
    /// tells them apart by the segment's text.
    pub(crate) fn router_pattern(self) -> Option<&'static str> {
        match self {
            Self::GetAllTranscripts | Self::GetAllRecordings | Self::GetAllRecordingsDelta => None,
            Self::GetAllTranscriptsDelta => {
                Some("/users/{userId}/onlineMeetings/{meetingId}/delta")
            }
            other => Some(other.path_pattern()),
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

    /// Whether the route reads what a meeting left (reports, transcripts, recordings)
    /// rather than a meeting: a path that goes on past `{meetingId}`, or a `getAll…`
    /// function.
    pub(crate) fn is_artifact(self) -> bool {
        self.path_pattern().contains("{meetingId}/") || self.is_get_all()
    }

    /// Whether the route is one of the `getAllTranscripts`/`getAllRecordings` functions (or
    /// their delta), which only an application token may call.
    pub fn is_get_all(self) -> bool {
        matches!(
            self,
            Self::GetAllTranscripts
                | Self::GetAllTranscriptsDelta
                | Self::GetAllRecordings
                | Self::GetAllRecordingsDelta
        )
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
