#!/usr/bin/env bash
# Tries the weekly metadata sync (scripts/metadata-sync.sh, the workflow without its fetch
# and push) in a copy of the repository, on the older bundled metadata: it must commit on
# a branch a spec and snapshots that differ from the base, and write a pull-request body
# with the typed diff.
#
# Usage: bash scripts/metadata-sync-try.sh   (from anywhere)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
metadata="$root/codegen/tests/metadata/graph-v1.0-metadata-2023-03-02.xml.gz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
copy="$work/repo"
mkdir "$copy"

# The tool is built here once; nothing is built in the copy (a copy built in the same
# target directory would pass for this tree's build).
cargo build -q --locked -p graph-online-meetings-codegen --bin meetings-codegen
export CODEGEN="${CARGO_TARGET_DIR:-$root/target}/debug/meetings-codegen"

git ls-files -z | xargs -0 cp --parents -t "$copy"
cd "$copy"
git init -q -b main
git add -A
git -c user.name=try -c user.email=try@example.invalid commit -q -m base
GITHUB_OUTPUT= SYNC_BODY="$work/pull-request.md" bash scripts/metadata-sync.sh "$metadata" sync/graph-metadata \
    >"$work/sync.log"
cat "$work/sync.log"

fail() { echo "metadata-sync-try: $*" >&2; exit 1; }
grep -qx "changed=true" "$work/sync.log" || fail "the sync reported no change"
[ "$(git rev-parse --abbrev-ref HEAD)" = sync/graph-metadata ] || fail "not on the branch"
changed=$(git diff --name-only main sync/graph-metadata)
grep -qx "openapi/onlinemeetings.yaml" <<<"$changed" || fail "the branch leaves the spec as it was"
grep -q "^tests/models/snapshots/models__generated_code__" <<<"$changed" \
    || fail "the branch changes no snapshot"
[ -z "$(git status --porcelain)" ] || fail "the sync left files uncommitted"
grep -q "^## API changes" "$work/pull-request.md" && grep -q "^| \*\*breaking\*\* |" "$work/pull-request.md" \
    || fail "the body has no typed diff"
echo "metadata-sync-try: branch sync/graph-metadata changes $(wc -l <<<"$changed") files:"
git diff --stat main sync/graph-metadata | tail -n 1
echo "metadata-sync-try: the pull-request body begins:"
head -n 20 "$work/pull-request.md"
