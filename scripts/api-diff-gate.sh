#!/usr/bin/env bash
# The API gate of a pull request, two judges of one change against BASE (a git revision):
#
# - the spec: the typed diff of openapi/ (`meetings-codegen diff`), what Graph's shapes
#   change for users;
# - the Rust API: `cargo-semver-checks` on the three published libraries (the client with
#   every feature that adds API, the emulator, and the codegen the client's build depends
#   on), what a user's build sees, generated or hand-written.
#
# Both reports go to $GITHUB_STEP_SUMMARY when it is set (else they are printed); the gate
# fails when either needs a version bump that Cargo.toml lacks, unless the base's version
# is still unreleased in CHANGELOG.md (nothing shipped can break). Needs cargo-semver-checks
# on PATH. docs/maintainers.md says which judge is right where they disagree.
#
# Usage: bash scripts/api-diff-gate.sh BASE      (e.g. origin/main)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
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

# The Rust API: each published library's rustdoc JSON at BASE and in the working tree,
# compared by cargo-semver-checks. Both sides are built from fresh copies in one target
# directory (target/semver: the dependencies built once, apart, as rustdoc JSON needs
# RUSTC_BOOTSTRAP): cargo judges a member's build by its files' times, relative to the
# package, so a copy newer than every build there is always rebuilt, whichever tree was
# built before. TLS is through ring: the TLS features change no API, and ring builds
# faster than aws-lc-rs (which the receiver, feature notifications, needs all the same).
semver_target=${CARGO_TARGET_DIR:-$root/target}/semver
copy_base() { # DIR
    mkdir -p "$1"
    git archive "$base" | tar -x -m -C "$1"
}
copy_head() { # DIR
    mkdir -p "$1"
    git ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done \
        | xargs -0 cp --parents -t "$1"
}
rustdoc_json() { # SIDE PACKAGE FEATURES OUT
    rm -rf "$tmp/tree"
    "copy_$1" "$tmp/tree"
    # The features this side declares: a feature new at HEAD is left out of BASE's build
    # (what it adds is then an addition, as it is for users).
    local features
    features=$(python3 - "$tmp/tree" "$2" "$3" <<'PY'
import sys, tomllib
tree, package, wanted = sys.argv[1:]
dirs = {"graph-online-meetings": ".", "graph-online-meetings-emulator": "emulator",
        "graph-online-meetings-codegen": "codegen"}
declared = tomllib.load(open(f"{tree}/{dirs[package]}/Cargo.toml", "rb")).get("features", {})
print(",".join(f for f in wanted.split(",") if f in declared))
PY
)
    (cd "$tmp/tree" && RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$semver_target" \
        cargo rustdoc -q --locked -p "$2" --lib --no-default-features --features "$features" \
        -- -Z unstable-options --output-format json)
    cp "$semver_target/doc/${2//-/_}.json" "$4"
}
# Per package: 0 passes, 1 needs a bump (a verdict), 2 could not judge.
semver_status=0
: >"$tmp/semver.txt"
for package in graph-online-meetings:tls-ring,azure,notifications,axum graph-online-meetings-emulator: \
    graph-online-meetings-codegen:maintainer; do
    name=${package%%:*}
    features=${package#*:}
    rustdoc_json base "$name" "$features" "$tmp/$name.base.json"
    rustdoc_json head "$name" "$features" "$tmp/$name.head.json"
    echo "$name:" >>"$tmp/semver.txt"
    status=0
    cargo semver-checks check-release --color never \
        --baseline-rustdoc "$tmp/$name.base.json" --current-rustdoc "$tmp/$name.head.json" \
        >"$tmp/one.txt" 2>&1 || status=$?
    cat "$tmp/one.txt" >>"$tmp/semver.txt"
    if [ "$status" -ne 0 ]; then
        if grep -q "semver requires new" "$tmp/one.txt"; then
            [ "$semver_status" -eq 2 ] || semver_status=1
        else
            semver_status=2
        fi
    fi
done
{
    echo
    echo "## The Rust API (cargo-semver-checks against ${base})"
    echo
    echo '```text'
    cat "$tmp/semver.txt"
    echo '```'
} >>"$tmp/summary.md"

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$tmp/summary.md" >>"$GITHUB_STEP_SUMMARY"
fi
cat "$tmp/summary.md"
# A failure that is not a verdict (a build that broke, a tool that could not run) fails
# the gate whatever the version.
if [ "$semver_status" -eq 2 ]; then
    echo "api-diff-gate: cargo-semver-checks could not judge the change (its output above)" >&2
    exit 1
fi

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
failed=0
lowest=$(printf '%s\n%s\n' "$needed" "$head_version" | sort -V | head -n1)
if [ "$needed" != "$base_version" ] && [ "$lowest" != "$needed" ]; then
    echo "api-diff-gate: the spec change needs version $needed (from $base_version); Cargo.toml has $head_version" >&2
    failed=1
fi
if [ "$semver_status" -ne 0 ]; then
    echo "api-diff-gate: cargo-semver-checks finds a change to the Rust API that version $head_version does not allow (its report above)" >&2
    failed=1
fi
[ "$failed" -eq 0 ] || exit 1
echo "api-diff-gate: Cargo.toml's version $head_version is enough (the spec needs $needed; cargo-semver-checks passes)"
