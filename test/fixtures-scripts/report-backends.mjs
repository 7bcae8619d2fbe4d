// Prints backends() and a js matmul as JSON (run with a broken environment by the tests).
import { backends, matmul } from '../../dist/index.js';

const list = await backends();
let webgpuError = null;
try {
  await matmul([[1]], [[2]], { backend: 'webgpu' });
} catch (e) {
  webgpuError = { code: e.code, message: e.message };
}
let nativeError = null;
try {
  await matmul([[1]], [[2]], { backend: 'native' });
} catch (e) {
  nativeError = { code: e.code, message: e.message };
}
const js = await matmul([[1, 2]], [[3], [4]], { backend: 'js' });
const auto = await matmul([[1, 2]], [[3], [4]]);
console.log(JSON.stringify({ list, webgpuError, nativeError, js: Array.from(js.data), auto: Array.from(auto.data) }));
