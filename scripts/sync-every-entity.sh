#!/usr/bin/env bash
# The loop on all of Graph: `meetings-codegen sync` with every entity type of a CSDL
# metadata file as a root (in a copy of the spec, `x-graph-sync-roots` replaced), then
# `meetings-codegen generate`, then rustfmt parses the generated file. Prints the number
# of schemas and the time each step took. Not built or compiled: the point is that sync
# and the generator take every shape Graph has, with no panic and no error.
#
# Usage: bash scripts/sync-every-entity.sh [METADATA]   (default: the bundled 2026-08-04 file)
set -euo pipefail
cd "$(dirname "$0")/.."
metadata=${1:-codegen/tests/metadata/graph-v1.0-metadata-2026-08-04.xml.gz}
target="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --quiet --locked -p graph-online-meetings-codegen
codegen="$target/debug/meetings-codegen"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
spec="$work/every-entity.yaml"
python3 - "$metadata" openapi/onlinemeetings.yaml "$spec" <<'PY'
import gzip, re, sys
from xml.etree import ElementTree
metadata, source, out = sys.argv[1:]
raw = gzip.open(metadata).read() if metadata.endswith(".gz") else open(metadata, "rb").read()
edm = "{http://docs.oasis-open.org/odata/ns/edm}"
roots = []
for schema in ElementTree.fromstring(raw).iter(edm + "Schema"):
    namespace = schema.get("Namespace")
    if namespace == "microsoft.graph" or namespace.startswith("microsoft.graph."):
        roots += [f"{namespace}.{node.get('Name')}" for node in schema.findall(edm + "EntityType")]
text = open(source).read()
block = re.search(r"^x-graph-sync-roots:\n(?:- .*\n)+", text, re.M)
if not block:
    sys.exit(f"{source}: no x-graph-sync-roots list")
listed = "x-graph-sync-roots:\n" + "".join(f"- {root}\n" for root in sorted(roots))
open(out, "w").write(text[: block.start()] + listed + text[block.end():])
print(f"every-entity: {len(roots)} entity types as roots", file=sys.stderr)
PY

start=$(date +%s.%N)
"$codegen" sync --metadata "$metadata" --spec "$spec" >"$work/sync.log"
synced=$(date +%s.%N)
head -n 2 "$work/sync.log" | cut -c1-300
"$codegen" generate "$spec" --out "$work/every-entity.rs"
generated=$(date +%s.%N)
rustfmt --edition 2024 --emit stdout "$work/every-entity.rs" >/dev/null
schemas=$(grep -c "^      x-graph-type: " "$spec" || true)
python3 - "$start" "$synced" "$generated" "$schemas" "$work/every-entity.rs" <<'PY'
import os, sys
start, synced, generated = map(float, sys.argv[1:4])
print(f"every-entity: {sys.argv[4]} schemas synced in {synced - start:.1f} s; "
      f"generated in {generated - synced:.1f} s ({os.path.getsize(sys.argv[5]) / 1e6:.1f} MB of Rust, parsed by rustfmt)")
PY
