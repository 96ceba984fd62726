#!/usr/bin/env bash
# Shows that the pull request's API gate judges the Rust API, not only the spec: in a copy
# of the repository whose version 0.1.0 is marked released, a public method of the
# hand-written layer is renamed (the spec untouched), and scripts/api-diff-gate.sh must
# fail with cargo-semver-checks' report naming it. Needs cargo-semver-checks on PATH.
#
# Usage: bash scripts/planted-breaking-change.sh   (from anywhere; uses ./target for caching)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT

git ls-files -z | xargs -0 cp --parents -t "$copy"
cd "$copy"
version=$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml","rb"))["package"]["version"])')
# Released, if the CHANGELOG still says otherwise.
sed -i "s/^## $version (unreleased)\$/## $version (2026-12-01)/" CHANGELOG.md
if grep -qx "## $version (unreleased)" CHANGELOG.md; then
    echo "planted-breaking-change: could not mark $version released" >&2
    exit 1
fi
git init -q
git add -A
git -c user.name=demo -c user.email=demo@example.invalid commit -q -m "released $version"
base=$(git rev-parse HEAD)

sed -i 's/pub fn accept_language(/pub fn preferred_language(/' src/runtime/client.rs
grep -q "pub fn preferred_language(" src/runtime/client.rs

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
if bash scripts/api-diff-gate.sh "$base" >gate.log 2>&1; then
    cat gate.log >&2
    echo "planted-breaking-change: the gate passed a renamed public method; it must fail" >&2
    exit 1
fi
for expected in "inherent_method_missing" "GraphClientBuilder::accept_language" \
    "cargo-semver-checks finds a change to the Rust API"; do
    if ! grep -q "$expected" gate.log; then
        cat gate.log >&2
        echo "planted-breaking-change: the gate failed, but not naming '$expected'" >&2
        exit 1
    fi
done
echo "planted-breaking-change: renaming GraphClientBuilder::accept_language fails the gate:"
sed -n '/--- failure/,/Summary/p' gate.log
grep "^api-diff-gate:" gate.log
