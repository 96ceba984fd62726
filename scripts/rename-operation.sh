#!/usr/bin/env bash
# Shows what renaming an operation id in the spec does: in a copy of the repository,
# `create_or_get_online_meeting_for_user` becomes `create_or_get_meeting_for_user` in
# openapi/ only, and `cargo check` must fail with errors that name the old id (the
# wrapper's generated method and its `Operation` variant are gone), never build with
# the path check or the retries silently switched off.
#
# Usage: bash scripts/rename-operation.sh   (from anywhere; uses ./target for caching)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT

git ls-files -z | xargs -0 cp --parents -t "$copy"
old=create_or_get_online_meeting_for_user
new=create_or_get_meeting_for_user
sed -i "s/operationId: $old\$/operationId: $new/" "$copy/openapi/onlinemeetings.yaml"
grep -q "operationId: $new" "$copy/openapi/onlinemeetings.yaml"

log="$copy/check.log"
if (cd "$copy" && CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}/rename-check" \
    cargo check --offline --quiet --lib -p graph-online-meetings >"$log" 2>&1); then
    echo "rename-operation: the build passed after renaming $old; it must fail" >&2
    exit 1
fi
variant=CreateOrGetOnlineMeetingForUser
for expected in "no method named \`$old\`" "$variant"; do
    if ! grep -q "$expected" "$log"; then
        echo "rename-operation: the build failed, but not naming '$expected':" >&2
        cat "$log" >&2
        exit 1
    fi
done
echo "rename-operation: renaming $old fails the build, naming it:"
grep -E "^error" "$log" | sort | uniq
