#!/usr/bin/env bash
# Runs every test: formatting and lints, the UI's type check and build, the core and the command
# line, and the real desktop window driven end to end through WebDriver under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
# One shared target dir, no incremental state and no debug info: a clean run in CI stays short.
export CARGO_INCREMENTAL=0
export CARGO_TERM_COLOR=never

echo "== rustfmt"
cargo fmt --all --check

echo "== ui: type check and build"
(cd ui && npm run build --silent)

# One build of the app and of every test, with the features of all of them resolved together,
# so every crate compiles once; `scripts/run.sh` builds the same way and reuses it. The window
# test drives the app binary made here.
echo "== build (the app and the tests)"
cargo build --workspace --bins --tests --locked

echo "== cargo test (core, command line, desktop window under Xvfb)"
xvfb-run -a -s "-screen 0 1280x800x24" cargo test --workspace --locked

# `cargo test` regenerates the TypeScript mirror of the IPC types (ts-rs). If that changed a
# file, the UI was built against stale types: fail, so the change is committed with the Rust one.
if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- ui/src/ipc/bindings; then
  echo "test: ui/src/ipc/bindings changed while testing; the committed TypeScript types are stale:" >&2
  git --no-pager diff --stat -- ui/src/ipc/bindings >&2
  exit 1
fi

echo "== clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== all tests passed"
