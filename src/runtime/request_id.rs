//! The `client-request-id` of a call.

use std::fmt;

use reqwest::header::HeaderValue;

/// A `client-request-id`: a version 4 UUID, kept as its text (lower case, hyphenated),
/// so that a call's `Response` carries it without an allocation.
#[derive(Clone, Copy)]
pub(crate) struct ClientRequestId([u8; uuid::fmt::Hyphenated::LENGTH]);

impl ClientRequestId {
    /// A new id. Its random bits come from `fastrand` (per thread, seeded once) rather
    /// than from the operating system on every call as `Uuid::new_v4` does: the id
    /// correlates a call with Graph's logs and must be unique, not unpredictable, and
    /// this spares every call a `getrandom` system call.
    pub(crate) fn new() -> Self {
        let id = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        id.hyphenated().encode_lower(&mut text);
        ClientRequestId(text)
    }

    /// The id's text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII hex digits and hyphens are written.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The id as a header value (always a valid one).
    pub(crate) fn header(&self) -> HeaderValue {
        HeaderValue::from_bytes(&self.0)
            .unwrap_or_else(|_| HeaderValue::from_static("00000000-0000-0000-0000-000000000000"))
    }
}

impl fmt::Debug for ClientRequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
