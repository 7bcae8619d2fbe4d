// Does native and webgpu work, then returns: the process must exit on its own.
import { matmul, columnStats, backends } from '../../dist/index.js';

const gpu = (await backends()).find((b) => b.name === 'webgpu');
const list = gpu.available ? ['native', 'webgpu'] : ['native'];
for (const backend of list) {
  await matmul([[1, 2]], [[3], [4]], { backend });
  await columnStats([[1, 2], [3, 4]], { backend });
}
console.log(`done: ${list.join(',')}`);
