#!/usr/bin/env bash
# The bad-spec corpus (codegen/tests/specs/) promises that each spec either fails with an
# error naming the file and the place, or generates code that compiles. The errors are
# checked by codegen/tests/errors.rs; this script checks the second half: for every YAML
# spec in the corpus that generates, its component schemas are appended to a copy of the
# repository's own spec, and the client crate must then build (`cargo check --lib`) with
# the extra models in it: Rust keywords as schema, property and enum member names
# (`type`, `self`, `match`, `crate`, ...) included.
#
# Then the other half through build.rs: with a reference in our spec broken, the build
# fails with a `cargo::error` line that names the file and the JSON
# pointer, and with no panic or backtrace.
#
# Only the schemas are taken: the client crate's hand-written code names its own
# operations, and the corpus's operations are covered by the codegen tests. A spec with a
# round-trip test in codegen/tests/corpus/ (`wide_schema.yaml`: 300 properties) also runs
# that test in the copy, so its models are shown to read and write JSON losslessly.
#
# Usage: bash scripts/corpus-compiles.sh   (from anywhere; uses ./target for caching)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target="${CARGO_TARGET_DIR:-$root/target}"

cargo build --offline --quiet --locked -p graph-online-meetings-codegen
codegen="$target/debug/meetings-codegen"

# The lines of `components/schemas` of a spec whose last section it is, without the
# `  schemas:` line itself; fails if anything at a shallower indent follows it.
schemas_block() {
    awk '
        found && /^ {0,3}[^ ]/ { bad = 1 }
        found { print }
        /^  schemas:$/ { found = 1 }
        END { if (!found || bad) exit 1 }
    ' "$1"
}

if ! schemas_block openapi/onlinemeetings.yaml >/dev/null; then
    echo "corpus-compiles: openapi/onlinemeetings.yaml no longer ends with components/schemas" >&2
    exit 1
fi

checked=0
for spec in codegen/tests/specs/*.yaml; do
    if ! "$codegen" generate "$spec" >/dev/null 2>&1; then
        continue # an error: codegen/tests/errors.rs checks what it says
    fi
    if ! block=$(schemas_block "$spec"); then
        echo "corpus-compiles: $spec generates but does not end with components/schemas" >&2
        exit 1
    fi
    copy=$(mktemp -d)
    git ls-files -z | xargs -0 cp --parents -t "$copy"
    printf '%s\n' "$block" >>"$copy/openapi/onlinemeetings.yaml"
    log="$copy/check.log"
    if ! (cd "$copy" && CARGO_TARGET_DIR="$target/rename-check" \
        cargo check --offline --quiet --locked --lib -p graph-online-meetings >"$log" 2>&1); then
        echo "corpus-compiles: $spec generates, but the client crate does not build with its schemas:" >&2
        cat "$log" >&2
        rm -rf "$copy"
        exit 1
    fi
    name=$(basename "$spec" .yaml)
    round_trip="codegen/tests/corpus/${name}_round_trip.rs"
    if [ -f "$round_trip" ]; then
        cp "$round_trip" "$copy/tests/"
        # The main target: its dependencies are built already; the copy's own crates get
        # artifacts of their own (cargo hashes a package's path into them).
        if ! (cd "$copy" && CARGO_TARGET_DIR="$target" \
            cargo test --offline --quiet --locked -p graph-online-meetings \
            --test "${name}_round_trip" >"$log" 2>&1); then
            echo "corpus-compiles: $spec compiles, but its round trip fails:" >&2
            cat "$log" >&2
            rm -rf "$copy"
            exit 1
        fi
        echo "corpus-compiles: $spec round-trips (${name}_round_trip)"
    fi
    rm -rf "$copy"
    echo "corpus-compiles: $spec generates code that compiles"
    checked=$((checked + 1))
done
if [ "$checked" -eq 0 ]; then
    echo "corpus-compiles: no spec of the corpus generated; expected at least small.yaml" >&2
    exit 1
fi
echo "corpus-compiles: $checked generating spec(s) of the corpus compile"

# Graph's shapes beyond meetings: a copy of our spec with roots from elsewhere in Graph
# (an event with its attachments expanded and attachment's derived types, a message, a
# drive item, a user, a group, a chat message, and types that use every Edm primitive)
# and an event operation with no handle, synced from the bundled metadata; the client
# crate must build with it, and a Graph-shaped JSON of each root round-trips
# (codegen/tests/corpus/graph_roots_round_trip.rs).
copy=$(mktemp -d)
git ls-files -z | xargs -0 cp --parents -t "$copy"
python3 - "$copy/openapi/onlinemeetings.yaml" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
graph = "microsoft.graph."
roots = ["event", "message", "driveItem", "user", "group", "chatMessage", "rgbColor",
         "timeRange", "accessPackageApprovalStage", "driftedProperty", "applicationRiskScore",
         "bookingsAvailabilityWindow", "callRecords.pstnCallLogRow"]
def after(marker, lines):
    global text
    if text.count(marker) != 1:
        sys.exit(f"{path}: `{marker.strip()}` is not there once")
    text = text.replace(marker, marker + "".join(lines), 1)
after("x-graph-sync-roots:\n", [f"- {graph}{root}\n" for root in roots])
after("x-graph-sync-expand:\n", [f"- {graph}event/attachments\n"])
text = text.replace("\npaths:\n", f"\nx-graph-sync-derived:\n- {graph}attachment\npaths:\n", 1)
after("\npaths:\n", ["""  "/me/events/{eventId}":
    get:
      operationId: get_event
      x-idempotent: true
      x-permissions:
        delegated: [Calendars.Read]
        application: [Calendars.Read]
      parameters:
      - name: eventId
        in: path
        required: true
        schema:
          type: string
      - name: Prefer
        in: header
        required: false
        description: outlook.timezone="…" to have the times in that time zone.
        schema:
          type: string
      responses:
        "200":
          description: The event.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/event"
        4XX:
          $ref: "#/components/responses/clientError"
"""])
open(path, "w").write(text)
PY
metadata=codegen/tests/metadata/graph-v1.0-metadata-2026-08-04.xml.gz
"$codegen" sync --metadata "$metadata" --spec "$copy/openapi/onlinemeetings.yaml" >"$copy/sync.log"
head -n 2 "$copy/sync.log" | cut -c1-300
cp codegen/tests/corpus/graph_roots_round_trip.rs "$copy/tests/"
log="$copy/check.log"
if ! (cd "$copy" && CARGO_TARGET_DIR="$target" \
    cargo test --offline --quiet --locked -p graph-online-meetings \
    --test graph_roots_round_trip >"$log" 2>&1); then
    echo "corpus-compiles: Graph's roots do not build or round-trip in the client crate:" >&2
    cat "$log" >&2
    rm -rf "$copy"
    exit 1
fi
# An operation in the spec without a handle (get_event) builds cleanly: no warning.
if grep -q "^warning" "$log"; then
    echo "corpus-compiles: Graph's roots build with warnings:" >&2
    cat "$log" >&2
    rm -rf "$copy"
    exit 1
fi
rm -rf "$copy"
echo "corpus-compiles: Graph's roots (event with its derived attachments, message, driveItem, user, group, chatMessage, every Edm primitive) build without a warning and round-trip; get_event, in the spec without a handle, too"

# A broken reference, as a hand edit could leave it.
broken="a \$ref to a schema that is not there"
expected="openapi/onlinemeetings.yaml: at /components/schemas/onlineMeeting/properties/chatInfo/allOf/0/\$ref: \`\$ref: #/components/schemas/chatInf\` points at nothing"
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
git ls-files -z | xargs -0 cp --parents -t "$copy"
sed -i '0,/"#\/components\/schemas\/chatInfo"/s//"#\/components\/schemas\/chatInf"/' "$copy/openapi/onlinemeetings.yaml"
log="$copy/check.log"
if (cd "$copy" && CARGO_TARGET_DIR="$target/rename-check" \
    cargo check --offline --quiet --locked --lib -p graph-online-meetings >"$log" 2>&1); then
    echo "corpus-compiles: the build passed with $broken as the spec; it must fail" >&2
    exit 1
fi
# cargo shows a `cargo::error` line as `error: <package>@<version>: <message>`.
if ! grep -q "^error: graph-online-meetings@[^:]*: $expected" "$log" ||
    grep -qE "panicked|stack backtrace" "$log"; then
    echo "corpus-compiles: with $broken, build.rs did not print one clean cargo::error:" >&2
    cat "$log" >&2
    exit 1
fi
echo "corpus-compiles: with $broken as the spec, build.rs says:"
grep "^error: graph-online-meetings@" "$log"
