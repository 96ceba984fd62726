//! Fault injection: make the next N calls to the operations fail with 429 or 503.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use axum::http::{HeaderValue, StatusCode};

use crate::error::EmulatorError;
use crate::graph_error::ErrorAnswer;

/// A failure the emulator answers instead of serving a call.
///
/// Faults are consumed, in the order they were queued, by any call that reaches a Graph route
/// (a [`Route`](crate::Route): any version, any user), *before* the body size, the token or the
/// body is looked at: like Graph's gateway, a throttled call is refused whatever it carries.
/// Requests that match no route (404) or use the wrong method (405), and the `/_emulator` test
/// controls, do not consume faults.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// `429 Too Many Requests`, error code `TooManyRequests`, with a `Retry-After` header whose
    /// value is sent verbatim (seconds such as `"2"` or `"0.5"`, or an HTTP date).
    Throttle {
        /// The `Retry-After` header value, sent as is.
        retry_after: String,
    },
    /// `503 Service Unavailable`, error code `ServiceUnavailable`, with a `Retry-After` header
    /// when one is given.
    Unavailable {
        /// The `Retry-After` header value, sent as is; `None` sends no header.
        retry_after: Option<String>,
    },
    /// The call is served as usual (a meeting may be created), but the connection is
    /// dropped in the middle of the answer: the status and headers go out, the body
    /// never completes. The client cannot know whether the call took effect.
    LoseAnswer,
}

impl Fault {
    /// A throttling fault (`429`) with the given `Retry-After` value.
    pub fn throttle(retry_after: impl Into<String>) -> Self {
        Self::Throttle {
            retry_after: retry_after.into(),
        }
    }

    /// An unavailability fault (`503`) without `Retry-After`.
    pub fn unavailable() -> Self {
        Self::Unavailable { retry_after: None }
    }

    /// Checks the fault can be sent and turns it into the error answer it makes.
    pub(crate) fn prepare(&self) -> Result<Injected, EmulatorError> {
        let answer = match self {
            Self::LoseAnswer => return Ok(Injected::LoseAnswer),
            Self::Throttle { retry_after } => Ok(ErrorAnswer::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Too many requests. Please retry again later.",
            )
            .with_retry_after(Some(retry_after_header(retry_after)?))),
            Self::Unavailable { retry_after } => Ok(ErrorAnswer::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailable",
                "The service is temporarily unavailable. Please retry again later.",
            )
            .with_retry_after(retry_after.as_deref().map(retry_after_header).transpose()?)),
        };
        answer.map(Injected::Answer)
    }
}

fn retry_after_header(value: &str) -> Result<HeaderValue, EmulatorError> {
    let invalid = || EmulatorError::InvalidRetryAfter {
        value: value.to_owned(),
    };
    if value.trim().is_empty() || !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(invalid());
    }
    HeaderValue::from_str(value).map_err(|_| invalid())
}

/// What a queued fault does to the call that takes it.
#[derive(Debug, Clone)]
pub(crate) enum Injected {
    /// Answer this error instead of serving the call.
    Answer(ErrorAnswer),
    /// Serve the call, then drop the connection mid-answer.
    LoseAnswer,
}

#[derive(Debug)]
struct Queued {
    remaining: u64,
    answer: Injected,
}

/// A cloneable handle that queues faults on a running emulator (see [`Fault`]).
///
/// ```
/// # async fn demo() -> Result<(), graph_online_meetings_emulator::EmulatorError> {
/// use graph_online_meetings_emulator::{Emulator, Fault};
///
/// let emulator = Emulator::start("127.0.0.1:0").await?;
/// // The next two calls answer 429 with `Retry-After: 0.5`, the one after 503.
/// emulator.faults().fail_next(2, Fault::Throttle { retry_after: "0.5".into() })?;
/// emulator.faults().fail_next(1, Fault::unavailable())?;
/// assert_eq!(emulator.faults().pending(), 3);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct FaultInjector {
    queue: Arc<Mutex<VecDeque<Queued>>>,
}

impl FaultInjector {
    /// An empty queue (the emulator makes one; users get it from `RunningEmulator::faults`).
    pub(crate) fn new() -> Self {
        Self {
            queue: Arc::new(Mutex::new(VecDeque::new())),
        }
    }

    /// Makes the next `count` calls (after any faults already queued) answer `fault`.
    ///
    /// # Errors
    ///
    /// [`EmulatorError::InvalidRetryAfter`] when the fault's `Retry-After` value cannot be sent
    /// as a header value; nothing is queued then.
    pub fn fail_next(&self, count: u32, fault: Fault) -> Result<(), EmulatorError> {
        let answer = fault.prepare()?;
        if count > 0 {
            self.lock().push_back(Queued {
                remaining: u64::from(count),
                answer,
            });
        }
        Ok(())
    }

    /// How many calls will still fail.
    pub fn pending(&self) -> u64 {
        self.lock().iter().map(|queued| queued.remaining).sum()
    }

    /// Drops every queued fault.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Consumes one fault, if any is queued.
    pub(crate) fn take(&self) -> Option<Injected> {
        let mut queue = self.lock();
        let front = queue.front_mut()?;
        front.remaining = front.remaining.saturating_sub(1);
        let answer = front.answer.clone();
        if front.remaining == 0 {
            queue.pop_front();
        }
        Some(answer)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Queued>> {
        // The queue stays consistent even if a holder panicked: every update is one push/pop.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_consumed_in_order() {
        let faults = FaultInjector::new();
        assert!(faults.fail_next(2, Fault::throttle("0.5")).is_ok());
        assert!(faults.fail_next(0, Fault::unavailable()).is_ok());
        assert!(faults.fail_next(1, Fault::unavailable()).is_ok());
        assert!(faults.fail_next(1, Fault::LoseAnswer).is_ok());
        assert_eq!(faults.pending(), 4);
        let statuses: Vec<u16> = std::iter::from_fn(|| faults.take())
            .map(|injected| match injected {
                Injected::Answer(answer) => answer.status.as_u16(),
                Injected::LoseAnswer => 0,
            })
            .collect();
        assert_eq!(statuses, [429, 429, 503, 0]);
        assert_eq!(faults.pending(), 0);
    }

    #[test]
    fn retry_after_is_verbatim_and_checked() {
        let answer = Fault::throttle("0.5").prepare().ok();
        assert_eq!(
            answer.and_then(|a| match a {
                Injected::Answer(answer) => answer.retry_after,
                Injected::LoseAnswer => None,
            }),
            Some(HeaderValue::from_static("0.5"))
        );
        for bad in ["", "  ", "1\r\nX: y", "é"] {
            assert!(
                matches!(
                    Fault::throttle(bad).prepare(),
                    Err(EmulatorError::InvalidRetryAfter { .. })
                ),
                "{bad:?}"
            );
        }
        let faults = FaultInjector::new();
        assert!(faults.fail_next(3, Fault::throttle("")).is_err());
        assert_eq!(faults.pending(), 0);
    }
}
