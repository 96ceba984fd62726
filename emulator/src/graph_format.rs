//! How Graph writes what the server makes up: times, and components of the URLs it sends.

use chrono::{DateTime, Timelike, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

/// Characters percent-encoded in URL components: all but RFC 3986's unreserved ones.
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A server-made time in Graph's form: UTC, 100 ns precision, `Z`.
pub(crate) fn graph_utc(time: DateTime<Utc>) -> String {
    let ticks = time.nanosecond() % 1_000_000_000 / 100;
    format!("{}.{ticks:07}Z", time.format("%Y-%m-%dT%H:%M:%S"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_utc_has_seven_digits() {
        let now = DateTime::parse_from_rfc3339("2026-03-04T05:06:07.123456789Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(graph_utc(now), "2026-03-04T05:06:07.1234567Z");
    }
}
