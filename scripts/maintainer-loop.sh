#!/usr/bin/env bash
# Runs the README's "When Graph changes" commands, exactly as the README writes them (the
# block between the maintainer-loop markers), with METADATA from the environment, then
# checks that the spec is in sync with that metadata (sync changed nothing).
#
# Usage: METADATA=codegen/tests/metadata/graph-v1.0-metadata-2026-08-04.xml.gz \
#            bash scripts/maintainer-loop.sh
# Needs cargo-insta on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${METADATA:?set METADATA to a CSDL file}"

block=$(awk '/<!-- maintainer-loop:start -->/{on=1; next} /<!-- maintainer-loop:end -->/{on=0} on' README.md \
    | sed -e '/^```/d' -e '/^METADATA=/d')
[ -n "$block" ] || { echo "maintainer-loop: no block between the markers in README.md" >&2; exit 1; }
printf 'maintainer-loop: running\n%s\n' "$block"
export METADATA
bash -euo pipefail -c "$block"
git diff --exit-code -- openapi/ tests/ \
    || { echo "maintainer-loop: the spec is not in sync with $METADATA" >&2; exit 1; }
echo "maintainer-loop: every command ran; the spec is in sync with $METADATA"
