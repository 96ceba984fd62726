//! Throttling as one budget: a bulk job of createOrGet calls from many tasks against the
//! emulator's rate limit, in fixed windows and as a token bucket, finishes with every
//! call done and few `429`s, because the client's calls share the pause after a `429`,
//! the rate it learns from them and a bound on the calls in flight. The wall time against
//! the limit is measured by `benches/throttling.rs`, not here.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use graph_online_meetings::GraphClient;
use graph_online_meetings::types::CreateOrGetRequest;
use graph_online_meetings_emulator::{Emulator, RateLimit, Route, TokenKind, fake_token};

use crate::support::*;

/// 2,000 createOrGet calls (each its own `externalId`, for one user) from 64 tasks
/// against a limit of 400 requests per 2 s, counted in fixed windows and, in a second
/// run, as a token bucket: no call fails, each makes its meeting, the limit was reached,
/// and `429` answers are under 5 % of the requests.
///
/// Why under 5 %: the first `429` comes when the attempts in flight (a new client's few,
/// growing with its answers) fill the limit, and only those are refused; from then on the
/// client paces its attempts at the rate it measured, so that it meets the limit again
/// only when it probes for more. The limit asks for 200 requests a second, which a debug
/// build on two cores sustains with room to spare.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_job_under_the_rate_limit_loses_no_call_and_meets_few_429s() {
    let window = RateLimit::fixed_window(400, Duration::from_secs(2)).expect("a valid limit");
    let bucket = RateLimit::token_bucket(400, Duration::from_secs(2)).expect("a valid limit");
    for limit in [window, bucket] {
        bulk_job(limit).await;
    }
}

async fn bulk_job(limit: RateLimit) {
    const CALLS: usize = 2000;
    const TASKS: usize = 64;
    let emulator = Emulator::builder()
        .rate_limit(limit)
        .start("127.0.0.1:0")
        .await
        .expect("the emulator starts");
    let client = GraphClient::builder()
        .base_url(emulator.base_url())
        .bearer_token(fake_token(TENANT, APP, TokenKind::Application))
        .build()
        .expect("a client");
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..TASKS {
        let (client, next) = (client.clone(), Arc::clone(&next));
        tasks.spawn(async move {
            let mut failed = Vec::new();
            loop {
                let call = next.fetch_add(1, Ordering::Relaxed);
                if call >= CALLS {
                    return failed;
                }
                let request = CreateOrGetRequest::new(format!("term-session-{call}"));
                if let Err(err) = client.user(USER).create_or_get(&request).await {
                    failed.push(err.to_string());
                }
            }
        });
    }
    let mut failed = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        failed.extend(joined.expect("the task did not panic"));
    }
    let stats = emulator.stats();
    let (requests, throttled) = (stats.total(), stats.rate_limited());
    println!(
        "{CALLS} calls from {TASKS} tasks at {limit} ({}): {requests} requests, {throttled} \
         answered 429",
        limit.kind()
    );
    assert!(
        failed.is_empty(),
        "{} calls failed: {:?}",
        failed.len(),
        &failed[..failed.len().min(5)]
    );
    assert_eq!(emulator.meeting_count(), CALLS);
    assert_eq!(stats.count(Route::CreateOrGetUser), requests);
    assert!(throttled > 0, "the job reached the limit");
    assert!(
        throttled * 20 < requests,
        "{}: 429s: {throttled} of {requests} requests",
        limit.kind()
    );
    stop(emulator).await;
}
