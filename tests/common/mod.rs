//! What every test binary of the client crate shares (`client`, `e2e`, `spans`): included
//! by each as `mod common`. The sample identities are the emulator's
//! (`graph_online_meetings_emulator::sample`), shared with its own tests.

use std::time::Duration;

use graph_online_meetings::RetryPolicy;

/// A retry policy that keeps the tests fast: the default number of attempts, small
/// backoffs when the server sends no `Retry-After`, and small caps on the total delay and
/// on the waits after `429`s.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
        .with_max_total_delay(Duration::from_secs(5))
        .with_max_throttled_delay(Duration::from_secs(5))
}

/// The peak resident memory of this process so far, in bytes (Linux's `VmHWM`), for the
/// memory bounds: it covers a whole download, not just its end.
#[allow(dead_code, reason = "the spans binary measures no memory")]
pub fn peak_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// A file of `tests/fixtures/notifications` (test-only keys and certificates).
#[allow(dead_code, reason = "the spans binary reads no notification fixture")]
pub fn notification_fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/notifications/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// The certificate `{name}-cert.pem` of `tests/fixtures/notifications` as a subscription's
/// `encryptionCertificate`: base64 DER.
#[allow(dead_code, reason = "the spans binary reads no notification fixture")]
pub fn certificate_base64(name: &str) -> String {
    notification_fixture(&format!("{name}-cert.pem"))
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect()
}
