#!/usr/bin/env bash
# Builds and opens the Bansos desktop app. The data lives in ~/.local/share/bansos/ unless
# BANSOS_DB names another database file. `scripts/run.sh --demo` opens a demo facility instead
# (made once by `bansos demo` in ~/.local/share/bansos-demo/; its users are printed), and
# `--demo-regional` a demo Kanwil with five facilities' bundles received (bansos-demo-kanwil/).
set -euo pipefail
demo=0
if [ "${1:-}" = "--demo" ]; then
  demo=1
elif [ "${1:-}" = "--demo-regional" ]; then
  demo=2
elif [ -n "${1:-}" ]; then
  echo "run: pilihan tidak dikenal: $1 (yang ada: --demo, --demo-regional)" >&2
  exit 2
fi
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
bin="${CARGO_TARGET_DIR:-target}/debug"
if [ "$demo" = 1 ]; then
  export BANSOS_DB="${XDG_DATA_HOME:-$HOME/.local/share}/bansos-demo/bansos.db"
  if [ ! -e "$BANSOS_DB" ]; then
    echo "Membuat UPT contoh (sekitar satu menit)…"
    "$bin/bansos" --db "$BANSOS_DB" demo --families 300 --years 1
  else
    echo "UPT contoh: $BANSOS_DB — masuk sebagai admin, petugas, verifikator atau kepala; kata sandi demo-bansos-2024"
  fi
elif [ "$demo" = 2 ]; then
  export BANSOS_DB="${XDG_DATA_HOME:-$HOME/.local/share}/bansos-demo-kanwil/bansos.db"
  if [ ! -e "$BANSOS_DB" ]; then
    echo "Membuat Kanwil contoh dengan lima UPT (sekitar satu menit)…"
    "$bin/bansos" --db "$BANSOS_DB" demo --province 5 --months 6 --families 60
  else
    echo "Kanwil contoh: $BANSOS_DB — masuk sebagai admin, petugas, verifikator atau kepala; kata sandi demo-bansos-2024"
  fi
fi
exec "$bin/bansos-desktop"
