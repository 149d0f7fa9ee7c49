#!/usr/bin/env bash
# Runs every test: the core and the command line, the UI's type check and build, and the real
# desktop window driven end to end through WebDriver under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
# One shared target dir, no incremental state and no debug info: a clean run in CI stays short.
export CARGO_INCREMENTAL=0
export CARGO_TERM_COLOR=never

echo "== ui: type check and build"
(cd ui && npm run build --silent)

echo "== cargo test (core, command line, desktop window under Xvfb)"
xvfb-run -a -s "-screen 0 1280x800x24" cargo test --workspace --locked

# `cargo test` regenerates the TypeScript mirror of the IPC types (ts-rs). If that changed a
# file, the UI was built against stale types: fail, so the change is committed with the Rust one.
if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- ui/src/ipc/bindings; then
  echo "test: ui/src/ipc/bindings changed while testing; the committed TypeScript types are stale:" >&2
  git --no-pager diff --stat -- ui/src/ipc/bindings >&2
  exit 1
fi
echo "== all tests passed"
