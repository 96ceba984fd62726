#!/usr/bin/env bash
# A fresh crate outside the repository that depends on the three packages as `cargo
# package` made them (target/package/*-VERSION/, left by `cargo publish --workspace
# --dry-run`), the way a user's crate would once they are on crates.io: it builds every
# Rust example of README.md (each an example of its own) and runs a test that starts the
# emulator and calls it through the client.
#
# Usage: bash scripts/package-consumer.sh   (after cargo publish --workspace --dry-run)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
version=$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml","rb"))["package"]["version"])')
client="$root/target/package/graph-online-meetings-$version"
codegen="$root/target/package/graph-online-meetings-codegen-$version"
emulator="$root/target/package/graph-online-meetings-emulator-$version"
for dir in "$client" "$codegen" "$emulator"; do
    [ -f "$dir/Cargo.toml" ] || {
        echo "package-consumer: no $dir; run cargo publish --workspace --dry-run first" >&2
        exit 1
    }
done

crate=$(mktemp -d)
trap 'rm -rf "$crate"' EXIT
mkdir -p "$crate/src" "$crate/examples" "$crate/tests"
cat >"$crate/Cargo.toml" <<EOF
[package]
name = "meetings-user"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
graph-online-meetings = "$version"
tokio = { version = "1", features = ["fs", "macros", "rt-multi-thread"] }

[dev-dependencies]
graph-online-meetings-emulator = "$version"

# What crates.io will serve, taken from the packages instead.
[patch.crates-io]
graph-online-meetings = { path = "$client" }
graph-online-meetings-codegen = { path = "$codegen" }
graph-online-meetings-emulator = { path = "$emulator" }
EOF
echo "// A user's crate." >"$crate/src/lib.rs"
# The versions this repository tested; the consumer may resolve what it adds.
cp Cargo.lock "$crate/Cargo.lock"

# Every ```rust block of the README, as the doc tests read it (a `# ` line is hidden
# code), an example of its own; a block without `main` gets an empty one.
python3 - "$root/README.md" "$crate/examples" <<'PY'
import re, sys
readme, out = sys.argv[1], sys.argv[2]
blocks = re.findall(r"^```rust[^\n]*\n(.*?)^```", open(readme).read(), re.M | re.S)
if not blocks:
    sys.exit("package-consumer: README.md has no rust block")
for n, body in enumerate(blocks, 1):
    code = "\n".join(l[2:] if l.startswith("# ") else ("" if l == "#" else l)
                     for l in body.splitlines())
    if "fn main" not in code:
        code = "#![allow(dead_code)] // a function the README shows, not called\n" + code
        code += "\nfn main() {}\n"
    open(f"{out}/readme_{n}.rs", "w").write(code)
print(f"package-consumer: {len(blocks)} README examples")
PY

cat >"$crate/tests/emulator.rs" <<'EOF'
use graph_online_meetings::GraphClient;
use graph_online_meetings::types::CreateOrGetRequest;
use graph_online_meetings_emulator::{Emulator, TokenKind, fake_token};

#[tokio::test]
async fn create_or_get_against_the_emulator() {
    let emulator = Emulator::start("127.0.0.1:0").await.expect("the emulator");
    let client = GraphClient::builder()
        .base_url(emulator.base_url())
        .bearer_token(fake_token("tenant", "user", TokenKind::Delegated))
        .build()
        .expect("a client");
    let request = CreateOrGetRequest::new("package-consumer");
    let first = client.me().create_or_get(&request).await.expect("created");
    let second = client.me().create_or_get(&request).await.expect("got");
    assert!(first.is_created() && !second.is_created());
    assert_eq!(first.meeting().id, second.meeting().id);
    assert_eq!(emulator.meeting_count(), 1);
    emulator.shutdown().await.expect("stops");
}
EOF

# The repository's target directory: the dependencies are built once for both.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
(cd "$crate" && cargo build -q --examples && cargo test -q)
echo "package-consumer: the packaged crates build the README's examples and an emulator test"
