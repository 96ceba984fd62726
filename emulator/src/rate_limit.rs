//! A request budget like Graph's throttling: at most N requests per S seconds per app per
//! tenant ([`RateLimit`]); a request beyond it is answered `429 TooManyRequests` with a
//! `Retry-After` that says when the window has room again.
//!
//! The window is fixed: it opens with the first request of an app in a tenant and admits
//! N requests until S has passed since it opened; the next request after that opens a new
//! one. A refused request does not use the budget. `Retry-After` is the time left in the
//! window, in seconds with up to three decimals (as in Graph's own samples), rounded up so
//! that a client that waits exactly that long finds the window open.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::HeaderValue;

use crate::error::EmulatorError;

/// A budget of [`requests`](Self::requests) per [`window`](Self::window) per app per
/// tenant. Parses from `N/S` or `N/Ss` (`400/1s`, `50/0.5s`), as `--rate-limit` takes it.
///
/// ```
/// use std::time::Duration;
/// use graph_online_meetings_emulator::RateLimit;
///
/// let limit: RateLimit = "400/1s".parse()?;
/// assert_eq!(limit, RateLimit::new(400, Duration::from_secs(1))?);
/// assert_eq!(limit.to_string(), "400/1s");
/// # Ok::<(), graph_online_meetings_emulator::EmulatorError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    requests: u32,
    window: Duration,
}

impl RateLimit {
    /// `requests` per `window`: both must be more than zero.
    pub fn new(requests: u32, window: Duration) -> Result<Self, EmulatorError> {
        if requests == 0 || window.is_zero() {
            return Err(EmulatorError::InvalidRateLimit {
                value: format!("{requests}/{}s", window.as_secs_f64()),
                reason: "both the number of requests and the window must be more than zero"
                    .to_owned(),
            });
        }
        Ok(RateLimit { requests, window })
    }

    /// The requests a window admits.
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// The window's length.
    pub fn window(&self) -> Duration {
        self.window
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

/// The open window of one app in one tenant.
#[derive(Debug)]
struct Window {
    opened: Instant,
    admitted: u32,
}

/// The windows of a [`RateLimit`], by tenant, then app.
#[derive(Debug)]
pub(crate) struct Limiter {
    limit: RateLimit,
    windows: Mutex<HashMap<String, HashMap<String, Window>>>,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Limiter {
            limit,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Admit a request of `app` in `tenant` now, or say how long until its window has
    /// room.
    pub(crate) fn admit(&self, tenant: &str, app: &str) -> Result<(), Duration> {
        self.admit_at(tenant, app, Instant::now())
    }

    fn admit_at(&self, tenant: &str, app: &str, now: Instant) -> Result<(), Duration> {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        // Looked up by reference: a key is allocated only for a new tenant or app.
        if !windows.contains_key(tenant) {
            windows.insert(tenant.to_owned(), HashMap::new());
        }
        let apps = windows.get_mut(tenant).ok_or(self.limit.window)?;
        if !apps.contains_key(app) {
            apps.insert(
                app.to_owned(),
                Window {
                    opened: now,
                    admitted: 0,
                },
            );
        }
        let window = apps.get_mut(app).ok_or(self.limit.window)?;
        let elapsed = now.saturating_duration_since(window.opened);
        if elapsed >= self.limit.window {
            *window = Window {
                opened: now,
                admitted: 0,
            };
        } else if window.admitted >= self.limit.requests {
            return Err(self.limit.window - elapsed);
        }
        window.admitted += 1;
        Ok(())
    }
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
