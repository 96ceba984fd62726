//! Pages and content, each against what a user would write by hand with `reqwest`, on the
//! in-process emulator on 127.0.0.1, in the same run and interleaved (which side goes
//! first swaps every pair), so that the machine's noise hits both alike:
//!
//! * paging: the 1,000 attendance records of a report over 100 pages (the emulator's
//!   default page size, 10), `GraphClient`'s `records().items()` stream against a
//!   hand-written loop that follows `@odata.nextLink` and decodes each page into a plain
//!   serde struct; the ratio is `GraphClient`'s median time per walk over the
//!   hand-written one's (lower is faster);
//! * content: a recording's bytes, `GraphClient`'s `Content::into_stream` against
//!   reqwest's own `bytes_stream`, both only counting; the ratio is `GraphClient`'s
//!   median throughput over reqwest's (higher is faster, 1.00 the same).
//!
//! `benches/report.sh` reads the two `ratio` lines. Run with
//! `cargo bench --bench artifacts`; `BENCH_ROUNDS` changes the number of pairs (default 15).

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use futures_util::StreamExt;
use graph_online_meetings::GraphClient;
use graph_online_meetings::types::CreateOrGetRequest;
use graph_online_meetings_emulator::{Attendee, Emulator, MeetingEnd, TokenKind, fake_token};
use serde::Deserialize;

const RECORDS: usize = 1000;
const RECORDING_BYTES: u64 = 256 << 20;

/// A page as a hand-written client decodes it.
#[derive(Deserialize)]
struct PlainPage {
    value: Vec<PlainRecord>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

#[allow(dead_code, reason = "decoded to be dropped: the fields are what costs")]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainRecord {
    id: Option<String>,
    email_address: Option<String>,
    role: Option<String>,
    total_attendance_in_seconds: Option<i64>,
    identity: Option<PlainIdentity>,
    #[serde(default)]
    attendance_intervals: Vec<PlainInterval>,
}

#[allow(dead_code, reason = "decoded to be dropped")]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainIdentity {
    id: Option<String>,
    display_name: Option<String>,
}

#[allow(dead_code, reason = "decoded to be dropped")]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainInterval {
    join_date_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    leave_date_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    duration_in_seconds: Option<i64>,
}

struct Bench {
    graph: GraphClient,
    http: reqwest::Client,
    token: String,
    meeting: String,
    report: String,
    recording: String,
    records_url: String,
    content_url: String,
}

impl Bench {
    async fn graph_walk(&self) -> usize {
        let mut pages = self
            .graph
            .me()
            .meeting(&self.meeting)
            .attendance_report(&self.report)
            .records();
        let mut items = pages.items();
        let mut count = 0;
        while let Some(record) = items.next().await {
            std::hint::black_box(record.expect("a record"));
            count += 1;
        }
        count
    }

    async fn hand_walk(&self) -> usize {
        let mut url = Some(self.records_url.clone());
        let mut count = 0;
        while let Some(next) = url {
            let response = self
                .http
                .get(&next)
                .bearer_auth(&self.token)
                .send()
                .await
                .expect("answered");
            assert!(response.status().is_success());
            let bytes = response.bytes().await.expect("a body");
            let page: PlainPage = serde_json::from_slice(&bytes).expect("a page");
            count += page.value.len();
            std::hint::black_box(page.value);
            url = page.next_link;
        }
        count
    }

    async fn graph_download(&self) -> u64 {
        let content = self
            .graph
            .me()
            .meeting(&self.meeting)
            .recording(&self.recording)
            .content()
            .await
            .expect("the recording");
        let mut stream = std::pin::pin!(content.into_inner().into_stream());
        let mut bytes = 0;
        while let Some(chunk) = stream.next().await {
            bytes += chunk.expect("a chunk").len() as u64;
        }
        bytes
    }

    async fn hand_download(&self) -> u64 {
        let response = self
            .http
            .get(&self.content_url)
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("answered");
        assert!(response.status().is_success());
        let mut stream = response.bytes_stream();
        let mut bytes = 0;
        while let Some(chunk) = stream.next().await {
            bytes += chunk.expect("a chunk").len() as u64;
        }
        bytes
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() {
    let pairs: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15)
        .max(1);
    let emulator = Emulator::start("127.0.0.1:0").await.expect("the emulator");
    let (tenant, user) = ("bench-tenant", "bench-user");
    let token = fake_token(tenant, user, TokenKind::Delegated);
    let graph = GraphClient::builder()
        .base_url(emulator.base_url())
        .bearer_token(token.clone())
        .build()
        .expect("a client");
    let meeting = graph
        .me()
        .create_or_get(&CreateOrGetRequest::new("bench-artifacts"))
        .await
        .expect("createOrGet")
        .into_meeting()
        .id
        .expect("an id");
    let start = Utc
        .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
        .single()
        .expect("a time");
    let attendees = (0..RECORDS).map(|n| {
        Attendee::new(format!("Attendee {n}"), format!("a{n}@contoso.com"))
            .interval(start, start + chrono::Duration::minutes(30))
    });
    let ended = emulator
        .end_meeting(
            tenant,
            user,
            &meeting,
            &MeetingEnd::new(attendees).recording_bytes(RECORDING_BYTES),
        )
        .expect("the meeting ends");
    let base = format!("/v1.0/me/onlineMeetings/{meeting}");
    let bench = Bench {
        graph,
        http: reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("reqwest"),
        records_url: emulator.url(&format!(
            "{base}/attendanceReports/{}/attendanceRecords",
            ended.attendance_report_id
        )),
        content_url: emulator.url(&format!("{base}/recordings/{}/content", ended.recording_id)),
        token,
        meeting,
        report: ended.attendance_report_id,
        recording: ended.recording_id,
    };

    // Warm up both sides (connections, allocator).
    for _ in 0..3 {
        assert_eq!(bench.graph_walk().await, RECORDS);
        assert_eq!(bench.hand_walk().await, RECORDS);
    }
    let (mut graph_walks, mut hand_walks) = (Vec::new(), Vec::new());
    for pair in 0..pairs {
        for graph_side in [pair % 2 == 0, pair % 2 != 0] {
            let start = Instant::now();
            if graph_side {
                assert_eq!(bench.graph_walk().await, RECORDS);
                graph_walks.push(start.elapsed());
            } else {
                assert_eq!(bench.hand_walk().await, RECORDS);
                hand_walks.push(start.elapsed());
            }
        }
    }
    let (g, h) = (median(graph_walks), median(hand_walks));
    println!(
        "paging: GraphClient {:.2} ms per walk, hand-written nextLink loop {:.2} ms per walk \
         ({RECORDS} records over {} pages)",
        g.as_secs_f64() * 1e3,
        h.as_secs_f64() * 1e3,
        RECORDS / graph_online_meetings_emulator::DEFAULT_PAGE_SIZE
    );
    println!(
        "paging ratio vs hand-written (median time per walk): {:.3}",
        g.as_secs_f64() / h.as_secs_f64()
    );

    let rounds = pairs.div_ceil(2);
    assert_eq!(bench.graph_download().await, RECORDING_BYTES);
    assert_eq!(bench.hand_download().await, RECORDING_BYTES);
    let (mut graph_downloads, mut hand_downloads) = (Vec::new(), Vec::new());
    for pair in 0..rounds {
        for graph_side in [pair % 2 == 0, pair % 2 != 0] {
            let start = Instant::now();
            if graph_side {
                assert_eq!(bench.graph_download().await, RECORDING_BYTES);
                graph_downloads.push(start.elapsed());
            } else {
                assert_eq!(bench.hand_download().await, RECORDING_BYTES);
                hand_downloads.push(start.elapsed());
            }
        }
    }
    let (g, h) = (median(graph_downloads), median(hand_downloads));
    let mib_per_s = |d: Duration| (RECORDING_BYTES >> 20) as f64 / d.as_secs_f64();
    println!(
        "content: GraphClient {:.0} MiB/s, reqwest bytes_stream {:.0} MiB/s ({} MiB recording)",
        mib_per_s(g),
        mib_per_s(h),
        RECORDING_BYTES >> 20
    );
    println!(
        "content throughput ratio vs reqwest (median, GraphClient over reqwest): {:.3}",
        h.as_secs_f64() / g.as_secs_f64()
    );
    emulator.shutdown().await.expect("stops");
}
