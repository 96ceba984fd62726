#!/usr/bin/env bash
# Runs the "When Graph changes" commands exactly as the docs write them (the block between
# the maintainer-loop markers, in README.md or docs/*.md, wherever it is), with METADATA from the environment, then
# checks that the spec is in sync with that metadata (sync changed nothing).
#
# Usage: METADATA=codegen/tests/metadata/graph-v1.0-metadata-2026-08-04.xml.gz \
#            bash scripts/maintainer-loop.sh
# Needs cargo-insta on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${METADATA:?set METADATA to a CSDL file}"

file=$(grep -l "<!-- maintainer-loop:start -->" README.md docs/*.md 2>/dev/null | head -n 1)
[ -n "$file" ] || { echo "maintainer-loop: no file has the maintainer-loop markers" >&2; exit 1; }
block=$(awk '/<!-- maintainer-loop:start -->/{on=1; next} /<!-- maintainer-loop:end -->/{on=0} on' "$file" \
    | sed -e '/^```/d' -e '/^METADATA=/d')
[ -n "$block" ] || { echo "maintainer-loop: no block between the markers in $file" >&2; exit 1; }
printf 'maintainer-loop: running\n%s\n' "$block"
export METADATA
bash -euo pipefail -c "$block"
git diff --exit-code -- openapi/ tests/ \
    || { echo "maintainer-loop: the spec is not in sync with $METADATA" >&2; exit 1; }
echo "maintainer-loop: every command ran; the spec is in sync with $METADATA"
