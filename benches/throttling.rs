//! A throttled bulk job: 2,000 createOrGet calls (each its own `externalId`) from 64
//! tasks against the in-process emulator's rate limit R, with the client's shared
//! throttling on (the default) and, beside it, off. For each: the wall time against
//! 2,000 / R (the least time the limit allows) and the share of requests answered `429`.
//! Rounds alternate on and off, each against a fresh emulator (its windows start clean);
//! the figures are the medians. `benches/report.sh` reads the four ratio lines. Run with
//! `cargo bench --bench throttling`; `BENCH_ROUNDS` changes the rounds (default 3).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use graph_online_meetings::GraphClient;
use graph_online_meetings::types::CreateOrGetRequest;
use graph_online_meetings_emulator::{Emulator, RateLimit, TokenKind, fake_token};

const CALLS: usize = 2000;
const TASKS: usize = 64;

/// One run: the wall time and the share of requests answered `429`.
async fn run(limit: RateLimit, shared: bool) -> (Duration, f64) {
    let emulator = Emulator::builder()
        .rate_limit(limit)
        .start("127.0.0.1:0")
        .await
        .expect("the emulator");
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
                if call >= CALLS {
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

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let limit = RateLimit::new(500, Duration::from_secs(1)).expect("a valid limit");
    let least = CALLS as f64 / limit.per_second();
    let (mut on, mut off) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
    for round in 0..rounds {
        for shared in [round % 2 == 0, round % 2 != 0] {
            let (elapsed, share) = run(limit, shared).await;
            println!(
                "throttled bulk round {round}: sharing {}, {:.2} s for {CALLS} calls at {limit} \
                 (least {least:.2} s), 429 share {share:.3}",
                if shared { "on" } else { "off" },
                elapsed.as_secs_f64()
            );
            let side = if shared { &mut on } else { &mut off };
            side.0.push(elapsed.as_secs_f64() / least);
            side.1.push(share);
        }
    }
    println!("throttled bulk time vs limit: {:.3}", median(on.0));
    println!("429 share of requests: {:.3}", median(on.1));
    println!(
        "throttled bulk time vs limit (sharing off): {:.3}",
        median(off.0)
    );
    println!("429 share of requests (sharing off): {:.3}", median(off.1));
}
