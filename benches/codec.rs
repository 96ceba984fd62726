//! Decoding and encoding one full onlineMeeting response (the v1.0 "Get onlineMeeting"
//! example 1, `tests/fixtures/`) into the generated lossless model, against
//! `serde_json::Value` and a plain derive struct of the same shape (no unknown-property
//! bookkeeping), in bytes per second (criterion, one function after the other).
//!
//! The ratios against `Value` that `benches/report.sh` quotes come from a second pass
//! that interleaves the three sides batch by batch, rotating their order, so that a
//! change in the machine's state during the run (another process, the allocator's heap
//! after the decode benchmarks) hits all three alike; criterion's sequential medians
//! moved the encode ratio between 1.2 and 2.1 from run to run on the CI machine.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use graph_online_meetings::types::OnlineMeeting;
use serde_json::Value;
use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "plain/mod.rs"]
mod plain;
use plain::PlainMeeting;

const BODY: &str =
    include_str!("../tests/fixtures/docs-v1-onlinemeeting-get__example1__response.json");

fn codec(c: &mut Criterion) {
    let bytes = BODY.as_bytes();
    let mut decode = c.benchmark_group("decode");
    decode.throughput(Throughput::Bytes(bytes.len() as u64));
    decode.bench_function(BenchmarkId::from_parameter("value"), |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(bytes)).expect("JSON"))
    });
    decode.bench_function(BenchmarkId::from_parameter("typed"), |b| {
        b.iter(|| serde_json::from_slice::<OnlineMeeting>(black_box(bytes)).expect("a meeting"))
    });
    decode.bench_function(BenchmarkId::from_parameter("plain"), |b| {
        b.iter(|| serde_json::from_slice::<PlainMeeting>(black_box(bytes)).expect("a meeting"))
    });
    decode.finish();

    let value: Value = serde_json::from_slice(bytes).expect("JSON");
    let typed: OnlineMeeting = serde_json::from_slice(bytes).expect("a meeting");
    let plain: PlainMeeting = serde_json::from_slice(bytes).expect("a meeting");
    let mut encode = c.benchmark_group("encode");
    encode.throughput(Throughput::Bytes(bytes.len() as u64));
    encode.bench_function(BenchmarkId::from_parameter("value"), |b| {
        b.iter(|| serde_json::to_vec(black_box(&value)).expect("encodes"))
    });
    encode.bench_function(BenchmarkId::from_parameter("typed"), |b| {
        b.iter(|| serde_json::to_vec(black_box(&typed)).expect("encodes"))
    });
    encode.bench_function(BenchmarkId::from_parameter("plain"), |b| {
        b.iter(|| serde_json::to_vec(black_box(&plain)).expect("encodes"))
    });
    encode.finish();
}

/// Rounds of the interleaved pass, and calls per side in each round's batch.
const ROUNDS: usize = 300;
const BATCH: usize = 100;

/// The median time per call of each of `sides`, measured interleaved: every round runs a
/// batch of each, in an order that rotates every round.
fn interleaved<const N: usize>(sides: [&mut dyn FnMut(); N]) -> [Duration; N] {
    let mut times: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::with_capacity(ROUNDS));
    for round in 0..ROUNDS {
        for k in 0..N {
            let side = (round + k) % N;
            let start = Instant::now();
            for _ in 0..BATCH {
                (sides[side])();
            }
            times[side].push(start.elapsed() / BATCH as u32);
        }
    }
    times.map(|mut t| {
        t.sort_unstable();
        t[t.len() / 2]
    })
}

/// Prints `codec ratio <op> <side>: X.XXX` for the typed model and the plain struct
/// against `Value`, decode and encode.
fn ratios() {
    let bytes = BODY.as_bytes();
    let decode = interleaved([
        &mut || drop(black_box(serde_json::from_slice::<Value>(black_box(bytes)))),
        &mut || {
            drop(black_box(serde_json::from_slice::<OnlineMeeting>(
                black_box(bytes),
            )))
        },
        &mut || {
            drop(black_box(serde_json::from_slice::<PlainMeeting>(
                black_box(bytes),
            )))
        },
    ]);
    let value: Value = serde_json::from_slice(bytes).expect("JSON");
    let typed: OnlineMeeting = serde_json::from_slice(bytes).expect("a meeting");
    let plain: PlainMeeting = serde_json::from_slice(bytes).expect("a meeting");
    let encode = interleaved([
        &mut || drop(black_box(serde_json::to_vec(black_box(&value)))),
        &mut || drop(black_box(serde_json::to_vec(black_box(&typed)))),
        &mut || drop(black_box(serde_json::to_vec(black_box(&plain)))),
    ]);
    for (op, [value, typed, plain]) in [("decode", decode), ("encode", encode)] {
        let ratio = |d: Duration| d.as_secs_f64() / value.as_secs_f64();
        println!(
            "codec interleaved {op}: Value {:.2} us, typed {:.2} us, plain {:.2} us",
            value.as_secs_f64() * 1e6,
            typed.as_secs_f64() * 1e6,
            plain.as_secs_f64() * 1e6
        );
        println!("codec ratio {op} typed: {:.3}", ratio(typed));
        println!("codec ratio {op} plain: {:.3}", ratio(plain));
    }
}

criterion_group!(benches, codec);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // Only under `cargo bench` (which passes `--bench`), not when a test run builds and
    // smoke-runs the benchmarks.
    if std::env::args().any(|arg| arg == "--bench") {
        ratios();
    }
}
