//! The error type of the library API (starting, configuring, driving and stopping the
//! emulator).
//!
//! Errors the emulator *answers* over HTTP are not Rust errors; see [`crate::graph_error`].

use std::io;

/// Why the emulator could not start, be configured, do what a test asked, or stop cleanly.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// The listening socket could not be bound (address in use, bad address, no permission).
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address that was asked for.
        addr: String,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },

    /// The bound socket could not report its local address.
    #[error("cannot read the address the emulator is bound to")]
    LocalAddr(#[source] io::Error),

    /// A `Retry-After` value for an injected fault cannot be sent as an HTTP header value.
    ///
    /// The value is sent verbatim, so it must be non-empty visible ASCII (for example `"2"`,
    /// `"0.5"` or an HTTP date).
    #[error(
        "invalid Retry-After value {value:?}: it must be a non-empty HTTP header value of visible ASCII characters"
    )]
    InvalidRetryAfter {
        /// The rejected value.
        value: String,
    },

    /// A rate limit that admits nothing, or text that is not `N/S` (see
    /// [`RateLimit`](crate::RateLimit)).
    #[error("invalid rate limit {value:?}: {reason}")]
    InvalidRateLimit {
        /// The rejected value.
        value: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The HTTP server stopped with an I/O error.
    #[error("the emulator's HTTP server failed")]
    Serve(#[source] io::Error),

    /// The task running the HTTP server panicked or was cancelled.
    #[error("the emulator's server task ended abnormally")]
    Task(#[source] tokio::task::JoinError),

    /// [`RunningEmulator::send_lifecycle`](crate::RunningEmulator::send_lifecycle) found no
    /// subscription with that id that has not expired.
    #[error("no subscription {subscription_id:?} that has not expired")]
    SubscriptionNotFound {
        /// The subscription id that was asked for.
        subscription_id: String,
    },
    /// [`RunningEmulator::send_lifecycle`](crate::RunningEmulator::send_lifecycle) was
    /// given an event Graph does not send.
    #[error("{reason}")]
    UnknownLifecycleEvent {
        /// What is wrong.
        reason: String,
    },

    /// [`RunningEmulator::end_meeting`](crate::RunningEmulator::end_meeting) found no meeting
    /// with that id for the user: unknown, deleted, or another user's.
    #[error("user {user_id:?} of tenant {tenant_id:?} has no meeting {meeting_id:?}")]
    MeetingNotFound {
        /// The tenant that was asked for.
        tenant_id: String,
        /// The user (organizer) that was asked for.
        user_id: String,
        /// The meeting id that was asked for.
        meeting_id: String,
    },

    /// The [`MeetingEnd`](crate::MeetingEnd) given to
    /// [`RunningEmulator::end_meeting`](crate::RunningEmulator::end_meeting) is not valid.
    #[error("invalid meeting end: {reason}")]
    InvalidMeetingEnd {
        /// What is wrong, naming the attendee (by index) and the interval.
        reason: String,
    },

    /// Graceful shutdown did not finish within the configured grace period; the server task was
    /// aborted.
    #[error("graceful shutdown did not finish within {grace:?}; the server was aborted")]
    ShutdownTimedOut {
        /// The grace period that elapsed.
        grace: std::time::Duration,
    },
}
