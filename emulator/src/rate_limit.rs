//! A request budget like Graph's throttling: at most N requests per S seconds per app per
//! tenant ([`RateLimit`]); a request beyond it is answered `429 TooManyRequests` with a
//! `Retry-After` that says when there is room again. Two kinds ([`RateLimitKind`]):
//!
//! - **fixed window** (the default): a window opens with the first request of an app in a
//!   tenant and admits N requests until S has passed since it opened; the next request
//!   after that opens a new one. `Retry-After` is the time left in the window.
//! - **token bucket**: a bucket of N tokens, full at first, refilled continuously at N/S
//!   tokens a second; a request takes one. `Retry-After` is the time until the next token.
//!
//! A refused request uses nothing. `Retry-After` is in seconds with up to three decimals
//! (as in Graph's own samples), rounded up so that a client that waits exactly that long
//! is admitted.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::HeaderValue;

use crate::error::EmulatorError;

/// How a [`RateLimit`] counts; `--rate-limit-kind` takes `fixed-window` or `token-bucket`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum RateLimitKind {
    /// N requests per window of S seconds, the window opened by the first request after
    /// the last one ended.
    #[default]
    FixedWindow,
    /// A bucket of N tokens refilled at N/S a second; each request takes one.
    TokenBucket,
}

impl RateLimitKind {
    /// The kind's name: `fixed-window` or `token-bucket`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FixedWindow => "fixed-window",
            Self::TokenBucket => "token-bucket",
        }
    }
}

impl fmt::Display for RateLimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RateLimitKind {
    type Err = EmulatorError;

    fn from_str(text: &str) -> Result<Self, EmulatorError> {
        [Self::FixedWindow, Self::TokenBucket]
            .into_iter()
            .find(|kind| kind.as_str() == text.trim())
            .ok_or_else(|| EmulatorError::InvalidRateLimit {
                value: text.to_owned(),
                reason: "the kind is fixed-window or token-bucket".to_owned(),
            })
    }
}

/// A budget of [`requests`](Self::requests) per [`window`](Self::window) per app per
/// tenant, counted as its [`kind`](Self::kind) says. Parses from `N/S` or `N/Ss`
/// (`400/1s`, `50/0.5s`), as `--rate-limit` takes it, as a fixed window; prints the same
/// text (without the kind).
///
/// ```
/// use std::time::Duration;
/// use graph_online_meetings_emulator::{RateLimit, RateLimitKind};
///
/// let limit: RateLimit = "400/1s".parse()?;
/// assert_eq!(limit, RateLimit::fixed_window(400, Duration::from_secs(1))?);
/// assert_eq!(limit.to_string(), "400/1s");
///
/// // 400 at once, then 400 a second, one every 2.5 ms.
/// let bucket = RateLimit::token_bucket(400, Duration::from_secs(1))?;
/// assert_eq!(bucket, limit.with_kind(RateLimitKind::TokenBucket));
/// # Ok::<(), graph_online_meetings_emulator::EmulatorError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    requests: u32,
    window: Duration,
    kind: RateLimitKind,
}

impl RateLimit {
    /// `requests` per fixed `window` (as [`fixed_window`](Self::fixed_window)): both must
    /// be more than zero.
    pub fn new(requests: u32, window: Duration) -> Result<Self, EmulatorError> {
        Self::fixed_window(requests, window)
    }

    /// `requests` per fixed `window` ([`RateLimitKind::FixedWindow`]): both must be more
    /// than zero.
    pub fn fixed_window(requests: u32, window: Duration) -> Result<Self, EmulatorError> {
        if requests == 0 || window.is_zero() {
            return Err(EmulatorError::InvalidRateLimit {
                value: format!("{requests}/{}s", window.as_secs_f64()),
                reason: "both the number of requests and the window must be more than zero"
                    .to_owned(),
            });
        }
        Ok(RateLimit {
            requests,
            window,
            kind: RateLimitKind::FixedWindow,
        })
    }

    /// A bucket of `requests` tokens refilled at `requests` per `period`
    /// ([`RateLimitKind::TokenBucket`]): both must be more than zero.
    pub fn token_bucket(requests: u32, period: Duration) -> Result<Self, EmulatorError> {
        Ok(Self::fixed_window(requests, period)?.with_kind(RateLimitKind::TokenBucket))
    }

    /// The same numbers, counted the `kind` way.
    #[must_use]
    pub fn with_kind(self, kind: RateLimitKind) -> Self {
        RateLimit { kind, ..self }
    }

    /// The requests a window admits (a bucket's capacity).
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// The window's length (the time a bucket takes to refill from empty).
    pub fn window(&self) -> Duration {
        self.window
    }

    /// How it counts.
    pub fn kind(&self) -> RateLimitKind {
        self.kind
    }

    /// The sustained rate it allows, in requests per second.
    pub fn per_second(&self) -> f64 {
        f64::from(self.requests) / self.window.as_secs_f64()
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}s", self.requests, self.window.as_secs_f64())
    }
}

impl FromStr for RateLimit {
    type Err = EmulatorError;

    fn from_str(text: &str) -> Result<Self, EmulatorError> {
        let invalid = |reason: &str| EmulatorError::InvalidRateLimit {
            value: text.to_owned(),
            reason: reason.to_owned(),
        };
        let (requests, window) = text
            .trim()
            .split_once('/')
            .ok_or_else(|| invalid("expected N/S, for example 400/1s"))?;
        let requests: u32 = requests
            .trim()
            .parse()
            .map_err(|_| invalid("N is not a whole number"))?;
        let window = window.trim();
        let seconds: f64 = window
            .strip_suffix('s')
            .unwrap_or(window)
            .parse()
            .map_err(|_| invalid("S is not a number of seconds"))?;
        let window = Duration::try_from_secs_f64(seconds)
            .map_err(|_| invalid("S is not a number of seconds"))?;
        RateLimit::new(requests, window)
    }
}

/// What one app in one tenant has used.
#[derive(Debug)]
enum Budget {
    /// The open window.
    Window { opened: Instant, admitted: u32 },
    /// The bucket, as the time it is full again (no tokens missing from then on).
    ///
    /// Times are nanoseconds since `base` times the capacity N, so that the interval
    /// between two tokens (S/N) is a whole number (S in nanoseconds): no rounding.
    Bucket { base: Instant, full_at: u128 },
}

/// The budgets of a [`RateLimit`], by tenant, then app.
#[derive(Debug)]
pub(crate) struct Limiter {
    limit: RateLimit,
    budgets: Mutex<HashMap<String, HashMap<String, Budget>>>,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Limiter {
            limit,
            budgets: Mutex::new(HashMap::new()),
        }
    }

    /// Admit a request of `app` in `tenant` now, or say how long until it would be.
    pub(crate) fn admit(&self, tenant: &str, app: &str) -> Result<(), Duration> {
        self.admit_at(tenant, app, Instant::now())
    }

    fn admit_at(&self, tenant: &str, app: &str, now: Instant) -> Result<(), Duration> {
        let mut budgets = self.budgets.lock().unwrap_or_else(|e| e.into_inner());
        // Looked up by reference: a key is allocated only for a new tenant or app.
        if !budgets.contains_key(tenant) {
            budgets.insert(tenant.to_owned(), HashMap::new());
        }
        let apps = budgets.get_mut(tenant).ok_or(self.limit.window)?;
        if !apps.contains_key(app) {
            let fresh = match self.limit.kind {
                RateLimitKind::FixedWindow => Budget::Window {
                    opened: now,
                    admitted: 0,
                },
                RateLimitKind::TokenBucket => Budget::Bucket {
                    base: now,
                    full_at: 0,
                },
            };
            apps.insert(app.to_owned(), fresh);
        }
        match apps.get_mut(app).ok_or(self.limit.window)? {
            Budget::Window { opened, admitted } => {
                let elapsed = now.saturating_duration_since(*opened);
                if elapsed >= self.limit.window {
                    *opened = now;
                    *admitted = 0;
                } else if *admitted >= self.limit.requests {
                    return Err(self.limit.window - elapsed);
                }
                *admitted += 1;
                Ok(())
            }
            Budget::Bucket { base, full_at } => {
                take_token(self.limit, now.saturating_duration_since(*base), full_at)
            }
        }
    }
}

/// Takes a token from a bucket full at `full_at` (scaled, see [`Budget::Bucket`]) at
/// `elapsed` since its base, or says how long until the next token.
///
/// With N tokens of capacity and one token every `T` = S/N, the bucket holds
/// N − (full_at − now)/T tokens; a request needs one, so it is admitted when
/// full_at − now ≤ (N − 1)·T, and then moves `full_at` one `T` later (from now, if the
/// bucket was full). Scaled by N, `T` is S in nanoseconds.
fn take_token(limit: RateLimit, elapsed: Duration, full_at: &mut u128) -> Result<(), Duration> {
    // A RateLimit's constructors refuse 0 requests; `max(1)` keeps this total anyway.
    let capacity = u128::from(limit.requests).max(1);
    let interval = limit.window.as_nanos();
    let now = elapsed.as_nanos().saturating_mul(capacity);
    let start = (*full_at).max(now);
    let slack = interval.saturating_mul(capacity - 1);
    if start - now <= slack {
        *full_at = start.saturating_add(interval);
        return Ok(());
    }
    // The next token comes when full_at − now has shrunk to the slack.
    let wait = (start - now - slack).div_ceil(capacity);
    Err(Duration::from_nanos(
        u64::try_from(wait).unwrap_or(u64::MAX),
    ))
}

/// A `Retry-After` of `wait`, in seconds with up to three decimals, rounded up and never
/// `0` (a client that comes back sooner would find the window still full).
pub(crate) fn retry_after(wait: Duration) -> HeaderValue {
    let millis = wait.as_nanos().div_ceil(1_000_000).max(1);
    let text = format!("{}.{:03}", millis / 1000, millis % 1000);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_admits_its_budget_then_says_when_it_has_room() {
        let limiter = Limiter::new(RateLimit::new(2, Duration::from_secs(1)).expect("valid"));
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        assert_eq!(limiter.admit_at("t", "a", at(0)), Ok(()));
        assert_eq!(limiter.admit_at("t", "a", at(100)), Ok(()));
        assert_eq!(
            limiter.admit_at("t", "a", at(250)),
            Err(Duration::from_millis(750))
        );
        // Another app, or the same app in another tenant, has its own budget.
        assert_eq!(limiter.admit_at("t", "b", at(250)), Ok(()));
        assert_eq!(limiter.admit_at("u", "a", at(250)), Ok(()));
        // A refused request used nothing; the next window opens at the next request.
        assert_eq!(limiter.admit_at("t", "a", at(1000)), Ok(()));
        assert_eq!(limiter.admit_at("t", "a", at(1001)), Ok(()));
        assert_eq!(
            limiter.admit_at("t", "a", at(1500)),
            Err(Duration::from_millis(500))
        );
    }

    #[test]
    fn a_bucket_admits_its_capacity_then_one_request_per_refill() {
        let limit = RateLimit::token_bucket(4, Duration::from_secs(1)).expect("valid");
        let limiter = Limiter::new(limit);
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        // Full at first: 4 at once, then the fifth waits for the next token (250 ms).
        for _ in 0..4 {
            assert_eq!(limiter.admit_at("t", "a", at(0)), Ok(()));
        }
        assert_eq!(
            limiter.admit_at("t", "a", at(0)),
            Err(Duration::from_millis(250))
        );
        assert_eq!(
            limiter.admit_at("t", "a", at(100)),
            Err(Duration::from_millis(150))
        );
        // Another app, or the same app in another tenant, has its own bucket.
        assert_eq!(limiter.admit_at("t", "b", at(100)), Ok(()));
        assert_eq!(limiter.admit_at("u", "a", at(100)), Ok(()));
        // One token every 250 ms, unlike a window that would reopen whole at 1 s.
        assert_eq!(limiter.admit_at("t", "a", at(250)), Ok(()));
        assert_eq!(
            limiter.admit_at("t", "a", at(250)),
            Err(Duration::from_millis(250))
        );
        assert_eq!(limiter.admit_at("t", "a", at(500)), Ok(()));
        // Idle long enough, it is full again, never fuller: 4, not 8.
        for _ in 0..4 {
            assert_eq!(limiter.admit_at("t", "a", at(3000)), Ok(()));
        }
        assert_eq!(
            limiter.admit_at("t", "a", at(3000)),
            Err(Duration::from_millis(250))
        );
        // Half refilled: two tokens.
        assert_eq!(limiter.admit_at("t", "a", at(3500)), Ok(()));
        assert_eq!(limiter.admit_at("t", "a", at(3500)), Ok(()));
        assert!(limiter.admit_at("t", "a", at(3500)).is_err());
    }

    #[test]
    fn a_bucket_waits_exactly_when_tokens_are_not_whole_milliseconds() {
        // 3 per second: one token every 333.33… ms.
        let limiter =
            Limiter::new(RateLimit::token_bucket(3, Duration::from_secs(1)).expect("valid"));
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.admit_at("t", "a", start), Ok(()));
        }
        let wait = limiter.admit_at("t", "a", start).err().unwrap_or_default();
        assert_eq!(wait, Duration::from_nanos(333_333_334));
        assert_eq!(retry_after(wait), "0.334");
        assert!(limiter.admit_at("t", "a", start + wait).is_ok());
        // A capacity of one: strictly one request per period.
        let single =
            Limiter::new(RateLimit::token_bucket(1, Duration::from_secs(2)).expect("valid"));
        assert_eq!(single.admit_at("t", "a", start), Ok(()));
        assert_eq!(
            single.admit_at("t", "a", start + Duration::from_millis(500)),
            Err(Duration::from_millis(1500))
        );
        assert_eq!(
            single.admit_at("t", "a", start + Duration::from_secs(2)),
            Ok(())
        );
    }

    #[test]
    fn kinds_parse_and_print() {
        assert_eq!(
            "token-bucket".parse::<RateLimitKind>().ok(),
            Some(RateLimitKind::TokenBucket)
        );
        assert_eq!(
            "fixed-window".parse::<RateLimitKind>().ok(),
            Some(RateLimitKind::FixedWindow)
        );
        assert!("leaky".parse::<RateLimitKind>().is_err());
        assert_eq!(RateLimitKind::default(), RateLimitKind::FixedWindow);
        assert_eq!(RateLimitKind::TokenBucket.to_string(), "token-bucket");
        let limit: RateLimit = "10/2s".parse().expect("valid");
        assert_eq!(limit.kind(), RateLimitKind::FixedWindow);
        assert_eq!(
            RateLimit::token_bucket(10, Duration::from_secs(2))
                .map(|l| l.kind())
                .ok(),
            Some(RateLimitKind::TokenBucket)
        );
        assert!(RateLimit::token_bucket(0, Duration::from_secs(1)).is_err());
    }

    #[test]
    fn limits_parse_and_print() {
        for (text, requests, window) in [
            ("400/1s", 400, Duration::from_secs(1)),
            ("50/0.5s", 50, Duration::from_millis(500)),
            (" 10 / 2 ", 10, Duration::from_secs(2)),
        ] {
            let limit: RateLimit = text.parse().expect(text);
            assert_eq!((limit.requests(), limit.window()), (requests, window));
        }
        for bad in [
            "", "400", "0/1s", "10/0s", "x/1s", "10/xs", "10/-1s", "-5/1s",
        ] {
            assert!(bad.parse::<RateLimit>().is_err(), "{bad:?}");
        }
        assert_eq!(
            "50/0.5s".parse::<RateLimit>().expect("valid").to_string(),
            "50/0.5s"
        );
    }

    #[test]
    fn retry_after_is_seconds_with_at_most_three_decimals() {
        assert_eq!(retry_after(Duration::from_millis(750)), "0.75");
        assert_eq!(retry_after(Duration::from_millis(2000)), "2");
        assert_eq!(retry_after(Duration::from_micros(10)), "0.001");
        assert_eq!(retry_after(Duration::from_millis(1250)), "1.25");
        assert_eq!(
            retry_after(Duration::from_micros(1250)),
            "0.002",
            "rounded up"
        );
    }
}
