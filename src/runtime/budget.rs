//! The budget a client's calls share against Graph's throttling (per app per tenant, so
//! per client; clones of a client share one budget). Three parts:
//!
//! * **The pause.** After a `429`, every new attempt waits until its `Retry-After` has
//!   passed, so that the calls do not come back as a herd.
//! * **The learned rate.** A refusal also measures the rate the server took: the answers
//!   it accepted since the measurement began, over that time plus the wait it asked for
//!   (for a server that counts N requests per fixed window this is N over the window; for
//!   one that refills tokens, after the first burst, its refill rate). A measurement of
//!   fewer than [`MIN_ANSWERS`] answers is used but not closed: the next refusal measures
//!   over the longer time, so a guess from a few answers is soon corrected. From then on
//!   new attempts are paced (each waits for its slot, spaced `1 / rate` apart), starting at
//!   97 % of the measured rate and growing back on a cubic curve while nothing is refused
//!   (the CUBIC curve of TCP and of AWS's adaptive retry mode): back to the measured rate
//!   after the time [`PROBE_REQUESTS`] requests take at it (10 s at 20/s, 0.6 s at 500/s,
//!   within 0.2 s to 10 s), and past it, probing, as long again later, so that a lower
//!   limit is found again by one refusal every few hundred requests and a higher one is
//!   reached soon. A client that was never refused is never paced.
//! * **The attempts in flight.** At most the bound (`max_in_flight`) at once; a new client
//!   starts at [`INITIAL_IN_FLIGHT`] and gains one place for each round of answers that
//!   were not refused (TCP's congestion window, grown additively), so that the attempts
//!   already in flight when a limit is first met, each of them a `429`, are few.
//!
//! The measured figures are in `docs/reliability.md`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};
// Tokio's clock, which a paused test clock moves too.
use tokio::time::Instant;

/// The default of [`GraphClientBuilder::max_in_flight`](crate::GraphClientBuilder::max_in_flight):
/// enough to keep a bulk job near a tenant's rate at Graph's latencies (about 80 calls a
/// second at 200 ms each).
pub const DEFAULT_MAX_IN_FLIGHT: usize = 16;

/// The attempts a new client may have in flight before its answers come back (at most
/// the bound).
pub(crate) const INITIAL_IN_FLIGHT: usize = 4;

/// The share of the measured rate a refusal paces at.
const BETA: f64 = 0.97;

/// The requests the cubic takes, at the measured rate, to come back to it (and as many
/// again to be 3 % past it).
const PROBE_REQUESTS: f64 = 300.0;

/// A gap with nothing in flight after which a new attempt starts a new measurement
/// (at least twice the pacing's spacing): the rate of a client's earlier work says nothing
/// of a job that starts after it was idle.
const IDLE: Duration = Duration::from_secs(1);

/// The answers a measurement needs to be closed; with fewer, the next refusal measures
/// over the same start (and can lower the rate learnt before only so far).
const MIN_ANSWERS: u64 = 8;

/// A client's shared budget: the pause after a `429`, the learned rate, and the attempts
/// in flight.
#[derive(Debug)]
pub(crate) struct Budget {
    origin: Instant,
    /// Nanoseconds after `origin` until which no attempt starts (0: none).
    paused_until: AtomicU64,
    /// The places in flight granted so far (the window), up to `bound`.
    in_flight: Semaphore,
    bound: usize,
    learned: Mutex<Learned>,
}

/// What the budget learns from the answers.
#[derive(Debug)]
struct Learned {
    /// Places granted to the semaphore so far.
    granted: usize,
    /// Answers not refused since the window last grew.
    round: usize,
    /// Answers the server accepted to attempts sent since `since`, and when that
    /// measurement began (the first attempt, or the end of the pause of the last refusal
    /// that closed one).
    accepted: u64,
    since: Option<Instant>,
    /// When the last measured refusal set its pause: an answer to an attempt sent before
    /// it is part of the same burst, and measures nothing new.
    refused_at: Option<Instant>,
    /// The pacing, from the first refusal on.
    pacing: Option<Pacing>,
    /// How many refusals were measured: a slot taken before the last one is stale (the
    /// schedule starts again after its pause).
    epoch: u64,
    /// When the last answer (accepted or refused) came.
    last_answer: Option<Instant>,
}

/// The learned rate and the pacer's schedule.
#[derive(Debug, Clone, Copy)]
struct Pacing {
    /// Requests a second the server accepted, measured at the last refusal.
    measured: f64,
    /// When pacing at that rate begins (the end of the refusal's pause): the cubic's
    /// origin, so that a long pause does not pass the curve's first part.
    at: Instant,
    /// When the next attempt may start.
    next: Instant,
    /// The measurement `measured` closed (its start, answers and time), while it is the
    /// one paced by: an answer to an attempt sent in it that comes back after the refusal
    /// (the last of a window, in flight when the next was refused) still counts.
    closed: Option<(Instant, u64, f64)>,
}

impl Pacing {
    /// The rate to pace at `now`: the cubic through `BETA × measured` at the refusal,
    /// flat at `measured` after the time `PROBE_REQUESTS` take (`k`), and growing past it.
    fn rate(&self, now: Instant) -> f64 {
        // Bounded so that a rate measured very low (after a run of refusals) grows back
        // within seconds, and a very high one is not probed past at once.
        let k = (PROBE_REQUESTS / self.measured).clamp(0.2, 10.0);
        let c = (1.0 - BETA) / (k * k * k);
        let t = now.saturating_duration_since(self.at).as_secs_f64() - k;
        (self.measured * (1.0 + c * t * t * t)).max(f64::MIN_POSITIVE)
    }
}

/// One attempt's place in the budget, held while it runs, and how long it waited for it:
/// for the client's pause after a `429` or its pacing, and for a place among those in
/// flight.
pub(crate) struct Admission<'a> {
    _permit: Option<SemaphorePermit<'a>>,
    pub(crate) paused: Duration,
    pub(crate) queued: Duration,
    /// When the attempt was let go.
    sent: Instant,
}

impl Admission<'_> {
    /// The whole wait.
    pub(crate) fn waited(&self) -> Duration {
        self.paused + self.queued
    }
}

impl Budget {
    pub(crate) fn new(max_in_flight: usize) -> Self {
        let bound = max_in_flight.clamp(1, Semaphore::MAX_PERMITS);
        let granted = INITIAL_IN_FLIGHT.min(bound);
        Budget {
            origin: Instant::now(),
            paused_until: AtomicU64::new(0),
            in_flight: Semaphore::new(granted),
            bound,
            learned: Mutex::new(Learned {
                granted,
                round: 0,
                accepted: 0,
                since: None,
                refused_at: None,
                pacing: None,
                epoch: 0,
                last_answer: None,
            }),
        }
    }

    fn learned(&self) -> std::sync::MutexGuard<'_, Learned> {
        // Each critical section leaves the state consistent: a panic elsewhere while
        // holding it (there is none: no call in it can panic) would leave it usable.
        self.learned
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Wait until no pause holds, a place among those in flight is free and, once the
    /// client was refused, the pacer's slot has come; or, when the pause holds longer than
    /// `limit` (what the call may still wait for throttling), how long it still holds, at
    /// once.
    ///
    /// A waiter that gets its place and then finds a new pause, or a slot made stale by a
    /// refusal since it was taken, gives the place back and waits again (the attempt must
    /// not start during a pause, nor on the schedule of a rate just found too high).
    pub(crate) async fn admit(&self, limit: Duration) -> Result<Admission<'_>, Duration> {
        let (mut paused, mut queued) = (Duration::ZERO, Duration::ZERO);
        loop {
            while let Some(left) = self.pause_left() {
                if paused + left > limit {
                    return Err(left);
                }
                let start = Instant::now();
                tokio::time::sleep(left).await;
                paused += start.elapsed();
            }
            let permit = match self.in_flight.try_acquire() {
                Ok(permit) => Some(permit),
                Err(_) => {
                    let start = Instant::now();
                    // The semaphore is never closed; `None` would only mean "unbounded".
                    let permit = self.in_flight.acquire().await.ok();
                    queued += start.elapsed();
                    permit
                }
            };
            let (slot, epoch) = self.pacing_slot();
            if let Some(slot) = slot {
                let start = Instant::now();
                let left = slot.saturating_duration_since(start);
                if paused + left > limit {
                    return Err(left);
                }
                tokio::time::sleep_until(slot).await;
                paused += start.elapsed();
            }
            if self.pause_left().is_none() {
                // The epoch is checked and the attempt stamped under one lock, so that a
                // refusal measured after it counts this attempt in its burst.
                let learned = self.learned();
                if learned.epoch == epoch {
                    return Ok(Admission {
                        _permit: permit,
                        paused,
                        queued,
                        sent: Instant::now(),
                    });
                }
            }
        }
    }

    /// The next pacing slot, taken, when the client is paced and it is still to come;
    /// and the refusals measured so far (a refusal before the slot comes makes it stale).
    fn pacing_slot(&self) -> (Option<Instant>, u64) {
        let now = Instant::now();
        let mut learned = self.learned();
        let alone = self.in_flight.available_permits() + 1 >= learned.granted;
        let spacing = learned.pacing.map_or(Duration::ZERO, |p| {
            Duration::from_secs_f64((2.0 / p.rate(now)).min(120.0))
        });
        let idle = learned
            .last_answer
            .is_some_and(|last| now.saturating_duration_since(last) > IDLE.max(spacing));
        if alone && idle {
            learned.since = Some(now);
            learned.accepted = 0;
        }
        learned.since.get_or_insert(now);
        let epoch = learned.epoch;
        let Some(pacing) = learned.pacing.as_mut() else {
            return (None, epoch);
        };
        let slot = pacing.next.max(now);
        let spacing = Duration::from_secs_f64((1.0 / pacing.rate(slot)).min(60.0));
        pacing.next = slot + spacing;
        ((slot > now).then_some(slot), epoch)
    }

    /// An answer that was not a refusal, to the attempt `admission` let go: it counts
    /// toward the measured rate (when the attempt was sent after the measurement began),
    /// and a round of them grows the attempts in flight by one place, up to the bound.
    pub(crate) fn accepted(&self, admission: &Admission<'_>) {
        let mut learned = self.learned();
        learned.last_answer = Some(Instant::now());
        // An answer to an attempt sent before the measurement began (in flight at a
        // refusal) tells nothing of the time measured.
        match learned.since {
            Some(since) if admission.sent < since => {
                if let Some(pacing) = learned.pacing.as_mut()
                    && let Some((start, answers, period)) = pacing.closed.as_mut()
                    && admission.sent >= *start
                {
                    *answers += 1;
                    pacing.measured = *answers as f64 / *period;
                }
            }
            _ => learned.accepted += 1,
        }
        learned.round += 1;
        if learned.round >= learned.granted && learned.granted < self.bound {
            learned.round = 0;
            learned.granted += 1;
            self.in_flight.add_permits(1);
        }
    }

    /// A refusal (`429`) of the attempt `admission` let go: every new attempt of the
    /// client waits `wait`; unless the attempt was sent before the last refusal's pause
    /// (part of the same burst), the rate the server took since the measurement began is
    /// measured, and the client is paced from there.
    pub(crate) fn refused(&self, admission: &Admission<'_>, wait: Duration) {
        self.pause(wait);
        let now = Instant::now();
        let mut learned = self.learned();
        learned.last_answer = Some(now);
        // A wait too long to add to a time is a pause, and measures nothing.
        let Some(resume) = now.checked_add(wait) else {
            return;
        };
        if learned
            .refused_at
            .is_some_and(|refused| admission.sent < refused)
        {
            tracing::trace!("refused in the burst of the last refusal");
            return;
        }
        let since = learned.since.unwrap_or(admission.sent);
        let period = (resume - since).as_secs_f64().max(1e-3);
        // A few answers say little (which of them fell in the time measured is a matter of
        // timing): they may halve the rate learnt before, or bring it to
        // one request per wait the server asked for (its next capacity), not lower.
        let answers = learned.accepted;
        let mut measured = (answers.max(1) as f64) / period;
        if answers < MIN_ANSWERS
            && let Some(before) = &learned.pacing
        {
            let per_wait = 1.0 / wait.as_secs_f64().max(1e-3);
            measured = measured.max((before.measured / 2.0).min(per_wait));
        }
        let closed = (answers >= MIN_ANSWERS).then_some((since, answers, period));
        if closed.is_some() {
            learned.since = Some(resume);
            learned.accepted = 0;
        }
        learned.pacing = Some(Pacing {
            measured,
            at: resume,
            next: resume,
            closed,
        });
        learned.refused_at = Some(now);
        learned.epoch += 1;
        tracing::debug!(
            accepted = answers,
            period_ms = period * 1e3,
            measured_per_second = measured,
            pacing_per_second = measured * BETA,
            "refused: pacing the client's attempts"
        );
    }

    /// Pause every new attempt for `delay` from now (a later pause already set stays).
    fn pause(&self, delay: Duration) {
        let until = self.origin.elapsed().saturating_add(delay);
        let nanos = u64::try_from(until.as_nanos()).unwrap_or(u64::MAX);
        self.paused_until.fetch_max(nanos, Ordering::AcqRel);
    }

    /// How long the pause still holds, if it does.
    fn pause_left(&self) -> Option<Duration> {
        let until = Duration::from_nanos(self.paused_until.load(Ordering::Acquire));
        until
            .checked_sub(self.origin.elapsed())
            .filter(|left| !left.is_zero())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Duration = Duration::from_secs(60);

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_every_new_attempt_until_it_passes() {
        let budget = Budget::new(4);
        let admitted = budget.admit(LIMIT).await.expect("no pause");
        assert_eq!(admitted.waited(), Duration::ZERO);
        budget.refused(&admitted, Duration::from_secs(2));
        budget.pause(Duration::from_secs(1)); // a shorter pause does not cut the longer
        drop(admitted);
        let admitted = budget.admit(LIMIT).await.expect("a pause within the limit");
        assert_eq!(admitted.paused, Duration::from_secs(2));
        assert_eq!(budget.pause_left(), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_longer_than_the_call_may_wait_is_said_at_once() {
        let budget = Budget::new(4);
        budget.pause(Duration::from_secs(400));
        let left = budget
            .admit(Duration::from_secs(300))
            .await
            .err()
            .expect("refused");
        assert_eq!(left, Duration::from_secs(400));
    }

    #[tokio::test(start_paused = true)]
    async fn at_most_the_granted_places_are_in_flight() {
        let budget = std::sync::Arc::new(Budget::new(1));
        let first = budget.admit(LIMIT).await.expect("admitted");
        let waiting = {
            let budget = std::sync::Arc::clone(&budget);
            tokio::spawn(async move { budget.admit(LIMIT).await.map(|a| a.queued) })
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            !waiting.is_finished(),
            "a second attempt waits for the first"
        );
        drop(first);
        let queued = waiting.await.expect("the task").expect("admitted");
        assert_eq!(queued, Duration::from_millis(300));
    }

    /// A new client has a few places; each round of accepted answers adds one, up to the
    /// bound.
    #[tokio::test(start_paused = true)]
    async fn the_places_in_flight_grow_with_accepted_answers_up_to_the_bound() {
        let budget = Budget::new(6);
        assert_eq!(budget.in_flight.available_permits(), INITIAL_IN_FLIGHT);
        let admitted = budget.admit(LIMIT).await.expect("admitted");
        for _ in 0..INITIAL_IN_FLIGHT {
            budget.accepted(&admitted);
        }
        drop(admitted);
        assert_eq!(budget.in_flight.available_permits(), INITIAL_IN_FLIGHT + 1);
        let admitted = budget.admit(LIMIT).await.expect("admitted");
        for _ in 0..100 {
            budget.accepted(&admitted);
        }
        drop(admitted);
        assert_eq!(budget.in_flight.available_permits(), 6);
    }

    /// A client never refused is never paced; a refusal measures the rate the server took
    /// (20 answers over the 1 s until the window reopens: 20 a second) and paces at 97 %
    /// of it; with nothing refused the pace is back at the measured rate after 10 s (the
    /// time 300 requests take at 20 a second, 15 s, bounded to 10 s) and past it after that.
    #[tokio::test(start_paused = true)]
    async fn a_refusal_paces_the_client_at_the_rate_the_server_took() {
        let budget = Budget::new(16);
        let first = budget.admit(LIMIT).await.expect("admitted");
        assert!(
            budget.pacing_slot().0.is_none(),
            "not paced before a refusal"
        );
        for _ in 0..20 {
            budget.accepted(&first);
        }
        tokio::time::advance(Duration::from_millis(200)).await;
        budget.refused(&first, Duration::from_millis(800));
        drop(first);
        let pacing = budget.learned().pacing.expect("paced");
        assert!((pacing.measured - 20.0).abs() < 1e-9, "{pacing:?}");
        let refused = Instant::now();
        // The curve starts when the pause ends.
        let start = refused + Duration::from_millis(800);
        assert!((pacing.rate(start) - 19.4).abs() < 1e-9);
        // Back at 20 after 10 s, 3 % past it as long again later.
        assert!((pacing.rate(start + Duration::from_secs(10)) - 20.0).abs() < 0.01);
        assert!((pacing.rate(start + Duration::from_secs(20)) - 20.6).abs() < 0.01);

        // The next attempts start at the end of the pause, then one every 1/19 s.
        let mut starts = Vec::new();
        for _ in 0..3 {
            let admitted = budget.admit(LIMIT).await.expect("admitted");
            starts.push(Instant::now() - start);
            budget.accepted(&admitted);
            drop(admitted);
        }
        let spacing = (starts[2] - starts[1]).as_secs_f64();
        assert_eq!(starts[0], Duration::ZERO);
        // (tokio's timer rounds a sleep up to the next millisecond.)
        assert!(
            (1.0 / 20.0..=1.0 / 19.4 + 0.001).contains(&spacing),
            "{starts:?}"
        );
    }

    /// A `Retry-After` too long to add to a time pauses the client and measures nothing;
    /// nothing panics.
    #[tokio::test(start_paused = true)]
    async fn a_huge_wait_pauses_without_measuring() {
        let budget = Budget::new(4);
        let admitted = budget.admit(LIMIT).await.expect("admitted");
        budget.refused(&admitted, Duration::MAX);
        drop(admitted);
        assert!(budget.learned().pacing.is_none());
        assert!(
            budget.admit(LIMIT).await.is_err(),
            "paused beyond the limit"
        );
    }

    /// A client idle for an hour measures the job that follows, not its lifetime: 20
    /// answers an hour ago and 20 in the second before a refusal measure 20 a second.
    #[tokio::test(start_paused = true)]
    async fn a_measurement_starts_again_after_the_client_was_idle() {
        let budget = Budget::new(1);
        for _ in 0..20 {
            let admitted = budget.admit(LIMIT).await.expect("admitted");
            budget.accepted(&admitted);
        }
        tokio::time::advance(Duration::from_secs(3600)).await;
        let mut last = None;
        for _ in 0..20 {
            drop(last.take()); // one place in flight: give it back first
            let admitted = budget.admit(LIMIT).await.expect("admitted");
            tokio::time::advance(Duration::from_millis(10)).await;
            budget.accepted(&admitted);
            last = Some(admitted);
        }
        let last = last.expect("admitted");
        tokio::time::advance(Duration::from_millis(800)).await;
        budget.refused(&last, Duration::from_millis(0));
        let measured = budget.learned().pacing.expect("paced").measured;
        assert!((measured - 20.0).abs() < 1e-9, "{measured}");
    }

    /// The refusals of attempts sent before the first of them measure nothing new.
    #[tokio::test(start_paused = true)]
    async fn a_burst_of_refusals_measures_once() {
        let budget = Budget::new(16);
        let early = budget.admit(LIMIT).await.expect("admitted");
        for _ in 0..10 {
            budget.accepted(&early);
        }
        tokio::time::advance(Duration::from_millis(500)).await;
        let late = budget.admit(LIMIT).await.expect("admitted");
        budget.refused(&late, Duration::from_millis(500));
        let measured = budget.learned().pacing.expect("paced").measured;
        budget.refused(&early, Duration::from_millis(500));
        assert_eq!(budget.learned().pacing.expect("paced").measured, measured);
    }
}
