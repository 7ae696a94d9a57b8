#!/usr/bin/env bash
# Installs what sagac needs, idempotently: npm packages (which also builds dist/), and, where
# WebGPU finds no adapter, Mesa's lavapipe (a CPU Vulkan driver) from Debian bookworm-backports.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'setup: %s\n' "$*"; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if (( node_major < 20 )); then
  say "Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none))"
  exit 1
fi

if [[ -d node_modules/webgpu && -f dist/cli/main.js && node_modules/.package-lock.json -nt package-lock.json ]]; then
  say "npm packages already installed"
else
  say "installing npm packages (npm ci; builds dist/)"
  npm ci --no-audit --no-fund
fi

export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/sagac-xdg}"
mkdir -p "$XDG_RUNTIME_DIR"

# Headless Chromium for the playground's browser test (test/playground): Debian's package, never a
# browser downloaded by a tool. Optional: a failure here only skips that test.
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && command -v apt-get >/dev/null; then
  if (( EUID == 0 )) || command -v sudo >/dev/null; then
    say "installing chromium (for the playground browser test)"
    $( (( EUID == 0 )) || echo sudo ) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium \
      || say "could not install chromium: the playground browser test will be skipped"
  fi
fi

if out=$(timeout 120 node scripts/probe-adapter.mjs 2>/dev/null); then
  say "$out"
  exit 0
fi
say "no WebGPU adapter found: installing Mesa lavapipe (CPU Vulkan driver)"
if ! command -v apt-get >/dev/null; then
  say "no apt-get here: install a Vulkan driver for your GPU, or Mesa >= 24 (lavapipe), then run this again"
  exit 1
fi
SUDO=""
if (( EUID != 0 )); then
  command -v sudo >/dev/null || { say "need root (or sudo) to install mesa-vulkan-drivers"; exit 1; }
  SUDO="sudo"
fi
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
if [[ $codename == bookworm ]]; then
  # Debian 12's own Mesa 22.3 is rejected by Dawn; bookworm-backports has 25.x.
  list=/etc/apt/sources.list.d/backports.list
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    say "adding bookworm-backports to $list"
    echo 'deb http://deb.debian.org/debian bookworm-backports main' | $SUDO tee "$list" >/dev/null
  fi
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -t bookworm-backports mesa-vulkan-drivers
else
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q mesa-vulkan-drivers
fi
if out=$(timeout 120 node scripts/probe-adapter.mjs 2>/dev/null); then
  say "$out"
else
  say "still no WebGPU adapter after installing lavapipe: $out"
  exit 1
fi
