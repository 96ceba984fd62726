//! `GraphClient` against the call a user would write by hand (plain `reqwest` with the
//! same headers and body, decoding into a plain serde derive struct), both calling
//! createOrGet on the in-process emulator on 127.0.0.1, in the same run and interleaved
//! call by call, so that the machine's noise hits both alike. Sequential, then 64
//! concurrent tasks. Prints medians per call and their ratio (`benches/report.sh` reads
//! the `ratio` lines). The headline pair is measured in three blocks spread over the run,
//! and its ratio is the middle one of the three.
//!
//! The sequential ratio is then split into a chain of steps, each measured the same way
//! against the step before it: the hand-written call with the client's default timeouts
//! (what reqwest's timer costs), the same decoding into the lossless
//! `types::OnlineMeeting` (what the model costs), the generated (progenitor) client on its
//! own (what the generated layer and the hooks cost), and `GraphClient` (what its call
//! loop costs). Each step is a pair of its own: in one run interleaving all five, a side's
//! time depended on which side ran before it.
//!
//! One more pair is a reference for the choice of baseline: `GraphClient` against the
//! hand-written call with the same timeouts decoding into a plain struct that names every
//! property of the emulator's answer ([`full::FullMeeting`]) instead of the handful the
//! plain baseline keeps.
//!
//! Run with `cargo bench --bench client_overhead`; `BENCH_ROUNDS` changes the number of
//! rounds (default 7).

use std::time::{Duration, Instant};

use graph_online_meetings::GraphClient;
use graph_online_meetings::types::{CreateOrGetRequest, OnlineMeeting};
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
    /// The time limit of the whole call, as `GraphClient` sets on each JSON request.
    timeout: Option<Duration>,
}

impl HandWritten {
    /// The call, decoding into `T` (the plain derive struct, or `types::OnlineMeeting` to
    /// show what the lossless model costs on its own).
    async fn create_or_get<T: serde::de::DeserializeOwned>(&self) -> T {
        let body = serde_json::to_vec(&PlainRequest {
            external_id: "bench-1",
            subject: "Benchmark",
        })
        .expect("serializes");
        let mut request = self.http.post(&self.url);
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        let response = request
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
    let outcome = client
        .me()
        .create_or_get(request)
        .await
        .expect("createOrGet");
    std::hint::black_box(outcome);
}

/// A plain serde struct for every property of the emulator's createOrGet answer (the
/// reference side): what the hand-written call decodes if it keeps everything it is sent,
/// undocumented properties included, without being lossless.
#[allow(dead_code, reason = "decoded to be dropped: the fields are what costs")]
mod full {
    use chrono::{DateTime, FixedOffset};
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct FullMeeting {
        #[serde(rename = "@odata.context")]
        pub odata_context: Option<String>,
        #[serde(rename = "@odata.type")]
        pub odata_type: Option<String>,
        pub id: Option<String>,
        pub creation_date_time: Option<DateTime<FixedOffset>>,
        pub start_date_time: Option<DateTime<FixedOffset>>,
        pub end_date_time: Option<DateTime<FixedOffset>>,
        pub join_web_url: Option<String>,
        pub subject: Option<String>,
        pub is_broadcast: Option<bool>,
        pub is_entry_exit_announced: Option<bool>,
        pub allowed_presenters: Option<String>,
        pub allow_meeting_chat: Option<String>,
        pub allow_teamwork_reactions: Option<bool>,
        pub allow_attendee_to_enable_camera: Option<bool>,
        pub allow_attendee_to_enable_mic: Option<bool>,
        pub record_automatically: Option<bool>,
        pub video_teleconference_id: Option<String>,
        pub external_id: Option<String>,
        pub participants: Option<Participants>,
        pub lobby_bypass_settings: Option<Lobby>,
        pub join_meeting_id_settings: Option<JoinId>,
        pub audio_conferencing: Option<Audio>,
        pub chat_info: Option<Chat>,
        pub join_information: Option<Body>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Participants {
        pub organizer: Option<Participant>,
        #[serde(default)]
        pub attendees: Vec<Participant>,
        #[serde(default)]
        pub producers: Vec<Participant>,
        #[serde(default)]
        pub contributors: Vec<Participant>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Participant {
        pub upn: Option<String>,
        pub role: Option<String>,
        pub identity: Option<IdentitySet>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct IdentitySet {
        pub application: Option<Identity>,
        pub device: Option<Identity>,
        pub user: Option<Identity>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Identity {
        pub id: Option<String>,
        pub display_name: Option<String>,
        pub tenant_id: Option<String>,
        pub identity_provider: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Lobby {
        pub scope: Option<String>,
        pub is_dial_in_bypass_enabled: Option<bool>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct JoinId {
        pub is_passcode_required: Option<bool>,
        pub join_meeting_id: Option<String>,
        pub passcode: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Audio {
        pub conference_id: Option<String>,
        pub toll_number: Option<String>,
        pub toll_free_number: Option<String>,
        #[serde(default)]
        pub toll_numbers: Vec<String>,
        #[serde(default)]
        pub toll_free_numbers: Vec<String>,
        pub dialin_url: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Chat {
        pub thread_id: Option<String>,
        pub message_id: Option<String>,
        pub reply_chain_message_id: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Body {
        pub content: Option<String>,
        pub content_type: Option<String>,
    }
}

/// The sides of the sequential run.
#[derive(Clone, Copy)]
enum Side {
    Graph,
    Hand,
    HandTimeouts,
    HandTimeoutsTyped,
    HandTimeoutsFull,
    Raw,
    /// The hand-written call on a second, identical client (the A/A check).
    Twin,
}

/// What the sides call with.
struct Bench {
    graph: GraphClient,
    hand: HandWritten,
    timed: HandWritten,
    twin: HandWritten,
    request: CreateOrGetRequest,
}

impl Bench {
    async fn call(&self, side: Side) {
        match side {
            Side::Graph => graph_call(&self.graph, &self.request).await,
            Side::Hand => {
                std::hint::black_box(self.hand.create_or_get::<PlainMeeting>().await);
            }
            Side::Twin => {
                std::hint::black_box(self.twin.create_or_get::<PlainMeeting>().await);
            }
            Side::HandTimeouts => {
                std::hint::black_box(self.timed.create_or_get::<PlainMeeting>().await);
            }
            Side::HandTimeoutsTyped => {
                std::hint::black_box(self.timed.create_or_get::<OnlineMeeting>().await);
            }
            Side::HandTimeoutsFull => {
                std::hint::black_box(self.timed.create_or_get::<full::FullMeeting>().await);
            }
            Side::Raw => {
                let raw = self
                    .graph
                    .raw()
                    .create_or_get_online_meeting(&self.request)
                    .await;
                std::hint::black_box(raw.expect("createOrGet"));
            }
        }
    }

    /// The median time per call of `a` and of `b`, interleaved call by call. A call's
    /// time depends on its place (the runtime finishes the previous call's connection
    /// work during the next call), so which side goes first swaps every pair.
    async fn pair(&self, a: Side, b: Side, pairs: usize) -> (Duration, Duration) {
        let (mut a_times, mut b_times) = (Vec::with_capacity(pairs), Vec::with_capacity(pairs));
        for pair in 0..pairs {
            for first in [pair % 2 == 0, pair % 2 != 0] {
                let (side, times) = if first {
                    (a, &mut a_times)
                } else {
                    (b, &mut b_times)
                };
                let start = Instant::now();
                self.call(side).await;
                times.push(start.elapsed());
            }
        }
        (median(a_times), median(b_times))
    }
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
        timeout: None,
    };
    // The client's defaults for a JSON call (`GraphClientBuilder::timeout`, set on each
    // request, and `connect_timeout`).
    let timed = HandWritten {
        http: reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .expect("reqwest"),
        url: hand.url.clone(),
        token: hand.token.clone(),
        timeout: Some(Duration::from_secs(30)),
    };
    // The same as `hand` on a second client: how far from 1.000 the method reads when
    // nothing differs.
    let twin = HandWritten {
        http: reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("reqwest"),
        url: hand.url.clone(),
        token: hand.token.clone(),
        timeout: None,
    };
    let bench = Bench {
        graph,
        hand,
        timed,
        twin,
        request: CreateOrGetRequest::new("bench-1").with_subject("Benchmark"),
    };

    // Warm up every side (connections, the meeting exists: every later call is a 200).
    for _ in 0..200 {
        for side in [Side::Graph, Side::Hand, Side::HandTimeouts, Side::Twin] {
            bench.call(side).await;
        }
    }

    let pairs = rounds * 500;
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    // The headline pair is measured in three blocks spread over the run (here, after the
    // breakdown, after the reference pairs); its ratio is the median of the three, so that
    // a few seconds of disturbance on this shared machine move one block, not the figure.
    let mut sequential = Vec::with_capacity(3);
    let headline = async |block: usize, sequential: &mut Vec<f64>| {
        let (g, h) = bench.pair(Side::Graph, Side::Hand, pairs).await;
        println!(
            "client sequential (block {block} of 3): GraphClient {:.1} us/call, hand-written \
             {:.1} us/call, ratio {:.3}",
            micros(g),
            micros(h),
            ratio(g, h)
        );
        sequential.push(ratio(g, h));
    };
    headline(1, &mut sequential).await;
    for (what, step, before, against) in [
        (
            "hand-written with the client's timeouts",
            Side::HandTimeouts,
            Side::Hand,
            "hand-written",
        ),
        (
            "the same into types::OnlineMeeting",
            Side::HandTimeoutsTyped,
            Side::HandTimeouts,
            "hand-written with the timeouts",
        ),
        (
            "generated client alone",
            Side::Raw,
            Side::HandTimeoutsTyped,
            "hand-written with the timeouts into types::OnlineMeeting",
        ),
        (
            "GraphClient",
            Side::Graph,
            Side::Raw,
            "the generated client alone",
        ),
    ] {
        let (s, b) = bench.pair(step, before, pairs).await;
        println!(
            "client breakdown: {what} {:.1} us/call, ratio {:.3} to {against} ({:.1} us/call)",
            micros(s),
            ratio(s, b),
            micros(b)
        );
    }
    headline(2, &mut sequential).await;
    let (g, f) = bench.pair(Side::Graph, Side::HandTimeoutsFull, pairs).await;
    println!(
        "client reference: GraphClient {:.1} us/call, hand-written with the timeouts into a plain \
         struct naming every property of the answer {:.1} us/call, ratio {:.3}",
        micros(g),
        micros(f),
        ratio(g, f)
    );
    let (a, b) = bench.pair(Side::Hand, Side::Twin, pairs).await;
    println!(
        "client A/A: hand-written {:.1} us/call, the same on a second client {:.1} us/call, ratio {:.3}",
        micros(a),
        micros(b),
        ratio(a, b)
    );
    headline(3, &mut sequential).await;
    sequential.sort_by(f64::total_cmp);
    let sequential = sequential[1];
    let Bench {
        graph,
        hand,
        request,
        ..
    } = bench;

    // 64 concurrent tasks, rounds alternating between the two, which goes first swapped
    // every round.
    let (tasks, per_task) = (64, 40);
    let (mut graph_rounds, mut hand_rounds) = (Vec::new(), Vec::new());
    let hand = std::sync::Arc::new(hand);
    for round in 0..rounds * 2 {
        for side in [round % 2, 1 - round % 2] {
            let start = Instant::now();
            let mut handles = Vec::new();
            for _ in 0..tasks {
                let (graph, request, hand) =
                    (graph.clone(), request.clone(), std::sync::Arc::clone(&hand));
                handles.push(tokio::spawn(async move {
                    for _ in 0..per_task {
                        if side == 0 {
                            graph_call(&graph, &request).await;
                        } else {
                            std::hint::black_box(hand.create_or_get::<PlainMeeting>().await);
                        }
                    }
                }));
            }
            for handle in handles {
                handle.await.expect("a task");
            }
            let per_call = start.elapsed() / (tasks * per_task);
            if side == 0 {
                graph_rounds.push(per_call);
            } else {
                hand_rounds.push(per_call);
            }
        }
    }
    let (g, h) = (median(graph_rounds), median(hand_rounds));
    println!(
        "client 64 concurrent: GraphClient {:.1} us/call, hand-written {:.1} us/call, ratio {:.3}",
        micros(g),
        micros(h),
        g.as_secs_f64() / h.as_secs_f64()
    );
    println!(
        "client overhead ratio (sequential, median per call, the middle of the three blocks): \
         {sequential:.3}"
    );
    emulator.shutdown().await.expect("stops");
}
