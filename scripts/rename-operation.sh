#!/usr/bin/env bash
# Shows what renaming an operation in the spec does: in a copy of the repository, the
# createOrGet pair `create_or_get_online_meeting` / `…_for_user` becomes
# `create_or_get_meeting` / `…_for_user` in openapi/ only, and `cargo check` must fail
# where the client calls it (the generated `call_…` method is gone), never build
# with a call silently changed. Renaming only one of the pair is refused earlier, by the
# spec check (the `/users/{userId}` twin must be named after the `/me` operation).
#
# Usage: bash scripts/rename-operation.sh   (from anywhere; uses ./target for caching)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT

git ls-files -z | xargs -0 cp --parents -t "$copy"
old=create_or_get_online_meeting
new=create_or_get_meeting
sed -i -e "s/operationId: $old\$/operationId: $new/" \
    -e "s/operationId: ${old}_for_user\$/operationId: ${new}_for_user/" \
    "$copy/openapi/onlinemeetings.yaml"
grep -q "operationId: ${new}_for_user" "$copy/openapi/onlinemeetings.yaml"

log="$copy/check.log"
if (cd "$copy" && CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}/rename-check" \
    cargo check --offline --quiet --lib -p graph-online-meetings >"$log" 2>&1); then
    echo "rename-operation: the build passed after renaming $old; it must fail" >&2
    exit 1
fi
for expected in "no method named \`call_${old}\`"; do
    if ! grep -q "$expected" "$log"; then
        echo "rename-operation: the build failed, but not naming '$expected':" >&2
        cat "$log" >&2
        exit 1
    fi
done
echo "rename-operation: renaming $old fails the build, naming it:"
grep -E "^error" "$log" | sort | uniq
