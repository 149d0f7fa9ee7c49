#!/usr/bin/env bash
# Measures the desktop window (SPEC §3): time from start until the window is mapped, and the
# proportional set size of the app and its WebKit processes once the sign-in screen has settled.
# Uses the binaries already built in target/debug (or BANSOS_BIN_DIR) and a throw-away database.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BANSOS_BIN_DIR:-target/debug}
tmp=$(mktemp -d)
trap 'kill $APID $XPID 2>/dev/null; rm -rf "$tmp"' EXIT
export BANSOS_DB=$tmp/bansos.db BANSOS_PASSWORD=ukur-jendela-2024
"$bin/bansos" init --name "Rutan Uji" --kind rutan --class IIB --code RUTAN-UJI --province "Jawa Tengah" \
  --kanwil "Kanwil Ditjenpas Jawa Tengah" --address "Jl. Uji 1" --head-name "Kepala" \
  --admin-username admin --admin-name "Admin" >/dev/null
Xvfb :97 -screen 0 1280x800x24 >/dev/null 2>&1 & XPID=$!
sleep 1
export DISPLAY=:97
start=$(date +%s%N)
"$bin/bansos-desktop" >/dev/null 2>&1 & APID=$!
for _ in $(seq 1 500); do
  xwininfo -root -tree 2>/dev/null | grep -q '"Bansos"' && break
  sleep 0.01
done
echo "window mapped after $(( ($(date +%s%N) - start) / 1000000 )) ms"
sleep 6
pss=0
for p in $(printf '%s\n' $APID $(pgrep -P $APID) $(pgrep -f WebKitWebProcess) $(pgrep -f WebKitNetworkProcess) | sort -u); do
  v=$(awk '/^Pss:/{print $2}' /proc/$p/smaps_rollup 2>/dev/null || true); pss=$((pss + ${v:-0}))
done
echo "idle PSS, app + WebKit processes: $((pss / 1024)) MB"
