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
//! use graph_online_meetings::Operation;
//!
//! for op in Operation::ALL {
//!     let retried = if op.idempotency().is_idempotent() { "idempotent" } else { "once" };
//!     println!("{op}: {} {} ({retried})", op.method(), op.path());
//!     assert!(op.success_statuses().iter().all(|s| (200..300).contains(s)));
//! }
//! ```

pub use crate::generated::operations::Operation;

pub use crate::runtime::facts::{Idempotency, Permissions};

impl Operation {
    /// Whether `segments` (the URL path under the versioned base, split at `/`) have
    /// the shape of this operation's [`path`](Self::path): as many segments, every
    /// literal segment equal, and a segment with parameters inside literal text (an OData
    /// function call) that text around its values. Every request the client sends passes
    /// this check: it is where the access token may go.
    pub fn matches_path<'a>(self, segments: impl IntoIterator<Item = &'a str>) -> bool {
        path_matches(self.path(), segments)
    }
}

/// Whether `segments` have the shape of the path `template` (`/a/{b}/c(d='{e}')`): as
/// many segments, every literal segment equal, and a segment with parameters inside
/// literal text (an OData function call such as
/// `getAllTranscripts(meetingOrganizerUserId='{id}')`) that text around its values. What
/// a parameter's value may be is checked where it is given (see `path`), not here: this
/// is the check of where a request goes.
fn path_matches<'a>(template: &str, segments: impl IntoIterator<Item = &'a str>) -> bool {
    let mut template = template.split('/').skip(1);
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

/// One segment against its template segment (see [`path_matches`]). Path parameters are
/// percent-encoded into their place (all but RFC 3986's unreserved characters), so a
/// value never contains the literal text that follows it as long as that text starts
/// with a character the encoding escapes, as OData's `'`, `,` and `)` do: each literal is
/// then found at its first occurrence.
fn segment_matches(expected: &str, segment: &str) -> bool {
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
        rest = &rest[end + literal.len()..];
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(path: &str) -> Vec<&str> {
        path.split('/').collect()
    }

    #[test]
    fn paths_match_their_template_only() {
        let template = "/users/{userId}/things/create";
        assert!(path_matches(template, split("users/u%2F1/things/create")));
        for bad in [
            "users/u/things",
            "users/u/things/create/x",
            "me/things/create",
            "users/u/thing/create",
        ] {
            assert!(!path_matches(template, split(bad)), "{bad}");
        }
        assert!(path_matches("/me/things", split("me/things")));
    }

    #[test]
    fn function_segments_match_their_literal_text() {
        let template = "/users/{userId}/getAll(organizer='{organizer}',start={start})";
        let good = "users/u1/getAll(organizer='u1',start=2026-01-01T00%3A00%3A00Z)";
        assert!(path_matches(template, split(good)));
        for bad in [
            "users/u1/getAll(organizer='u1',start=null)x",
            "users/u1/getAll(organizer='u1')",
            "users/u1/getSome(organizer='u1',start=null)",
        ] {
            assert!(!path_matches(template, split(bad)), "{bad}");
        }
    }

    #[test]
    fn every_operation_is_found_by_its_id_and_matches_its_own_path() {
        for op in Operation::ALL {
            assert_eq!(Operation::from_id(op.id()), Some(*op));
            let filled = op.path().replace(['{', '}'], "");
            assert!(op.matches_path(filled.split('/').skip(1)), "{op}");
        }
        assert_eq!(Operation::from_id("no_such_operation"), None);
    }
}
