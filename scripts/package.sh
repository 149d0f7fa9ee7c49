#!/usr/bin/env bash
# Builds the release app and its Debian package (.deb) with the Tauri bundler: the window
# (bansos-desktop), the command line (bansos), the icon and the desktop entry. Then checks the
# package: installs it into a scratch root with dpkg and runs both installed programs' --version.
# Not part of the test command (a release build takes about ten minutes on two cores). The
# AppImage is not built: its tooling is downloaded from outside the package registries.
#   scripts/package.sh          → target/release/bundle/deb/Bansos_<version>_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH" CARGO_INCREMENTAL=0
(cd ui && npm run build --silent)
cargo build --release --locked --bin bansos
# The Tauri CLI (ui/node_modules, from npm) builds bansos-desktop in release with the built ui/
# inside, and bundles it with bansos, the icon and Bansos.desktop (src-tauri/tauri.conf.json).
ui/node_modules/.bin/tauri build --bundles deb --ci
version=$(sed -n 's/^version = "\(.*\)"/\1/p' src-tauri/Cargo.toml | head -1)
deb="target/release/bundle/deb/Bansos_${version}_amd64.deb"
[ -f "$deb" ] || { echo "package: $deb tidak dibuat" >&2; exit 1; }

echo "== $deb"
dpkg-deb --info "$deb" | sed -n '/Package:/,$p'
dpkg-deb --contents "$deb" | awk '{print $6}'

# Installed into a scratch root, as dpkg installs it (its own database there; the libraries the
# package depends on are this machine's, so dependencies are not re-resolved in the root).
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status"
dpkg --root="$root" --force-depends --force-not-root --force-script-chrootless --log=/dev/null \
  -i "$deb" >/dev/null
dpkg --root="$root" -l bansos | tail -1
echo "== the installed programs"
"$root/usr/bin/bansos-desktop" --version
"$root/usr/bin/bansos" --version
grep -E '^(Name|Exec|Icon|Categories)=' "$root/usr/share/applications/Bansos.desktop"
ls "$root/usr/share/icons/hicolor/"*/apps/
echo "package: OK ($deb, $(du -h "$deb" | cut -f1))"
