//! [`ValidationError`]: a call refused before anything is sent, because an argument
//! breaks a rule the spec or Graph's reference documents. Each reason names the value it
//! is about, so that one type serves every resource.

use chrono::{DateTime, FixedOffset};

/// A request that breaks a rule Microsoft Graph documents; it is rejected before anything
/// is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// A required value is empty: a path parameter (`userId`, `meetingId`, …), which
    /// would address another path, or an argument or property that Graph requires
    /// (`externalId`, a join URL).
    #[error("{name} must not be empty")]
    Empty {
        /// The value's name in the spec (or the argument's, for an argument the spec
        /// does not name).
        name: &'static str,
    },
    /// A path parameter of `.` or `..`, which URL parsing would resolve away (addressing
    /// another path), even when percent-encoded.
    #[error("{name} `{value}` is a relative path segment and cannot name anything")]
    DotSegment {
        /// The parameter's name in the spec.
        name: &'static str,
        /// The value given.
        value: String,
    },
    /// A value that breaks another rule Graph documents for it (the rule says which).
    #[error("{name} {rule}")]
    Rule {
        /// The value's name in the spec.
        name: &'static str,
        /// The rule broken, with the value where it helps.
        rule: String,
    },
    /// An `endDateTime` given without the `startDateTime` it needs (Graph's time ranges
    /// are these two properties or parameters).
    #[error("endDateTime ({end}) is set without startDateTime: set both, or neither")]
    EndWithoutStart {
        /// The end given.
        end: DateTime<FixedOffset>,
    },
    /// An `endDateTime` earlier than its `startDateTime`.
    #[error("endDateTime ({end}) is earlier than startDateTime ({start})")]
    EndBeforeStart {
        /// The start given.
        start: DateTime<FixedOffset>,
        /// The end given.
        end: DateTime<FixedOffset>,
    },
}

impl ValidationError {
    /// Check an optional `startDateTime` and `endDateTime`, as Graph's time ranges have
    /// them: an end needs a start (`require_start`), and is not earlier than it.
    pub(crate) fn check_times(
        start: Option<DateTime<FixedOffset>>,
        end: Option<DateTime<FixedOffset>>,
        require_start: bool,
    ) -> Result<(), ValidationError> {
        match (start, end) {
            (None, Some(end)) if require_start => Err(ValidationError::EndWithoutStart { end }),
            (Some(start), Some(end)) if end < start => {
                Err(ValidationError::EndBeforeStart { start, end })
            }
            _ => Ok(()),
        }
    }
}
