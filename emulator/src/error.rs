//! The error type of the library API (starting, configuring and stopping the emulator).
//!
//! Errors the emulator *answers* over HTTP are not Rust errors; see [`crate::graph_error`].

use std::io;

/// Why the emulator could not start, be configured, or stop cleanly.
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

    /// The HTTP server stopped with an I/O error.
    #[error("the emulator's HTTP server failed")]
    Serve(#[source] io::Error),

    /// The task running the HTTP server panicked or was cancelled.
    #[error("the emulator's server task ended abnormally")]
    Task(#[source] tokio::task::JoinError),

    /// Graceful shutdown did not finish within the configured grace period; the server task was
    /// aborted.
    #[error("graceful shutdown did not finish within {grace:?}; the server was aborted")]
    ShutdownTimedOut {
        /// The grace period that elapsed.
        grace: std::time::Duration,
    },
}
