//! Path parameters: each one checked (the generated call methods do it, before anything
//! is sent) and encoded into exactly its place in the URL (the generated methods do it).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::runtime::validation::ValidationError;

/// Every byte but the unreserved characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path parameter as one path segment: everything outside the unreserved characters
/// is percent-encoded, so `/`, `\`, `?`, `#` and `%` cannot leave the segment.
///
/// The generated client calls this (the codegen's `paths` transform puts it in place of
/// progenitor's `encode_path`, which leaves `\` alone; URL parsing reads `\` as `/`).
pub(crate) fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

/// Refuse a path parameter that no encoding keeps in its place: empty, and, when it is
/// a whole segment (`whole_segment`), `.` or `..` (URL parsing resolves those away, and
/// `%2e` counts as a dot too). Every other value stays in its place once encoded by
/// [`encode_path_segment`]. `name` is the parameter's name in the spec.
///
/// The generated call methods run this for every path parameter of their operation
/// (the codegen's `calls` transform), so it is the one place the rule is checked.
pub(crate) fn check_path_parameter(
    name: &'static str,
    value: &str,
    whole_segment: bool,
) -> Result<(), ValidationError> {
    match value {
        "" => Err(ValidationError::Empty { name }),
        "." | ".." if whole_segment => Err(ValidationError::DotSegment {
            name,
            value: value.to_owned(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parameter_becomes_one_segment() {
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
    }

    #[test]
    fn only_empty_and_dot_segments_are_refused() {
        assert_eq!(check_path_parameter("userId", "...", true), Ok(()));
        assert_eq!(check_path_parameter("userId", "%2e", true), Ok(()));
        assert_eq!(
            check_path_parameter("meetingId", "", true),
            Err(ValidationError::Empty { name: "meetingId" })
        );
        assert!(check_path_parameter("userId", ".", true).is_err());
        assert!(check_path_parameter("userId", "..", true).is_err());
        // Inside a function call's parentheses, a dot is only text.
        assert_eq!(check_path_parameter("startDateTime", "..", false), Ok(()));
        assert!(check_path_parameter("startDateTime", "", false).is_err());
    }
}
