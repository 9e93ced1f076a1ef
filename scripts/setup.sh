#!/usr/bin/env bash
# Installs every Debian package qapeft needs, when missing. Idempotent: with
# everything present it only runs dpkg-query (well under a second).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache lld
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  libgtest-dev flatbuffers-compiler libflatbuffers-dev
  libopenblas-dev zlib1g-dev dataset-fashion-mnist gnuplot-nox
  nodejs npm python3 time bc jq
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# nodejs may come from another apt source that ships npm inside it.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]:-}"

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
"$(dirname "${BASH_SOURCE[0]}")/setup-tflite-runtime.sh"
