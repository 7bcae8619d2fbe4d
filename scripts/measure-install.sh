#!/usr/bin/env bash
# Install time and node_modules size of a fresh consumer project, four ways:
# prebuilt or from source, with or without the optional WebGPU package (Dawn).
# Packs kiln and its platform package first (scripts/pack-packages.mjs). Each
# install uses --omit=optional and names what it wants explicitly, so that the
# rows differ only in what they say (better-sqlite3, the registry's optional
# SQLite driver, is left out of all four). Prints a Markdown table.
# Usage: bash scripts/measure-install.sh   (needs build/Release/kiln.node, dist/, and cmake + g++ for the source rows)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kiln-measure-XXXXXX")"
trap 'rm -rf "$work"' EXIT
mapfile -t tarballs < <(node "$repo/scripts/pack-packages.mjs" "$work/packages")
kiln="$(printf '%s\n' "${tarballs[@]}" | grep '/kiln-[0-9]')"
prebuilt="$(printf '%s\n' "${tarballs[@]}" | grep -v '/kiln-[0-9]')"
webgpu="webgpu@$(node -p "require('$repo/package.json').optionalDependencies.webgpu")"
tools="cmake-js node-addon-api node-api-headers"

measure() { # label, packages...
  local label="$1"; shift
  local app="$work/app-$RANDOM"
  mkdir -p "$app" && cd "$app"
  printf '{ "name": "m", "version": "1.0.0", "private": true }\n' > package.json
  local start end
  start=$(date +%s.%N)
  KILN_REQUIRE_NATIVE=1 npm install --omit=optional --no-audit --no-fund --loglevel=error "$@" >/dev/null
  end=$(date +%s.%N)
  node --input-type=module -e "const n = (await (await import('kiln')).backends())[0]; if (!n.available) throw new Error(n.reason)" >/dev/null
  printf '| %s | %s s | %s |\n' "$label" "$(node -p "Math.round($end - $start)")" "$(du -sh node_modules | cut -f1)"
  cd "$work" && rm -rf "$app"
}

echo "| install | time | node_modules |"
echo "| --- | --- | --- |"
measure "prebuilt, with WebGPU" "$kiln" "$prebuilt" "$webgpu"
measure "prebuilt, without WebGPU" "$kiln" "$prebuilt"
# shellcheck disable=SC2086
measure "from source, with WebGPU" "$kiln" "$webgpu" $tools
# shellcheck disable=SC2086
measure "from source, without WebGPU" "$kiln" $tools
