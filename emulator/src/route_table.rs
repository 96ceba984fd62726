//! The route table: every route the emulator serves, each written once, with its method,
//! its path pattern, who may call it and the handler that serves it.
//!
//! [`route_table!`] holds the table and hands it to another macro, so that each part of
//! the crate derives what it needs from the same lines: this module derives [`Route`]
//! (its variants, [`Route::ALL`], [`Route::method`], [`Route::path_pattern`]) and
//! [`Control`] (the `/_emulator` test controls); the router derives from it which handler
//! serves each route. The handler names in the table are resolved where the table is
//! expanded (the router), so this module depends on no handler.
//!
//! Adding a Graph route takes its handler and one line here.

use std::fmt;

/// Calls `$then!` with the route table.
///
/// Two sections, `graph` (the Graph routes, served under both `/v1.0` and `/beta`: each a
/// [`Route`]) and `controls` (the `/_emulator` test controls, whole paths: each a
/// [`Control`]). One line a route:
///
/// ```text
/// /// what it does (optional, for Route's docs)
/// Variant METHOD "path pattern" Access handler::path;
/// ```
///
/// `Access` is `Any` (a delegated token for its own user, or an application token for the
/// user in the path) or `Application` (application tokens only). A path segment
/// `name(…)` is an OData function call: it matches a segment that calls `name`.
macro_rules! route_table {
    ($then:ident) => {
        $then! {
            graph {
                /// Create (not idempotent: every call makes a meeting).
                CreateMe POST "/me/onlineMeetings" Any meetings::create;
                /// Find by a supported `$filter` (`JoinWebUrl` or
                /// `joinMeetingIdSettings/joinMeetingId`, `eq '…'`).
                ListMe GET "/me/onlineMeetings" Any meetings::find;
                /// createOrGet, keyed by `externalId`.
                CreateOrGetMe POST "/me/onlineMeetings/createOrGet" Any meetings::create_or_get;
                /// Get a meeting.
                GetMe GET "/me/onlineMeetings/{meetingId}" Any meetings::get;
                /// Update a meeting.
                UpdateMe PATCH "/me/onlineMeetings/{meetingId}" Any meetings::update;
                /// Delete a meeting.
                DeleteMe DELETE "/me/onlineMeetings/{meetingId}" Any meetings::delete;
                /// createOrGet, keyed by `externalId`.
                CreateOrGetUser POST "/users/{userId}/onlineMeetings/createOrGet" Any meetings::create_or_get;
                /// Find by a supported `$filter` (`JoinWebUrl` or
                /// `joinMeetingIdSettings/joinMeetingId`, `eq '…'`).
                ListUser GET "/users/{userId}/onlineMeetings" Any meetings::find;
                /// Get a meeting.
                GetUser GET "/users/{userId}/onlineMeetings/{meetingId}" Any meetings::get;
                /// Update a meeting.
                UpdateUser PATCH "/users/{userId}/onlineMeetings/{meetingId}" Any meetings::update;
                /// Delete a meeting.
                DeleteUser DELETE "/users/{userId}/onlineMeetings/{meetingId}" Any meetings::delete;
                ListAttendanceReportsMe GET "/me/onlineMeetings/{meetingId}/attendanceReports" Any artifacts::list_attendance_reports;
                ListAttendanceReportsUser GET "/users/{userId}/onlineMeetings/{meetingId}/attendanceReports" Any artifacts::list_attendance_reports;
                GetAttendanceReportMe GET "/me/onlineMeetings/{meetingId}/attendanceReports/{reportId}" Any artifacts::get_attendance_report;
                GetAttendanceReportUser GET "/users/{userId}/onlineMeetings/{meetingId}/attendanceReports/{reportId}" Any artifacts::get_attendance_report;
                ListAttendanceRecordsMe GET "/me/onlineMeetings/{meetingId}/attendanceReports/{reportId}/attendanceRecords" Any artifacts::list_attendance_records;
                ListAttendanceRecordsUser GET "/users/{userId}/onlineMeetings/{meetingId}/attendanceReports/{reportId}/attendanceRecords" Any artifacts::list_attendance_records;
                ListTranscriptsMe GET "/me/onlineMeetings/{meetingId}/transcripts" Any artifacts::list_transcripts;
                ListTranscriptsUser GET "/users/{userId}/onlineMeetings/{meetingId}/transcripts" Any artifacts::list_transcripts;
                GetTranscriptMe GET "/me/onlineMeetings/{meetingId}/transcripts/{transcriptId}" Any artifacts::get_transcript;
                GetTranscriptUser GET "/users/{userId}/onlineMeetings/{meetingId}/transcripts/{transcriptId}" Any artifacts::get_transcript;
                GetTranscriptContentMe GET "/me/onlineMeetings/{meetingId}/transcripts/{transcriptId}/content" Any artifacts::get_transcript_content;
                GetTranscriptContentUser GET "/users/{userId}/onlineMeetings/{meetingId}/transcripts/{transcriptId}/content" Any artifacts::get_transcript_content;
                GetTranscriptMetadataContentMe GET "/me/onlineMeetings/{meetingId}/transcripts/{transcriptId}/metadataContent" Any artifacts::get_transcript_metadata_content;
                GetTranscriptMetadataContentUser GET "/users/{userId}/onlineMeetings/{meetingId}/transcripts/{transcriptId}/metadataContent" Any artifacts::get_transcript_metadata_content;
                ListRecordingsMe GET "/me/onlineMeetings/{meetingId}/recordings" Any artifacts::list_recordings;
                ListRecordingsUser GET "/users/{userId}/onlineMeetings/{meetingId}/recordings" Any artifacts::list_recordings;
                GetRecordingMe GET "/me/onlineMeetings/{meetingId}/recordings/{recordingId}" Any artifacts::get_recording;
                GetRecordingUser GET "/users/{userId}/onlineMeetings/{meetingId}/recordings/{recordingId}" Any artifacts::get_recording;
                GetRecordingContentMe GET "/me/onlineMeetings/{meetingId}/recordings/{recordingId}/content" Any artifacts::get_recording_content;
                GetRecordingContentUser GET "/users/{userId}/onlineMeetings/{meetingId}/recordings/{recordingId}/content" Any artifacts::get_recording_content;
                /// A delegated token may call it for its own user (in the path and in
                /// `meetingOrganizerUserId`).
                GetAllTranscripts GET "/users/{userId}/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='{meetingOrganizerUserId}',startDateTime={startDateTime},endDateTime={endDateTime})" Any artifacts::get_all_transcripts;
                GetAllTranscriptsDelta GET "/users/{userId}/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='{meetingOrganizerUserId}',startDateTime={startDateTime},endDateTime={endDateTime})/delta" Application artifacts::get_all_transcripts_delta;
                GetAllRecordings GET "/users/{userId}/onlineMeetings/getAllRecordings(meetingOrganizerUserId='{meetingOrganizerUserId}',startDateTime={startDateTime},endDateTime={endDateTime})" Application artifacts::get_all_recordings;
                GetAllRecordingsDelta GET "/users/{userId}/onlineMeetings/getAllRecordings(meetingOrganizerUserId='{meetingOrganizerUserId}',startDateTime={startDateTime},endDateTime={endDateTime})/delta" Application artifacts::get_all_recordings_delta;
                /// Subscribe, after the validation handshake with the notification URLs
                /// (`http` on a loopback host, or `https`).
                CreateSubscription POST "/subscriptions" App subscriptions::create;
                /// The calling app's subscriptions that have not expired.
                ListSubscriptions GET "/subscriptions" App subscriptions::list;
                GetSubscription GET "/subscriptions/{subscriptionId}" App subscriptions::get;
                /// Renew (`expirationDateTime`).
                UpdateSubscription PATCH "/subscriptions/{subscriptionId}" App subscriptions::update;
                DeleteSubscription DELETE "/subscriptions/{subscriptionId}" App subscriptions::delete;
            }
            controls {
                EndMeetingMe POST "/_emulator/v1.0/me/onlineMeetings/{meetingId}/end" Any controls::end_meeting;
                EndMeetingUser POST "/_emulator/v1.0/users/{userId}/onlineMeetings/{meetingId}/end" Any controls::end_meeting;
                SendLifecycle POST "/_emulator/v1.0/subscriptions/{subscriptionId}/lifecycle" App controls::send_lifecycle;
            }
        }
    };
}
pub(crate) use route_table;

/// A Graph API version segment the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersionSegment {
    /// `/v1.0`.
    V1,
    /// `/beta`.
    Beta,
}

impl VersionSegment {
    /// Both versions, in path order.
    pub const ALL: [VersionSegment; 2] = [VersionSegment::V1, VersionSegment::Beta];

    /// The path segment: `"v1.0"` or `"beta"`.
    pub fn segment(self) -> &'static str {
        match self {
            Self::V1 => "v1.0",
            Self::Beta => "beta",
        }
    }

    /// The version's position in [`ALL`](Self::ALL).
    pub(crate) fn index(self) -> usize {
        self as usize
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

    /// The method `name` (upper case) names, if a route may have it.
    pub(crate) fn of_name(name: &str) -> Option<Self> {
        [Self::Get, Self::Post, Self::Patch, Self::Delete]
            .into_iter()
            .find(|method| method.as_str() == name)
    }
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// A delegated token (`/me`, or `/users/{userId}` for its own user), or an application
    /// token (`/users/{userId}`).
    Any,
    /// Application tokens only: a delegated token is `403 Forbidden`.
    Application,
    /// Any token, for what belongs to its app in its tenant (subscriptions): the call acts
    /// as the token's own user or app.
    App,
}

/// The method of a table line (`GET`, …) as a [`Method`].
macro_rules! table_method {
    (GET) => {
        Method::Get
    };
    (POST) => {
        Method::Post
    };
    (PATCH) => {
        Method::Patch
    };
    (DELETE) => {
        Method::Delete
    };
}

/// Derives [`Route`] and [`Control`] from the table.
macro_rules! define_routes {
    (
        graph {
            $( $(#[doc = $doc:literal])* $route:ident $method:ident $path:literal $access:ident $handler:path; )*
        }
        controls {
            $( $control:ident $control_method:ident $control_path:literal $control_access:ident $control_handler:path; )*
        }
    ) => {
        /// One emulated Graph route: a method and a path pattern under the version segment.
        ///
        /// The `/_emulator/…` test controls are not Graph routes and have no variant.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Route {
            $(
                #[doc = concat!("`", stringify!($method), " /{version}", $path, "`.")]
                $(
                    #[doc = ""]
                    #[doc = $doc]
                )*
                $route,
            )*
        }

        /// How many Graph routes the table has.
        const ROUTE_COUNT: usize = [$(stringify!($route)),*].len();

        impl Route {
            /// Every route, in the table's order.
            pub const ALL: [Route; ROUTE_COUNT] = [$(Route::$route),*];

            /// The route's method.
            pub fn method(self) -> Method {
                match self {
                    $(Self::$route => table_method!($method),)*
                }
            }

            /// The path pattern under the version segment, e.g. `/me/onlineMeetings`; for the
            /// `getAll…` functions, the spec's template (the function's parameters in the
            /// segment).
            pub fn path_pattern(self) -> &'static str {
                match self {
                    $(Self::$route => $path,)*
                }
            }

            /// Who may call the route.
            pub(crate) fn access(self) -> Access {
                match self {
                    $(Self::$route => Access::$access,)*
                }
            }
        }

        /// One `/_emulator` test control: not a Graph route (no [`Route`], no faults, not
        /// counted per route).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Control {
            $(
                #[doc = concat!("`", stringify!($control_method), " ", $control_path, "`.")]
                $control,
            )*
        }

        impl Control {
            /// Every control, in the table's order.
            pub(crate) const ALL: [Control; [$(stringify!($control)),*].len()] =
                [$(Control::$control),*];

            /// The control's method.
            pub(crate) fn method(self) -> Method {
                match self {
                    $(Self::$control => table_method!($control_method),)*
                }
            }

            /// The control's whole path pattern.
            pub(crate) fn path_pattern(self) -> &'static str {
                match self {
                    $(Self::$control => $control_path,)*
                }
            }

            /// Who may call the control.
            pub(crate) fn access(self) -> Access {
                match self {
                    $(Self::$control => Access::$control_access,)*
                }
            }
        }
    };
}

route_table!(define_routes);

impl Route {
    /// Whether this is a createOrGet route (keyed by `externalId`).
    pub fn is_create_or_get(self) -> bool {
        self.path_pattern().ends_with("/createOrGet")
    }

    /// Whether the route acts for the user in its path (`/users/{userId}/…`) rather than
    /// the token's user (`/me/…`).
    pub fn is_for_user(self) -> bool {
        self.path_pattern().starts_with("/users/")
    }

    /// Whether the route is one of the `getAllTranscripts`/`getAllRecordings` functions (or
    /// their delta). Only an application token may call them, except `getAllTranscripts`,
    /// which a delegated token may call for its own user.
    pub fn is_get_all(self) -> bool {
        self.path_pattern().contains("/getAll")
    }

    /// The route's position in [`ALL`](Self::ALL).
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method().as_str(), self.path_pattern())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_keeps_its_order_and_counts() {
        assert_eq!(Route::ALL.len(), 40);
        assert!(
            Route::ALL
                .iter()
                .enumerate()
                .all(|(index, route)| route.index() == index)
        );
        assert_eq!(
            Route::CreateOrGetUser.to_string(),
            "POST /users/{userId}/onlineMeetings/createOrGet"
        );
        assert_eq!(Route::ListMe.method(), Method::Get);
        assert!(Route::CreateOrGetMe.is_create_or_get() && !Route::CreateMe.is_create_or_get());
        assert!(Route::GetAllRecordingsDelta.is_get_all() && !Route::GetUser.is_get_all());
        assert_eq!(Route::GetAllTranscripts.access(), Access::Any);
        assert_eq!(Route::GetAllTranscriptsDelta.access(), Access::Application);
        assert_eq!(Route::CreateSubscription.access(), Access::App);
        assert_eq!(Control::ALL.len(), 3);
        assert!(
            Control::ALL
                .iter()
                .all(|control| control.method() == Method::Post
                    && control.path_pattern().starts_with("/_emulator/v1.0/"))
        );
        assert_eq!(Method::of_name("PATCH"), Some(Method::Patch));
        assert_eq!(Method::of_name("PUT"), None);
    }
}
