//! When and how long to wait before trying a request again: [`RetryPolicy`].
//!
//! Only throttling and transient unavailability are retried: `429 Too Many Requests`,
//! `503 Service Unavailable` and `504 Gateway Timeout`, honouring `Retry-After` when the
//! server sends it (integer or fractional seconds, or an HTTP date), else with exponential
//! backoff and jitter. Whether a failure may be retried depends on the operation's
//! [`Idempotency`](crate::Idempotency), which the spec declares (`x-idempotent`):
//!
//! * idempotent operations are retried on `429`, `503`, `504`, timeouts and connection
//!   failures;
//! * the others only on `429` (the request was refused, not processed), never after a
//!   timeout or a `5xx`, so a retry can never act twice.
//!
//! A `429` is retried for as long as the call's waits after `429`s stay within a time
//! budget ([`RetryPolicy::with_max_throttled_delay`], 5 min by default), however many
//! there are: a refused request did nothing, and a bulk job under throttling should
//! finish at the tenant's rate instead of failing calls. (A `429` whose `Retry-After` is
//! zero or in the past waits the backoff.) The other failures count against the attempts
//! and the total delay.

use std::time::{Duration, SystemTime};

/// How a call is retried: a cap on the number of attempts and on the total time spent
/// waiting between them, and the backoff used when the server does not say how long to
/// wait.
///
/// The default makes at most 4 attempts, waits at most 60 s in total, and backs off
/// exponentially from 500 ms up to 30 s (with jitter) when there is no `Retry-After`;
/// `429`s are retried apart from these, within 5 min of waits after them. A `Retry-After`
/// longer than what is left ends the retries: the error is returned at once, with
/// [`Error::retry_after`](crate::Error::retry_after).
///
/// ```
/// use std::time::Duration;
/// use graph_online_meetings::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .with_max_attempts(6)
///     .with_max_total_delay(Duration::from_secs(120));
/// let never = RetryPolicy::disabled();
/// assert_eq!(never.max_attempts(), 1);
/// # let _ = patient;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_total_delay: Duration,
    max_throttled_delay: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_total_delay: Duration::from_secs(60),
            max_throttled_delay: Duration::from_secs(300),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// No retries: every call makes exactly one attempt (a `429` included). A call that
    /// finds its client paused by another call's `429` does not wait either: it fails with
    /// [`Error::Throttled`](crate::Error::Throttled), unsent (see
    /// [`GraphClientBuilder::shared_throttling`](crate::GraphClientBuilder::shared_throttling)).
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            max_throttled_delay: Duration::ZERO,
            ..Self::default()
        }
    }

    /// The most attempts one call makes for failures other than `429` (timeouts, `503`,
    /// `504`, connection failures), the first included (at least 1; 1 retries none of
    /// them). `429`s are bounded by [`with_max_throttled_delay`](Self::with_max_throttled_delay)
    /// instead.
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry when the server sends no `Retry-After`; it
    /// doubles with every further retry, up to [`with_max_backoff`](Self::with_max_backoff).
    #[must_use]
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest computed backoff (a `Retry-After` is not capped by it, only by the
    /// total delay, or for a `429` by the throttled delay).
    #[must_use]
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The most time one call spends waiting between attempts after failures other than
    /// `429`, all retries together.
    #[must_use]
    pub fn with_max_total_delay(mut self, delay: Duration) -> Self {
        self.max_total_delay = delay;
        self
    }

    /// The most time one call spends waiting after `429` answers, all together: 5 min
    /// by default. Within it a `429` is retried however often it comes (it does not count
    /// toward [`with_max_attempts`](Self::with_max_attempts) or
    /// [`with_max_total_delay`](Self::with_max_total_delay)); `Duration::ZERO` retries no
    /// `429`.
    #[must_use]
    pub fn with_max_throttled_delay(mut self, delay: Duration) -> Self {
        self.max_throttled_delay = delay;
        self
    }

    /// Whether computed backoffs are randomized (each between half and all of the
    /// exponential value), so that many clients do not retry in lockstep. On by default.
    #[must_use]
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The most attempts one call makes for failures other than `429`.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff before the first retry without `Retry-After`.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest computed backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The most time one call spends waiting between attempts.
    pub fn max_total_delay(&self) -> Duration {
        self.max_total_delay
    }

    /// The most time one call spends waiting after `429` answers.
    pub fn max_throttled_delay(&self) -> Duration {
        self.max_throttled_delay
    }

    /// Whether computed backoffs are randomized.
    pub fn jitter(&self) -> bool {
        self.jitter
    }

    /// The computed backoff before retry number `retry` (1 for the first retry).
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let base = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        if self.jitter {
            let factor = 0.5 + fastrand::f64() / 2.0;
            Duration::try_from_secs_f64(base.as_secs_f64() * factor).unwrap_or(base)
        } else {
            base
        }
    }

    /// How long a `429` makes the client wait: its `Retry-After`, or the backoff when it
    /// gives none, or zero (a zero wait would let a server that keeps refusing be asked
    /// again at once, for ever). `throttles` is the call's count of `429`s, 1 for the first.
    pub(crate) fn throttle_wait(&self, throttles: u32, retry_after: Option<Duration>) -> Duration {
        retry_after
            .filter(|delay| !delay.is_zero())
            .unwrap_or_else(|| self.backoff(throttles))
    }

    /// Whether a call that already waited `waited` because of `429`s may wait `wait` more
    /// and retry.
    pub(crate) fn may_wait_throttled(&self, waited: Duration, wait: Duration) -> bool {
        !self.max_throttled_delay.is_zero()
            && waited
                .checked_add(wait)
                .is_some_and(|total| total <= self.max_throttled_delay)
    }

    /// The delay before the next attempt, or `None` to stop.
    ///
    /// `attempt` is the number of the attempt that just failed (1 for the first), `waited`
    /// the time already spent waiting in this call.
    pub(crate) fn next_delay(
        &self,
        attempt: u32,
        waited: Duration,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = retry_after.unwrap_or_else(|| self.backoff(attempt));
        let left = self.max_total_delay.checked_sub(waited)?;
        (delay <= left).then_some(delay)
    }
}

/// Parse a `Retry-After` value: integer or fractional seconds, or an HTTP date (taken
/// relative to `now`; a date in the past means no wait). `None` when it is neither.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        // Only digits and dots: never negative or NaN; too large for a `Duration` (or
        // infinite) means "longer than anyone waits".
        let seconds: f64 = value.parse().ok()?;
        return Some(Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_fractions_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after(" 0.5 ", now),
            Some(Duration::from_millis(500))
        );
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(7)));
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(7));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        for bad in ["", "-1", "soon", "1e3", "NaN", "inf", "1.2.3", "."] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
        }
        // Absurdly large values do not panic; they mean "longer than anyone waits".
        assert_eq!(
            parse_retry_after(&"9".repeat(400), now),
            Some(Duration::MAX)
        );
        assert_eq!(
            parse_retry_after("99999999999999999999", now),
            Some(Duration::MAX)
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_without_jitter() {
        let policy = RetryPolicy::default()
            .with_jitter(false)
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(350));
        assert_eq!(policy.backoff(1), Duration::from_millis(100));
        assert_eq!(policy.backoff(2), Duration::from_millis(200));
        assert_eq!(policy.backoff(3), Duration::from_millis(350));
        assert_eq!(policy.backoff(200), Duration::from_millis(350));
    }

    #[test]
    fn jitter_stays_between_half_and_all_of_the_backoff() {
        let policy = RetryPolicy::default().with_initial_backoff(Duration::from_millis(1000));
        for _ in 0..100 {
            let delay = policy.backoff(1);
            assert!(delay >= Duration::from_millis(500) && delay <= Duration::from_millis(1000));
        }
    }

    #[test]
    fn huge_settings_do_not_panic() {
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::MAX)
            .with_max_backoff(Duration::MAX)
            .with_max_total_delay(Duration::MAX)
            .with_max_attempts(u32::MAX);
        for retry in [1, 2, 64, u32::MAX] {
            let _ = policy.backoff(retry);
            let _ = policy.next_delay(retry, Duration::MAX, None);
            let _ = policy.next_delay(retry, Duration::ZERO, Some(Duration::MAX));
        }
    }

    #[test]
    fn throttled_retries_are_bounded_by_time_not_attempts() {
        let policy = RetryPolicy::default()
            .with_jitter(false)
            .with_max_attempts(2)
            .with_max_throttled_delay(Duration::from_secs(10));
        let four = Duration::from_secs(4);
        assert_eq!(policy.throttle_wait(50, Some(four)), four);
        assert!(policy.may_wait_throttled(Duration::from_secs(6), four));
        assert!(!policy.may_wait_throttled(Duration::from_secs(7), four));
        assert!(!policy.may_wait_throttled(Duration::MAX, four));
        assert_eq!(
            policy.throttle_wait(1, Some(Duration::ZERO)),
            policy.backoff(1),
            "Retry-After: 0 waits the backoff"
        );
        assert!(
            !RetryPolicy::disabled().may_wait_throttled(Duration::ZERO, Duration::ZERO),
            "disabled retries nothing, a 429 included"
        );
    }

    #[test]
    fn attempts_and_total_delay_are_capped() {
        let policy = RetryPolicy::default()
            .with_max_attempts(3)
            .with_max_total_delay(Duration::from_secs(10));
        let five = Some(Duration::from_secs(5));
        assert_eq!(policy.next_delay(1, Duration::ZERO, five), five);
        assert_eq!(policy.next_delay(2, Duration::from_secs(5), five), five);
        assert_eq!(policy.next_delay(3, Duration::ZERO, five), None);
        assert_eq!(policy.next_delay(1, Duration::from_secs(6), five), None);
        assert_eq!(
            RetryPolicy::disabled().next_delay(1, Duration::ZERO, None),
            None
        );
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }
}
