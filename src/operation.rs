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

impl Operation {
    /// Whether `segments` (the URL path under the versioned base, split at `/`) have
    /// this operation's shape: every literal segment of [`path`](Self::path) equal, every
    /// `{parameter}` a single segment that URL parsing keeps (not empty, `.` or `..`).
    pub fn matches_path<'a>(self, segments: impl IntoIterator<Item = &'a str>) -> bool {
        let mut template = self.path().split('/').skip(1);
        let mut actual = segments.into_iter();
        loop {
            match (template.next(), actual.next()) {
                (None, None) => return true,
                (Some(expected), Some(segment)) => {
                    let ok = if expected.starts_with('{') && expected.ends_with('}') {
                        !matches!(segment, "" | "." | "..")
                    } else {
                        expected == segment
                    };
                    if !ok {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }
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
    fn every_operation_is_found_by_its_id() {
        for op in Operation::ALL {
            assert_eq!(Operation::from_id(op.id()), Some(*op));
        }
        assert_eq!(Operation::from_id("no_such_operation"), None);
    }
}
