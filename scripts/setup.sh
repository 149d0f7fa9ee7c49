#!/usr/bin/env bash
# Installs what Bansos needs to build and run on Debian 12 / Ubuntu, and only what is missing.
#   scripts/setup.sh          what the app needs (WebKitGTK, Node modules)
#   scripts/setup.sh --test   and what the tests need (Xvfb, WebKitWebDriver, tauri-driver, PDF tools)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: perlu hak root untuk memasang paket: $*" >&2; exit 1; fi
}

pkgs=(build-essential pkg-config curl wget file ca-certificates libssl-dev libwebkit2gtk-4.1-dev
      libxdo-dev libayatana-appindicator3-dev librsvg2-dev)
if [ $want_test = 1 ]; then
  pkgs+=(xvfb xauth x11-utils webkit2gtk-driver imagemagick poppler-utils zbar-tools fonts-noto-core)
fi
# A node from outside Debian (nvm, nodesource) is fine; ask apt only for what is absent.
command -v node >/dev/null || pkgs+=(nodejs)
command -v npm >/dev/null || pkgs+=(npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: memasang paket: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then export PATH="$HOME/.cargo/bin:$PATH"; else
    echo "setup: memasang Rust (rustup)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi

if [ $want_test = 1 ] && ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "setup: memasang tauri-driver"
  cargo install tauri-driver --locked --quiet
fi

# Node modules at the locked versions; skipped when they already match the lock file. (`npm install`
# rather than `npm ci`: npm 11 leaves other platforms' optional rollup binaries out of the lock
# file, and `npm ci` then refuses the lock as out of sync.)
if [ ! -f ui/node_modules/.bansos-lock ] || ! cmp -s ui/package-lock.json ui/node_modules/.bansos-lock; then
  (cd ui && npm install --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.bansos-lock)
fi
