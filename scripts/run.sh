#!/usr/bin/env bash
# Builds and opens the Bansos desktop app. The data lives in ~/.local/share/bansos/ unless
# BANSOS_DB names another database file.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
(cd ui && npm run build --silent)
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "run: tidak ada layar (DISPLAY kosong). Jalankan dari desktop, atau: xvfb-run -a scripts/run.sh" >&2
  exit 1
fi
# Built exactly as scripts/test.sh builds it (the app with the tests, no incremental state), so
# a run after the tests compiles nothing, and the tests after a run compile only themselves.
export CARGO_INCREMENTAL=0
cargo build --quiet --workspace --bins --tests --locked
exec "${CARGO_TARGET_DIR:-target}/debug/bansos-desktop"
