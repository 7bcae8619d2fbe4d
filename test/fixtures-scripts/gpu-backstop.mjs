// Forgotten GpuMatrix objects go back to the buffer pool once collected (run with --expose-gc).
import { toGpu } from '../../dist/index.js';
import { resolveBackend } from '../../dist/backend/select.js';

const runner = await (await resolveBackend('webgpu', 0)).runner();
const before = runner.pool.idle;
(function leak() {
  const made = [];
  for (let i = 0; i < 20; i++) made.push(toGpu([[i, 1, 2, 3]]));
  return Promise.all(made);
})();
await new Promise((r) => setTimeout(r, 50));
for (let i = 0; i < 5 && runner.pool.idle === before; i++) {
  globalThis.gc();
  await new Promise((r) => setTimeout(r, 20));
}
console.log(JSON.stringify({ before, after: runner.pool.idle }));
