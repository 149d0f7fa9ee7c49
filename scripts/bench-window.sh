#!/usr/bin/env bash
# Measures the real desktop window on a big database (SPEC §3), under Xvfb through tauri-driver:
#   1. start → a usable sign-in screen (process start to the user name input enabled and laid out),
#   2. sign-in click → Beranda's figures, as kepala (and once as admin),
#   3. every screen of the side menu, click → its content (first row, figures or form), and a
#      Keluarga search (last keystroke → results), with the IPC commands each waited for,
#   4. idle PSS of the app and every process under it (WebKitWebProcess, WebKitNetworkProcess): at
#      the sign-in screen, signed in, after every screen but Penyaluran (visited last: its answer is
#      hundreds of MB on the full data set), after Penyaluran too, after the Admin's screens, and
#      signed out again.
# Prints a table; the progress (each step, with the IPC commands of any over 100 ms) goes to stderr.
# Not part of scripts/test.sh. Options: --help.
#
#   scripts/bench-window.sh --db /path/bench.db [--kanwil /path/kanwil.db] [--runs 5] [--only IDS]
#
# The full data set (100,000 families, 1,000,000 BASTs; users admin, verif, kepala with password
# bench-password-2024): `target/release/bansos bench --keep DIR` leaves DIR/bench.db and DIR/kanwil.db.
# The app measured is $BANSOS_BIN_DIR/bansos-desktop (default target/debug; the release build:
# BANSOS_BIN_DIR=target/release). Needs Xvfb, WebKitWebDriver and tauri-driver (scripts/setup.sh --test).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH" CARGO_INCREMENTAL=0
bin=${BANSOS_BIN_DIR:-${CARGO_TARGET_DIR:-target}/debug}
if [ ! -x "$bin/bansos-desktop" ]; then
  echo "bench-window: $bin/bansos-desktop is missing: cargo build -p bansos-desktop (or set BANSOS_BIN_DIR)" >&2
  exit 1
fi
# The measuring program itself (a WebDriver client) is small and built in debug; the app is not rebuilt.
cargo build --quiet -p window-test --example bench-window
exec xvfb-run -a -s "-screen 0 1280x800x24" \
  "${CARGO_TARGET_DIR:-target}/debug/examples/bench-window" --bin-dir "$bin" "$@"
