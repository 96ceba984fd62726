//! `GraphClient` against the call a user would write by hand (plain `reqwest` with the
//! same headers and body, decoding into a plain serde derive struct), both calling
//! createOrGet on the in-process emulator on 127.0.0.1, in the same run and interleaved
//! call by call, so that the machine's noise hits both alike. Sequential, then 64
//! concurrent tasks. Prints medians per call and their ratio (`benches/report.sh` reads
//! the `ratio` lines).
//!
//! Run with `cargo bench --bench client_overhead`; `BENCH_ROUNDS` changes the number of
//! rounds (default 7).

use std::time::{Duration, Instant};

use graph_online_meetings::GraphClient;
use graph_online_meetings::types::CreateOrGetRequest;
use graph_online_meetings_emulator::{Emulator, TokenKind, fake_token};
use serde::Serialize;

#[path = "plain/mod.rs"]
mod plain;
use plain::PlainMeeting;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PlainRequest<'a> {
    external_id: &'a str,
    subject: &'a str,
}

/// The hand-written call.
struct HandWritten {
    http: reqwest::Client,
    url: String,
    token: String,
}

impl HandWritten {
    async fn create_or_get(&self) -> PlainMeeting {
        let body = serde_json::to_vec(&PlainRequest {
            external_id: "bench-1",
            subject: "Benchmark",
        })
        .expect("serializes");
        let response = self
            .http
            .post(&self.url)
            .bearer_auth(&self.token)
            .header("client-request-id", uuid::Uuid::new_v4().to_string())
            .header("user-agent", "hand-written/1")
            .header("prefer", "include-unknown-enum-members")
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("answered");
        assert!(response.status().is_success());
        let bytes = response.bytes().await.expect("a body");
        serde_json::from_slice(&bytes).expect("a meeting")
    }
}

async fn graph_call(client: &GraphClient, request: &CreateOrGetRequest) {
    let outcome = client.create_or_get(request).await.expect("createOrGet");
    std::hint::black_box(outcome);
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes `--bench`; this harness has no options of its own.
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let emulator = Emulator::start("127.0.0.1:0").await.expect("the emulator");
    let token = fake_token("bench-tenant", "bench-user", TokenKind::Delegated);
    let graph = GraphClient::builder()
        .base_url(emulator.base_url())
        .bearer_token(token.clone())
        .build()
        .expect("a client");
    let hand = HandWritten {
        http: reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("reqwest"),
        url: emulator.url("/v1.0/me/onlineMeetings/createOrGet"),
        token,
    };
    let request = CreateOrGetRequest::new("bench-1").with_subject("Benchmark");

    // Warm up both (connections, the meeting exists: every later call is a 200).
    for _ in 0..200 {
        graph_call(&graph, &request).await;
        hand.create_or_get().await;
    }

    // Sequential, interleaved call by call.
    let calls = 500;
    let (mut graph_times, mut hand_times) = (Vec::new(), Vec::new());
    for _ in 0..rounds * calls {
        let start = Instant::now();
        graph_call(&graph, &request).await;
        graph_times.push(start.elapsed());
        let start = Instant::now();
        std::hint::black_box(hand.create_or_get().await);
        hand_times.push(start.elapsed());
    }
    let (g, h) = (median(graph_times), median(hand_times));
    println!(
        "client sequential: GraphClient {:.1} us/call, hand-written {:.1} us/call, ratio {:.3}",
        micros(g),
        micros(h),
        g.as_secs_f64() / h.as_secs_f64()
    );
    let sequential = g.as_secs_f64() / h.as_secs_f64();

    // 64 concurrent tasks, rounds alternating between the two.
    let (tasks, per_task) = (64, 40);
    let (mut graph_rounds, mut hand_rounds) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let start = Instant::now();
        let mut handles = Vec::new();
        for _ in 0..tasks {
            let (graph, request) = (graph.clone(), request.clone());
            handles.push(tokio::spawn(async move {
                for _ in 0..per_task {
                    graph_call(&graph, &request).await;
                }
            }));
        }
        for handle in handles {
            handle.await.expect("a task");
        }
        graph_rounds.push(start.elapsed() / (tasks * per_task));

        let start = Instant::now();
        let hand = std::sync::Arc::new(HandWritten {
            http: hand.http.clone(),
            url: hand.url.clone(),
            token: hand.token.clone(),
        });
        let mut handles = Vec::new();
        for _ in 0..tasks {
            let hand = std::sync::Arc::clone(&hand);
            handles.push(tokio::spawn(async move {
                for _ in 0..per_task {
                    std::hint::black_box(hand.create_or_get().await);
                }
            }));
        }
        for handle in handles {
            handle.await.expect("a task");
        }
        hand_rounds.push(start.elapsed() / (tasks * per_task));
    }
    let (g, h) = (median(graph_rounds), median(hand_rounds));
    println!(
        "client 64 concurrent: GraphClient {:.1} us/call, hand-written {:.1} us/call, ratio {:.3}",
        micros(g),
        micros(h),
        g.as_secs_f64() / h.as_secs_f64()
    );
    println!("client overhead ratio (sequential, median per call): {sequential:.3}");
    emulator.shutdown().await.expect("stops");
}
