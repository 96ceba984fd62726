//! Path parameters as exactly one URL path segment.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

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
