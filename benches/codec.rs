//! Decoding and encoding one full onlineMeeting response (the v1.0 "Get onlineMeeting"
//! example 1, `tests/fixtures/`) into the generated lossless model, against
//! `serde_json::Value` and a plain derive struct of the same shape (no unknown-property
//! bookkeeping), in bytes per second. `benches/report.sh` reads the medians and prints
//! the ratios against `Value`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use graph_online_meetings::types::OnlineMeeting;
use serde_json::Value;
use std::hint::black_box;

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

criterion_group!(benches, codec);
criterion_main!(benches);
