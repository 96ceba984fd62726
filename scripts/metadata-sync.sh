#!/usr/bin/env bash
# The weekly metadata sync (.github/workflows/metadata-sync.yml) without its fetch and push
# steps: syncs openapi/ from a CSDL metadata file, regenerates the snapshots of the
# generated code, and when the spec changed commits both on a branch and writes the
# pull-request body (the typed diff: breaking / additive / docs and the version bump).
#
# Usage: bash scripts/metadata-sync.sh METADATA [BRANCH]
#   METADATA  Microsoft's cleanMetadata.xml (or .xml.gz)
#   BRANCH    the branch to commit on (default sync/graph-metadata), made from HEAD
# Prints `changed=true|false`, `branch=…` and `body=…` (the body's path), and appends
# them to $GITHUB_OUTPUT when it is set. Runs in the repository it is in; the working
# tree must be clean.
set -euo pipefail
metadata=$(realpath "${1:?usage: scripts/metadata-sync.sh METADATA [BRANCH]}")
cd "$(dirname "$0")/.."
branch=${2:-sync/graph-metadata}
spec=openapi/onlinemeetings.yaml
snapshots=tests/models/snapshots
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The body outlives the script only where SYNC_BODY puts it.
body=${SYNC_BODY:-$scratch/pull-request.md}

output() {
    echo "$1"
    if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >>"$GITHUB_OUTPUT"; fi
}

if [ -n "$(git status --porcelain)" ]; then
    echo "metadata-sync: the working tree is not clean; commit or stash first" >&2
    exit 1
fi
base=$(git rev-parse HEAD)
# CODEGEN: a built meetings-codegen to run instead of building it here.
codegen() {
    if [ -n "${CODEGEN:-}" ]; then "$CODEGEN" "$@"; else
        cargo run -q --locked -p graph-online-meetings-codegen -- "$@"; fi
}

report="$scratch/sync-report.txt"
codegen sync --metadata "$metadata" | tee "$report"
if git diff --quiet -- openapi/; then
    output "changed=false"
    echo "metadata-sync: $spec already agrees with $(basename "$metadata")"
    exit 0
fi

# The snapshots of the generated code as the new spec makes them (one for a schema the
# metadata dropped deleted): the reviewer reads their diff in the pull request.
codegen snapshots --snapshots "$snapshots"

{
    echo "Microsoft's Graph v1.0 metadata changed: \`meetings-codegen sync\` rewrote the"
    echo "spec's schemas from \`$(basename "$metadata")\`. Review the snapshots' diff"
    echo "(the generated Rust) in this pull request's files, bump the version if the diff says so,"
    echo "and merge."
    echo
    # Exit 1 only means "breaking"; the body says so.
    codegen diff "git:$base:$spec" "$spec" --format markdown --manifest Cargo.toml || [ $? -eq 1 ]
    echo
    echo "<details><summary>What sync wrote and left out</summary>"
    echo
    echo '```text'
    cat "$report"
    echo '```'
    echo
    echo "</details>"
} >"$body"

git checkout -q -B "$branch"
git add -A -- openapi/ "$snapshots"
git -c user.name="${GIT_AUTHOR_NAME:-graph metadata sync}" \
    -c user.email="${GIT_AUTHOR_EMAIL:-metadata-sync@users.noreply.github.com}" \
    commit -q -m "Sync the spec's schemas with Microsoft's Graph v1.0 metadata

meetings-codegen sync from $(basename "$metadata"); the snapshots of the generated code
are regenerated so that the pull request shows what changes for users."
output "changed=true"
output "branch=$branch"
output "body=$body"
