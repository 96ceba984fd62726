//! What the client knows about each operation, generated from the OpenAPI document:
//! [`Operation`] (one variant per `operationId`, with its method, path template, success
//! statuses, [`Idempotency`] and [`Permissions`]).
//!
//! The spec carries these facts as vendor extensions on each operation (`x-idempotent`,
//! `x-idempotency-key`, `x-permissions`); the codegen turns them into the table behind
//! [`Operation`]. The retry rules, the check that a request still has its operation's
//! path and the tracing span read it, for the operation each generated method names, so
//! a fact changes in one place: the spec.
//!
//! ```
//! use graph_online_meetings::{Idempotency, Operation};
//!
//! let op = Operation::CreateOrGetOnlineMeeting;
//! assert_eq!(op.method(), "POST");
//! assert_eq!(op.path(), "/me/onlineMeetings/createOrGet");
//! assert_eq!(op.success_statuses(), &[200, 201]);
//! assert_eq!(op.idempotency(), Idempotency::Idempotent { key: Some("externalId") });
//! assert!(op.permissions().delegated.contains(&"OnlineMeetings.ReadWrite"));
//! ```

pub use crate::generated::operations::Operation;

pub use crate::facts::{Idempotency, Permissions};

use crate::attempt::SentAs;

impl Operation {
    /// What the call loop needs of the operation a request is sent as.
    pub(crate) fn sent_as(self) -> SentAs {
        SentAs {
            id: self.id(),
            idempotency: self.idempotency(),
        }
    }

    /// Whether `segments` (the URL path under the versioned base, split at `/`) have
    /// this operation's shape: every literal segment of [`path`](Self::path) equal, every
    /// `{parameter}` segment one that URL parsing keeps (not empty, `.` or `..`), and a
    /// segment with parameters inside literal text (an OData function call such as
    /// `getAllTranscripts(meetingOrganizerUserId='{id}')`) that text with a non-empty
    /// value for each parameter.
    pub fn matches_path<'a>(self, segments: impl IntoIterator<Item = &'a str>) -> bool {
        let mut template = self.path().split('/').skip(1);
        let mut actual = segments.into_iter();
        loop {
            match (template.next(), actual.next()) {
                (None, None) => return true,
                (Some(expected), Some(segment)) => {
                    if !segment_matches(expected, segment) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }
}

/// One segment against its template segment (see [`Operation::matches_path`]). Path
/// parameters are percent-encoded into their place (all but RFC 3986's unreserved
/// characters), so a value never contains the literal text that follows it as long as
/// that text starts with a character the encoding escapes, as OData's `'`, `,` and `)`
/// do: each literal is then found at its first occurrence.
fn segment_matches(expected: &str, segment: &str) -> bool {
    if expected.starts_with('{') && expected.ends_with('}') && expected.matches('{').count() == 1 {
        return !matches!(segment, "" | "." | "..");
    }
    let mut parts = expected.split('{');
    let Some(mut rest) = segment.strip_prefix(parts.next().unwrap_or_default()) else {
        return false;
    };
    for part in parts {
        let Some((_, literal)) = part.split_once('}') else {
            return false;
        };
        let end = if literal.is_empty() {
            rest.len()
        } else {
            match rest.find(literal) {
                Some(end) => end,
                None => return false,
            }
        };
        if end == 0 {
            return false;
        }
        rest = &rest[end + literal.len()..];
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_their_template_only() {
        let op = Operation::CreateOrGetOnlineMeetingForUser;
        assert!(op.matches_path(["users", "u%2F1", "onlineMeetings", "createOrGet"]));
        for bad in [
            &["users", "", "onlineMeetings", "createOrGet"][..],
            &["users", "..", "onlineMeetings", "createOrGet"],
            &["users", "u", "onlineMeetings"],
            &["users", "u", "onlineMeetings", "createOrGet", "x"],
            &["me", "onlineMeetings", "createOrGet"],
        ] {
            assert!(!op.matches_path(bad.iter().copied()), "{bad:?}");
        }
        assert!(Operation::ListOnlineMeetings.matches_path(["me", "onlineMeetings"]));
    }

    #[test]
    fn function_segments_match_their_literal_text_and_parameters() {
        let op = Operation::GetAllTranscripts;
        let path = |function: &str| ["users", "u1", "onlineMeetings", function].map(str::to_owned);
        let good = "getAllTranscripts(meetingOrganizerUserId='u1',startDateTime=null,endDateTime=2026-01-01T00%3A00%3A00Z)";
        assert!(op.matches_path(path(good).iter().map(String::as_str)));
        for bad in [
            "getAllTranscripts(meetingOrganizerUserId='',startDateTime=null,endDateTime=null)",
            "getAllTranscripts(meetingOrganizerUserId='u1',startDateTime=null,endDateTime=null)x",
            "getAllTranscripts(meetingOrganizerUserId='u1')",
            "getAllRecordings(meetingOrganizerUserId='u1',startDateTime=null,endDateTime=null)",
        ] {
            assert!(
                !op.matches_path(path(bad).iter().map(String::as_str)),
                "{bad}"
            );
        }
    }

    #[test]
    fn content_operations_are_those_whose_success_is_not_json() {
        assert_eq!(
            Operation::GetRecordingContentForUser.content_type(),
            Some("video/mp4")
        );
        assert_eq!(
            Operation::GetTranscriptContent.content_type(),
            Some("text/vtt")
        );
        assert_eq!(Operation::GetRecording.content_type(), None);
        assert_eq!(Operation::DeleteOnlineMeeting.content_type(), None);
    }

    #[test]
    fn every_operation_is_found_by_its_id() {
        for op in Operation::ALL {
            assert_eq!(Operation::from_id(op.id()), Some(*op));
        }
        assert_eq!(Operation::from_id("no_such_operation"), None);
    }
}
