#!/usr/bin/env bash
# Installs kiln the way a user does, without a compiler: packs kiln and its
# prebuilt platform package (scripts/pack-packages.mjs), installs both from the
# tarballs into a fresh project in a temporary directory with a PATH that has no
# cmake, make or C/C++ compiler, and checks there that
#   - the install did not compile (no build/ in the installed kiln),
#   - ESM import: the native backend is active, a GradientBoostingClassifier
#     fits on it and predicts,
#   - CJS require('kiln') works (require(esm), Node >= 20.19), and the kiln command runs,
#   - the published .d.ts compile in a strict TypeScript consumer with
#     skipLibCheck: false.
# Needs build/Release/kiln.node and dist/ (npm ci builds both). Exit 0 = all passed.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kiln-consumer-XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() { echo "consumer-smoke: FAILED: $*" >&2; exit 1; }

echo "-- packing into $work/packages"
mapfile -t tarballs < <(node "$repo/scripts/pack-packages.mjs" "$work/packages")
[ "${#tarballs[@]}" -ge 2 ] || fail "expected kiln and a platform package, got: ${tarballs[*]:-nothing}"
printf '   %s\n' "${tarballs[@]}"

# A PATH of links to everything on this PATH except build tools.
mkdir -p "$work/bin"
IFS=: read -ra dirs <<< "$PATH"
for d in "${dirs[@]}"; do
  [ -d "$d" ] || continue
  for f in "$d"/*; do
    name="${f##*/}"
    [ -x "$f" ] && [ ! -e "$work/bin/$name" ] || continue
    case "$name" in
      cmake|ccmake|cpack|ctest|make|gmake|cc|c++|cpp|gcc*|g++*|clang*|*-gcc*|*-g++*|*-c++*|*-cpp*) continue ;;
    esac
    ln -s "$f" "$work/bin/$name"
  done
done
for tool in cmake make cc c++ g++ gcc clang; do
  PATH="$work/bin" command -v "$tool" >/dev/null && fail "$tool is still on the restricted PATH"
done

mkdir -p "$work/app"
cd "$work/app"
printf '{ "name": "kiln-consumer", "version": "1.0.0", "private": true, "type": "module" }\n' > package.json
echo "-- npm install (PATH without cmake/make/g++)"
start=$(date +%s)
PATH="$work/bin" KILN_REQUIRE_NATIVE=1 npm install --no-audit --no-fund --loglevel=error "${tarballs[@]}" \
  || fail "npm install of the tarballs failed"
echo "   installed in $(( $(date +%s) - start )) s; node_modules: $(du -sh node_modules | cut -f1)"
[ -e node_modules/kiln/build ] && fail "the install built something in node_modules/kiln/build (it must use the prebuilt)"
[ -e node_modules/cmake-js ] && fail "cmake-js was installed: build tools must not be runtime dependencies"

cat > smoke.mjs <<'EOF'
import assert from 'node:assert/strict';
import { backends, GradientBoostingClassifier } from 'kiln';
const native = (await backends()).find((b) => b.name === 'native');
assert.ok(native?.available, `native backend not available: ${native?.reason}`);
const X = [], y = [];
for (let i = 0; i < 200; i++) { const a = (i * 7919) % 100 / 100, b = (i * 104729) % 97 / 97; X.push([a, b]); y.push(a + b > 1 ? 'hi' : 'lo'); }
const model = await new GradientBoostingClassifier({ nEstimators: 30, backend: 'native' }).fit(X, y);
const predicted = await model.predict([[0.9, 0.9], [0.05, 0.1]]);
assert.deepEqual([...predicted], ['hi', 'lo']);
console.log(`   ESM: ${native.description}; GBDT fit on native, predict ${JSON.stringify([...predicted])}`);
EOF
cat > smoke.cjs <<'EOF'
const assert = require('node:assert/strict');
const kiln = require('kiln');
assert.equal(typeof kiln.GradientBoostingClassifier, 'function');
const m = kiln.Matrix.from([[1, 2], [3, 4]]);
assert.equal(m.rows, 2);
console.log('   CJS: require(\'kiln\') works');
EOF
cat > smoke.ts <<'EOF'
import { GradientBoostingClassifier, Matrix, type BackendInfo } from 'kiln';
const m: Matrix = Matrix.from([[1, 2], [3, 4]]);
const info: BackendInfo[] = [];
export const model = new GradientBoostingClassifier({ nEstimators: 3 });
export const shape: [number, number] = [m.rows, m.cols + info.length];
EOF
cat > tsconfig.json <<EOF
{ "compilerOptions": { "strict": true, "skipLibCheck": false, "noEmit": true, "module": "NodeNext",
  "moduleResolution": "NodeNext", "target": "ES2022", "lib": ["ES2022"], "types": ["node"],
  "typeRoots": ["$repo/node_modules/@types"] }, "files": ["smoke.ts"] }
EOF
echo "-- smoke tests"
PATH="$work/bin" node smoke.mjs || fail "ESM smoke test"
PATH="$work/bin" node smoke.cjs || fail "CJS smoke test"
PATH="$work/app/node_modules/.bin:$work/bin" kiln --help | grep -q '^Usage: kiln' || fail "the kiln command"
echo "   CLI: the kiln command runs"
PATH="$work/bin" node "$repo/node_modules/typescript/bin/tsc" -p tsconfig.json || fail "strict TypeScript consumer (skipLibCheck: false)"
echo "   TypeScript: the published .d.ts compile with strict and skipLibCheck: false"
echo "consumer-smoke: passed"
