#!/usr/bin/env bash
# Installs a CPU WebGPU path for Dawn (the `webgpu` npm package): the Vulkan loader and
# Mesa's lavapipe driver from Debian bookworm-backports (bookworm's own Mesa 22 lacks a
# Vulkan feature that Dawn requires). Idempotent; needs root and Debian's package registry.
# Usage: npm run setup:webgpu-cpu (= bash scripts/setup-webgpu-cpu.sh)  (then set XDG_RUNTIME_DIR, e.g. to /tmp)
set -euo pipefail

have=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
if [[ "$have" =~ ^(2[4-9]|[3-9][0-9])\. ]] && dpkg-query -W libvulkan1 >/dev/null 2>&1; then
  echo "setup-webgpu-cpu: lavapipe $have already installed"
  exit 0
fi

. /etc/os-release
if [[ "${VERSION_CODENAME:-}" == "bookworm" ]]; then
  src=/etc/apt/sources.list.d/bookworm-backports.sources
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # reuse the mirror that the machine's own bookworm source names
    uri=$(grep -hs -m1 '^URIs:' /etc/apt/sources.list.d/debian.sources | awk '{print $2}')
    [[ -n "$uri" ]] || uri=$(grep -hs -m1 -E '^deb .* bookworm ' /etc/apt/sources.list | awk '{print $2}')
    [[ -n "$uri" ]] || { echo "setup-webgpu-cpu: no Debian source found to derive backports from" >&2; exit 1; }
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" > "$src"
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq -t bookworm-backports libvulkan1 mesa-vulkan-drivers >/dev/null
else
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq libvulkan1 mesa-vulkan-drivers >/dev/null
fi
echo "setup-webgpu-cpu: installed lavapipe $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
