#!/usr/bin/env bash
# Points Microsoft's official Graph SDK for Python (msgraph-sdk, pinned in
# requirements.txt) at the emulator, unchanged, and runs interop/msgraph_python_sdk.py;
# then interop/notifications.py (Python's cryptography, pinned too).
# Installs the SDK into $CARGO_TARGET_DIR/interop-venv (target/ by default) from PyPI; the emulator binds 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir=${CARGO_TARGET_DIR:-target}
venv=$target_dir/interop-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r interop/requirements.txt

cargo build -q --locked -p graph-online-meetings-emulator --features cli --bin meetings-emulator
out=$(mktemp)
"$target_dir/debug/meetings-emulator" --listen 127.0.0.1:0 >"$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do
  [ -s "$out" ] && break
  sleep 0.1
done
url=$(head -n 1 "$out" | sed 's/^listening on //')
case "$url" in
  http://127.0.0.1:*) ;;
  *) echo "the emulator did not print its address (got: '$url')" >&2; exit 1 ;;
esac
"$venv/bin/python" interop/msgraph_python_sdk.py "$url"

# Change notifications both ways with Python's cryptography: a notification built by
# Microsoft's documented steps, read by the crate's receiver (the example binary); the
# emulator's notifications, decrypted by the same steps.
cargo build -q --locked --example receive_notification
"$venv/bin/python" interop/notifications.py "$url" "$target_dir/debug/examples/receive_notification"
