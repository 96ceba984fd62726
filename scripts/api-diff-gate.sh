#!/usr/bin/env bash
# The API diff gate of a pull request: the typed diff of openapi/ between BASE (a git
# revision) and the working tree, as Markdown (appended to $GITHUB_STEP_SUMMARY when set,
# else printed), failing when the change needs a version bump that Cargo.toml lacks
# (unless the base's version is still unreleased in CHANGELOG.md).
#
# Usage: bash scripts/api-diff-gate.sh BASE      (e.g. origin/main)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: scripts/api-diff-gate.sh BASE}
spec=openapi/onlinemeetings.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

git show "$base:Cargo.toml" >"$tmp/Cargo.toml"
codegen() { cargo run -q --locked -p graph-online-meetings-codegen -- "$@"; }

# Exit 1 only means "breaking"; the gate below decides.
codegen diff "git:$base:$spec" "$spec" --format markdown --manifest "$tmp/Cargo.toml" \
    >"$tmp/summary.md" || [ $? -eq 1 ]
codegen diff "git:$base:$spec" "$spec" --format json --manifest "$tmp/Cargo.toml" \
    >"$tmp/diff.json" || [ $? -eq 1 ]
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$tmp/summary.md" >>"$GITHUB_STEP_SUMMARY"
fi
cat "$tmp/summary.md"

field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$tmp/diff.json" "$1"; }
needed=$(field next_version)
base_version=$(field version)
head_version=$(python3 -c 'import sys,tomllib; print(tomllib.load(open("Cargo.toml","rb"))["package"]["version"])')
# A version the base's CHANGELOG lists as unreleased has not shipped: its changes need no
# further bump.
if git show "$base:CHANGELOG.md" 2>/dev/null | grep -qx "## $base_version (unreleased)"; then
    echo "api-diff-gate: $base_version is unreleased (CHANGELOG.md); no bump needed before it ships"
    exit 0
fi
lowest=$(printf '%s\n%s\n' "$needed" "$head_version" | sort -V | head -n1)
if [ "$needed" != "$base_version" ] && [ "$lowest" != "$needed" ]; then
    echo "api-diff-gate: the spec change needs version $needed (from $base_version); Cargo.toml has $head_version" >&2
    exit 1
fi
echo "api-diff-gate: Cargo.toml's version $head_version is enough (needed: $needed)"
