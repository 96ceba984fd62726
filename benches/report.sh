#!/usr/bin/env bash
# Builds the benchmarks in release, runs them, and prints one line per figure, ending
# with the three ratios the README's Performance table quotes:
#
#   client overhead ratio: X.XX     GraphClient / hand-written call, median per call
#   decode ratio vs Value: X.XX     typed model / serde_json::Value, median decode time
#   encode ratio vs Value: X.XX     typed model / serde_json::Value, median encode time
#   paging ratio vs hand-written: X.XX        1,000 records over 100 pages, GraphClient's
#                                             time per walk / a hand-written reqwest nextLink loop's
#   content throughput ratio vs reqwest: X.XX a recording's bytes, GraphClient's throughput /
#                                             reqwest's own bytes_stream's (1.00 the same)
#   throttled bulk time vs limit: X.XX        2,000 createOrGet from 64 tasks against the
#   429 share of requests: X.XX               emulator's rate limit R: wall time / (2,000 / R),
#                                             and 429s / requests; then the same two with
#                                             "(sharing off)": the client's shared throttling off
#   throttled 429 share, worst of six: X.XXXX the same, default client, at 20/s (500 calls),
#   throttled bulk time vs limit, worst of six  100/s and 500/s, fixed windows and token buckets
#   unthrottled bulk time, sharing on vs off  2,000 calls and no limit: the budget's cost
#
# Every ratio is measured against its baseline in the same run, the sides interleaved
# (criterion's per-function medians, measured one after the other, give the absolute
# times and bytes per second). Usage:
#   bash benches/report.sh            (about seven minutes on two cores, after the build)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
log=$(mktemp)
codec_log=$(mktemp)
artifacts_log=$(mktemp)
throttling_log=$(mktemp)
trap 'rm -f "$log" "$codec_log" "$artifacts_log" "$throttling_log"' EXIT

echo "building the benchmarks (release)…" >&2
cargo bench --locked --workspace --no-run >&2

cargo bench --locked --bench codec -- --warm-up-time 1 --measurement-time 4 >"$codec_log"
cargo bench --locked -p graph-online-meetings-codegen --bench generate -- --warm-up-time 1 --measurement-time 5 >/dev/null
cargo bench --locked --bench client_overhead >"$log"
cargo bench --locked --bench artifacts >"$artifacts_log"
cargo bench --locked --bench throttling >"$throttling_log"

python3 - "$target" "$codec_log" <<'PY'
import json, os, sys
target = sys.argv[1]
def median_ns(*parts):
    path = os.path.join(target, "criterion", *parts, "new", "estimates.json")
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"]
size = os.path.getsize("tests/fixtures/docs-v1-onlinemeeting-get__example1__response.json")
interleaved = {}
with open(sys.argv[2]) as f:
    for line in f:
        if line.startswith("codec ratio "):
            key, value = line[len("codec ratio "):].split(":")
            interleaved[tuple(key.split())] = float(value)
ratios = {}
for op in ("decode", "encode"):
    for kind in ("value", "typed", "plain"):
        ns = median_ns(op, kind)
        ratio = 1.0 if kind == "value" else interleaved[(op, kind)]
        print(f"{op} {kind:<5}: {ns/1000:8.2f} us, {size/ns*1e3:8.1f} MB/s ({ratio:.2f}x Value, interleaved)")
    ratios[op] = interleaved[(op, "typed")]
for bench in ("our_spec", "synthetic/10ops_5schemas", "synthetic/100ops_5schemas",
              "synthetic/1000ops_5schemas", "synthetic/10ops_1000schemas"):
    ns = median_ns("generate", *bench.split("/"))
    print(f"codegen {bench}: {ns/1e6:.1f} ms")
with open(os.path.join(target, "bench-ratios.json"), "w") as f:
    json.dump(ratios, f)
PY
grep -E '^client ' "$log" | grep -v 'overhead ratio'
grep -E '^(paging|content): ' "$artifacts_log"
grep -E '^(throttled bulk round|throttled bulk: |unthrottled bulk: )' "$throttling_log"
client=$(sed -n 's/^client overhead ratio (sequential, median per call[^:]*): //p' "$log")
python3 - "$target" "$client" <<'PY'
import json, os, sys
ratios = json.load(open(os.path.join(sys.argv[1], "bench-ratios.json")))
print(f"client overhead ratio: {float(sys.argv[2]):.2f}")
print(f"decode ratio vs Value: {ratios['decode']:.2f}")
print(f"encode ratio vs Value: {ratios['encode']:.2f}")
PY
paging=$(sed -n 's/^paging ratio vs hand-written ([^)]*): //p' "$artifacts_log")
content=$(sed -n 's/^content throughput ratio vs reqwest ([^)]*): //p' "$artifacts_log")
printf 'paging ratio vs hand-written: %.2f\n' "$paging"
printf 'content throughput ratio vs reqwest: %.2f\n' "$content"
# As the bench prints them: the worst 429 share to four places, the rest to three.
grep -E '^(throttled bulk time vs limit|429 share of requests|throttled 429 share|unthrottled bulk time)' "$throttling_log"
