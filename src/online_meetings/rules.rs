//! The rules Graph documents for online meetings that the client checks before sending
//! (times, `externalId`), and the `$filter`s that find a meeting.

use chrono::{DateTime, FixedOffset};

use crate::runtime::validation::ValidationError;
use crate::types::{CreateOrGetRequest, OnlineMeeting};

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
            return Err(ValidationError::Empty { name: "externalId" });
        }
        ValidationError::check_times(self.start_date_time, self.end_date_time, true)
    }
}

impl OnlineMeeting {
    /// Check the rules Graph documents for creating a meeting, which the client checks
    /// before sending: `endDateTime` is not given without `startDateTime`, nor earlier
    /// than it.
    pub fn validate(&self) -> Result<(), ValidationError> {
        ValidationError::check_times(self.start_date_time, self.end_date_time, true)
    }

    /// Check the changes of an update, which the client checks before sending: when both
    /// `startDateTime` and `endDateTime` are given, the end is not earlier than the start.
    /// (Either may be changed alone: the other keeps its stored value.)
    pub fn validate_update(&self) -> Result<(), ValidationError> {
        ValidationError::check_times(self.start_date_time, self.end_date_time, false)
    }
}

/// The `$filter` that finds meetings whose `property` equals `value`: `property eq '…'`,
/// with the value as an OData string literal (a `'` inside it doubled). An empty value
/// (`name`, the argument's name in Graph's docs) is refused.
pub(crate) fn eq_filter(
    property: &str,
    name: &'static str,
    value: &str,
) -> Result<String, ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::Empty { name });
    }
    Ok(format!("{property} eq '{}'", value.replace('\'', "''")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_odata_string_literals() {
        let url = "https://teams.microsoft.com/l/meetup-join/a'b";
        assert_eq!(
            eq_filter("JoinWebUrl", "joinWebUrl", url).as_deref(),
            Ok("JoinWebUrl eq 'https://teams.microsoft.com/l/meetup-join/a''b'")
        );
        assert_eq!(
            eq_filter("JoinWebUrl", "joinWebUrl", " "),
            Err(ValidationError::Empty { name: "joinWebUrl" })
        );
    }
}
