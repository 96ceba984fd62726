//! The online-meeting semantics on top of the generated models: the outcome of
//! createOrGet ([`CreateOrGet`]), and the rules Graph documents that this crate checks
//! before sending (times, `externalId`, path parameters, the join-URL filter).

use chrono::{DateTime, FixedOffset};
use reqwest::StatusCode;

use crate::error::ValidationError;
use crate::types::{CreateOrGetRequest, OnlineMeeting};

/// What createOrGet did: `201 Created` made a new meeting, `200 OK` returned the meeting
/// that already had this `externalId` (for this user).
#[derive(Debug, Clone, PartialEq)]
pub enum CreateOrGet {
    /// `201 Created`: a new meeting.
    Created(OnlineMeeting),
    /// `200 OK`: the existing meeting with this `externalId`.
    Existing(OnlineMeeting),
}

impl CreateOrGet {
    /// `Created` for `201`, `Existing` for any other (success) status.
    pub(crate) fn from_status(status: StatusCode, meeting: OnlineMeeting) -> Self {
        if status == StatusCode::CREATED {
            CreateOrGet::Created(meeting)
        } else {
            CreateOrGet::Existing(meeting)
        }
    }

    /// Whether the call created a new meeting.
    pub fn is_created(&self) -> bool {
        matches!(self, CreateOrGet::Created(_))
    }

    /// The meeting, new or existing.
    pub fn meeting(&self) -> &OnlineMeeting {
        match self {
            CreateOrGet::Created(m) | CreateOrGet::Existing(m) => m,
        }
    }

    /// The meeting, new or existing.
    pub fn into_meeting(self) -> OnlineMeeting {
        match self {
            CreateOrGet::Created(m) | CreateOrGet::Existing(m) => m,
        }
    }

    /// The status Graph answered with: `201 Created` or `200 OK`.
    pub fn status(&self) -> StatusCode {
        match self {
            CreateOrGet::Created(_) => StatusCode::CREATED,
            CreateOrGet::Existing(_) => StatusCode::OK,
        }
    }
}

impl From<CreateOrGet> for OnlineMeeting {
    fn from(outcome: CreateOrGet) -> Self {
        outcome.into_meeting()
    }
}

impl CreateOrGetRequest {
    /// The same request with this start and end. (`new`, with the required `externalId`,
    /// and the `with_…` setters of every property are generated; without times Graph
    /// starts the meeting now and ends it an hour later.)
    ///
    /// ```
    /// use graph_online_meetings::chrono::{DateTime, Duration};
    /// use graph_online_meetings::types::CreateOrGetRequest;
    ///
    /// let start = DateTime::parse_from_rfc3339("2026-03-01T09:00:00+01:00")?;
    /// let request = CreateOrGetRequest::new("ticket-4711")
    ///     .with_subject("Incident review")
    ///     .with_times(start, start + Duration::minutes(30));
    /// assert!(request.validate().is_ok());
    /// # Ok::<(), graph_online_meetings::chrono::ParseError>(())
    /// ```
    #[must_use]
    pub fn with_times(mut self, start: DateTime<FixedOffset>, end: DateTime<FixedOffset>) -> Self {
        self.start_date_time = Some(start);
        self.end_date_time = Some(end);
        self
    }

    /// Check the rules Graph documents for createOrGet, which the client checks before
    /// sending: `externalId` is not empty; `endDateTime` is not given without
    /// `startDateTime`, nor earlier than it.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.external_id.is_empty() {
            return Err(ValidationError::EmptyExternalId);
        }
        check_times(self.start_date_time, self.end_date_time)
    }
}

impl OnlineMeeting {
    /// Check the rules Graph documents for creating a meeting, which the client checks
    /// before sending: `endDateTime` is not given without `startDateTime`, nor earlier
    /// than it.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_times(self.start_date_time, self.end_date_time)
    }

    /// Check the changes of an update, which the client checks before sending: when both
    /// `startDateTime` and `endDateTime` are given, the end is not earlier than the start.
    /// (Either may be changed alone: the other keeps its stored value.)
    pub fn validate_update(&self) -> Result<(), ValidationError> {
        match (self.start_date_time, self.end_date_time) {
            (Some(start), Some(end)) if end < start => {
                Err(ValidationError::EndBeforeStart { start, end })
            }
            _ => Ok(()),
        }
    }
}

fn check_times(
    start: Option<DateTime<FixedOffset>>,
    end: Option<DateTime<FixedOffset>>,
) -> Result<(), ValidationError> {
    match (start, end) {
        (None, Some(end)) => Err(ValidationError::EndWithoutStart { end }),
        (Some(start), Some(end)) if end < start => {
            Err(ValidationError::EndBeforeStart { start, end })
        }
        _ => Ok(()),
    }
}

/// The spec's name of the user path parameter.
pub(crate) const USER_ID: &str = "userId";
/// The spec's name of the meeting path parameter.
pub(crate) const MEETING_ID: &str = "meetingId";

/// Refuse a path parameter that no encoding keeps in its path segment: empty, `.` or
/// `..` (URL parsing resolves those away, and `%2e` counts as a dot too). Every other
/// value is kept in one segment by `encode_path_segment`, which the generated client
/// applies.
pub(crate) fn validate_segment(name: &'static str, value: &str) -> Result<(), ValidationError> {
    match value {
        "" => Err(ValidationError::EmptyPathParameter { name }),
        "." | ".." => Err(ValidationError::DotSegment {
            name,
            value: value.to_owned(),
        }),
        _ => Ok(()),
    }
}

/// The `$filter` that finds a meeting by its join URL: `JoinWebUrl eq '…'`, with the URL
/// as an OData string literal (a `'` inside it doubled).
pub(crate) fn join_url_filter(join_web_url: &str) -> Result<String, ValidationError> {
    if join_web_url.trim().is_empty() {
        return Err(ValidationError::EmptyJoinUrl);
    }
    Ok(format!(
        "JoinWebUrl eq '{}'",
        join_web_url.replace('\'', "''")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::encode_path_segment;

    #[test]
    fn user_ids_become_one_segment() {
        assert_eq!(
            encode_path_segment("a/../b?x=1#y"),
            "a%2F..%2Fb%3Fx%3D1%23y"
        );
        assert_eq!(encode_path_segment(r"a\..\b"), "a%5C..%5Cb");
        assert_eq!(encode_path_segment("%2e%2e"), "%252e%252e");
        assert_eq!(
            encode_path_segment("adele.vance@contoso.com"),
            "adele.vance%40contoso.com"
        );
        assert_eq!(encode_path_segment("ü ~"), "%C3%BC%20~");
        assert_eq!(encode_path_segment("..."), "...");
        assert_eq!(validate_segment(USER_ID, "..."), Ok(()));
        assert_eq!(
            validate_segment(MEETING_ID, ""),
            Err(ValidationError::EmptyPathParameter { name: MEETING_ID })
        );
        assert!(validate_segment(USER_ID, ".").is_err());
        assert!(validate_segment(USER_ID, "..").is_err());
    }

    #[test]
    fn join_urls_become_odata_string_literals() {
        assert_eq!(
            join_url_filter("https://teams.microsoft.com/l/meetup-join/a'b").as_deref(),
            Ok("JoinWebUrl eq 'https://teams.microsoft.com/l/meetup-join/a''b'")
        );
        assert_eq!(join_url_filter(" "), Err(ValidationError::EmptyJoinUrl));
    }
}
