#!/usr/bin/env bash
# Installs what building, running and testing Lamplight needs on Debian/Ubuntu, and nothing that is
# already there. Safe to run again. Uses apt-get as root, or through sudo.
#   packaging/install-deps.sh          build + run (WebKitGTK)
#   packaging/install-deps.sh --test   also what `make test` needs (Xvfb, WebKitWebDriver, poppler, zbar, rpm)
set -euo pipefail

build_pkgs=(libwebkit2gtk-4.1-dev build-essential pkg-config curl)
test_pkgs=(xvfb xauth webkit2gtk-driver poppler-utils zbar-tools rpm)
want=("${build_pkgs[@]}")
[[ "${1:-}" == "--test" ]] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null; then
    echo "Lamplight needs these packages: ${missing[*]}. This is not Debian/Ubuntu: install their equivalents, then run make again." >&2
    exit 1
  fi
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "Installing ${missing[*]} needs root: run as root or install sudo." >&2; exit 1; }
    sudo="sudo"
  fi
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "Lamplight needs Rust (cargo): install it from https://rustup.rs, then run make again." >&2; exit 1; }
command -v npm >/dev/null || { echo "Lamplight needs Node.js 20+ and npm: install them (apt-get install nodejs npm), then run make again." >&2; exit 1; }

if [[ "${1:-}" == "--test" ]]; then
  command -v cargo-nextest >/dev/null || cargo install cargo-nextest --locked
  command -v tauri-driver >/dev/null || cargo install tauri-driver --locked
fi
