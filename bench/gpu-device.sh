#!/usr/bin/env bash
# The device check for a session that is lent a GPU machine (see the device tool's
# README): build, run the WebGPU tests on the real adapter, run the GPU suites, and
# leave logs and JSON under $OUT. From the repository root, with `.gl` carried
# (the Vulkan loader, downloaded once as that README says):
#   run(command="bash bench/gpu-device.sh", carry=[".gl", "node_modules", "build"], timeout_s=540)
set -uo pipefail
OUT=${OUT:-/tmp/kiln-gpu-out}
mkdir -p "$OUT"
for f in .gl/*.deb; do [ -f "$f" ] && dpkg -x "$f" /; done
ldconfig
if ! ldconfig -p | grep -q libvulkan; then echo "no Vulkan loader: carry .gl" | tee "$OUT/error.txt"; fi
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
export XDG_RUNTIME_DIR=/tmp KILN_REQUIRE_WEBGPU=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > "$OUT/gpu.txt" 2>&1
test -f build/Release/kiln.node || npx cmake-js compile --release > "$OUT/build.log" 2>&1
npx tsc -p tsconfig.json > "$OUT/tsc.log" 2>&1
npx vitest run test/ops/matmul.test.ts test/ops/elementwise.test.ts test/ops/column-stats.test.ts test/ops/gpu-matrix.test.ts \
  test/models/neighbors.test.ts test/models/gbdt-webgpu.test.ts > "$OUT/tests.log" 2>&1
echo "tests exit $?" >> "$OUT/tests.log"
timeout 120 npx tsx bench/run.ts gpu > "$OUT/bench-gpu.log" 2>&1
# Gradient boosting, webgpu next to native (2 threads): flights 100 rounds, 10M synthetic rows 30 rounds
# (time per round is the figure; bench/results/gbdt-gpu.json is rewritten after each case).
KILN_BENCH_GPU_SYNTH_ROUNDS=${KILN_BENCH_GPU_SYNTH_ROUNDS:-30} timeout 300 npx tsx bench/run.ts gbdt-gpu > "$OUT/bench-gbdt-gpu.log" 2>&1
echo "gbdt-gpu exit $?" >> "$OUT/bench-gbdt-gpu.log"
cp bench/results/*.json "$OUT/" 2>/dev/null
tail -5 "$OUT/tests.log"; cat "$OUT/bench-gpu.log" | tail -15; grep -v '^Warning' "$OUT/bench-gbdt-gpu.log" | tail -12
