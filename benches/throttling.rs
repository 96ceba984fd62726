//! A throttled bulk job: createOrGet calls (each its own `externalId`) from 64 tasks
//! against the in-process emulator's rate limit R. For each run: the wall time against
//! calls / R (the least time the limit allows) and the share of requests answered `429`.
//!
//! * six runs with the default client: 500 calls at 20/s, 2,000 at 100/s and 2,000 at
//!   500/s, each against a limit of fixed 1-s windows and against a token bucket; the
//!   worst time and the worst `429` share of the six;
//! * 2,000 calls at 500/s in fixed windows with the client's shared throttling on (the
//!   default) and off, rounds alternating, medians;
//! * 2,000 calls with no limit, sharing on against off: what the budget costs a job that
//!   is never throttled.
//!
//! Each run has a fresh emulator (its windows start clean). `benches/report.sh` reads the
//! ratio lines. Run with `cargo bench --bench throttling`; `BENCH_ROUNDS` changes the
//! rounds of the last two (default 3).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use graph_online_meetings::GraphClient;
use graph_online_meetings::types::CreateOrGetRequest;
use graph_online_meetings_emulator::{Emulator, RateLimit, TokenKind, fake_token};

const CALLS: usize = 2000;
const TASKS: usize = 64;

/// One run of `calls` calls: the wall time and the share of requests answered `429`.
async fn run(limit: Option<RateLimit>, shared: bool, calls: usize) -> (Duration, f64) {
    let mut builder = Emulator::builder();
    if let Some(limit) = limit {
        builder = builder.rate_limit(limit);
    }
    let emulator = builder.start("127.0.0.1:0").await.expect("the emulator");
    let client = GraphClient::builder()
        .base_url(emulator.base_url())
        .bearer_token(fake_token(
            "bench-tenant",
            "bench-app",
            TokenKind::Application,
        ))
        .shared_throttling(shared)
        .build()
        .expect("a client");
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..TASKS {
        let (client, next) = (client.clone(), Arc::clone(&next));
        tasks.spawn(async move {
            loop {
                let call = next.fetch_add(1, Ordering::Relaxed);
                if call >= calls {
                    return;
                }
                let request = CreateOrGetRequest::new(format!("term-session-{call}"));
                client
                    .user("bench-user")
                    .create_or_get(&request)
                    .await
                    .expect("every call succeeds");
            }
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.expect("a task");
    }
    let elapsed = start.elapsed();
    let stats = emulator.stats();
    let share = stats.rate_limited() as f64 / stats.total() as f64;
    emulator.shutdown().await.expect("stops");
    (elapsed, share)
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn max(samples: &[f64]) -> f64 {
    samples.iter().copied().fold(f64::MIN, f64::max)
}

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let second = Duration::from_secs(1);
    let (mut times, mut shares) = (Vec::new(), Vec::new());
    for (rate, calls) in [(20, 500), (100, CALLS), (500, CALLS)] {
        for limit in [
            RateLimit::fixed_window(rate, second).expect("a valid limit"),
            RateLimit::token_bucket(rate, second).expect("a valid limit"),
        ] {
            let least = calls as f64 / limit.per_second();
            let (elapsed, share) = run(Some(limit), true, calls).await;
            println!(
                "throttled bulk: {calls} calls at {limit} ({}), {:.2} s (least {least:.2} s), \
                 429 share {share:.4}",
                limit.kind(),
                elapsed.as_secs_f64()
            );
            times.push(elapsed.as_secs_f64() / least);
            shares.push(share);
        }
    }
    // Four places, so that a share just under the rail does not print as the rail.
    println!("throttled 429 share, worst of six: {:.4}", max(&shares));
    println!(
        "throttled bulk time vs limit, worst of six: {:.3}",
        max(&times)
    );

    let limit = RateLimit::new(500, second).expect("a valid limit");
    let least = CALLS as f64 / limit.per_second();
    let (mut on, mut off) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
    let mut unlimited = (Vec::new(), Vec::new());
    for round in 0..rounds {
        for shared in [round % 2 == 0, round % 2 != 0] {
            let (elapsed, share) = run(Some(limit), shared, CALLS).await;
            println!(
                "throttled bulk round {round}: sharing {}, {:.2} s for {CALLS} calls at {limit} \
                 (least {least:.2} s), 429 share {share:.3}",
                if shared { "on" } else { "off" },
                elapsed.as_secs_f64()
            );
            let side = if shared { &mut on } else { &mut off };
            side.0.push(elapsed.as_secs_f64() / least);
            side.1.push(share);
            let (elapsed, _) = run(None, shared, CALLS).await;
            let side = if shared {
                &mut unlimited.0
            } else {
                &mut unlimited.1
            };
            side.push(elapsed.as_secs_f64());
        }
    }
    println!("throttled bulk time vs limit: {:.3}", median(on.0));
    println!("429 share of requests: {:.3}", median(on.1));
    println!(
        "throttled bulk time vs limit (sharing off): {:.3}",
        median(off.0)
    );
    println!("429 share of requests (sharing off): {:.3}", median(off.1));
    let (with_budget, without) = (median(unlimited.0), median(unlimited.1));
    println!("unthrottled bulk: {CALLS} calls, sharing on {with_budget:.3} s, off {without:.3} s");
    println!(
        "unthrottled bulk time, sharing on vs off: {:.3}",
        with_budget / without
    );
}
