//! What every test binary of the client crate shares (`client`, `e2e`, `spans`): included
//! by each as `mod common`. The sample identities are the emulator's
//! (`graph_online_meetings_emulator::sample`), shared with its own tests.

use std::time::Duration;

use graph_online_meetings::RetryPolicy;

/// A retry policy that keeps the tests fast: the default number of attempts, small
/// backoffs when the server sends no `Retry-After`, and a small cap on the total delay.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
        .with_max_total_delay(Duration::from_secs(5))
}
