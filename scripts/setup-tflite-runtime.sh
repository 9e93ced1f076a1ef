#!/usr/bin/env bash
# Installs the real TensorFlow Lite interpreter used by the conformance tests:
# the WASM build in the npm package @tensorflow/tfjs-tflite 0.0.1-alpha.10,
# pinned (with its integrity hash) by tools/tflite-runner/package-lock.json.
#
#   scripts/setup-tflite-runtime.sh [DEST]
#
# DEST defaults to $QAPEFT_TFLITE_RUNTIME, else ~/.cache/qapeft/tflite-runtime
# (the folder lit looks in; see test/lit.cfg.py). Idempotent: when DEST already
# holds the runtime installed from the same lock file it only checks hashes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNNER="$ROOT/tools/tflite-runner"
DEST="${1:-${QAPEFT_TFLITE_RUNTIME:-${XDG_CACHE_HOME:-$HOME/.cache}/qapeft/tflite-runtime}}"
WASM="$DEST/node_modules/@tensorflow/tfjs-tflite/wasm"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup-tflite-runtime: node and npm are missing (scripts/setup.sh installs them)" >&2
  exit 1
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 16 ]; then
  echo "setup-tflite-runtime: Node.js >= 16 is needed (WASM SIMD), found $(node --version)" >&2
  exit 1
fi

# The sha256 of the two WASM files the runner knows how to run with XNNPACK
# disabled (--kernels builtin); a different package version must not pass.
check_wasm() {
  sha256sum -c --quiet - <<SUMS
40f49cc2d458ec09bb43db160e9e55f4b3c790a4c1d1fa280f8a61796296cf8e  $WASM/tflite_web_api_cc_simd.wasm
f1eb42f96ae91e5ef34e2f833f011373ca1c40fdc9d4062ec21eb07b886ea54f  $WASM/tflite_web_api_cc.wasm
SUMS
}

if [ -f "$DEST/package-lock.json" ] && cmp -s "$DEST/package-lock.json" "$RUNNER/package-lock.json" \
   && [ -f "$WASM/tflite_web_api_cc_simd.wasm" ] && check_wasm 2>/dev/null; then
  exit 0
fi

echo "setup-tflite-runtime: installing @tensorflow/tfjs-tflite into $DEST"
mkdir -p "$(dirname "$DEST")"
# Install into a fresh sibling folder and move it into place, so an interrupted
# install never leaves a half-populated runtime that lit would detect.
TMP="$(mktemp -d "$DEST.tmp.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
cp "$RUNNER/package.json" "$RUNNER/package-lock.json" "$TMP/"
# --legacy-peer-deps: the package declares @tensorflow/tfjs-core as a peer, but
# the runner loads only the self-contained WASM interpreter from it.
(cd "$TMP" && npm ci --legacy-peer-deps --ignore-scripts --no-audit --no-fund --loglevel=error)
WASM="$TMP/node_modules/@tensorflow/tfjs-tflite/wasm" check_wasm
rm -rf "$DEST.old"
if [ -d "$DEST" ]; then mv "$DEST" "$DEST.old"; fi
mv "$TMP" "$DEST"
rm -rf "$DEST.old"
node "$RUNNER/tflite-runner.js" --check --runtime "$DEST"
echo "setup-tflite-runtime: ok ($DEST)"
