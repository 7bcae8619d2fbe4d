/**
 * After the tree: one routing pass on the device gives each row's leaf (a byte per row up to 256
 * leaves, else 16 or 32 bits), from the tree table and the resident bins.
 */
import type { HistGrowArgs } from '../../contract/hist.js';
import type { GpuRunner } from '../runner.js';
import { NODE_WORDS, readBack } from './layout.js';
import type { RowPartition } from './partition.js';
import { Recorder } from './recorder.js';
import type { TNode } from './tree-node.js';

/** Routes every row to its leaf on the device; the host adds the leaf values to the scores like native does. */
export async function routeRows(r: GpuRunner, a: HistGrowArgs, rows: RowPartition, numNodes: number, leaves: TNode[]): Promise<void> {
  if (!a.scores && !a.leafOfRow) return;
  const o = a.out,
    nodes = numNodes;
  const table = new Uint32Array(nodes * NODE_WORDS);
  const leafNode = new Int32Array(leaves.length);
  leaves.forEach((t, k) => {
    leafNode[k] = t.id;
  });
  const ordinal = new Map(leaves.map((t, k) => [t.id, k]));
  for (let id = 0; id < nodes; id++) {
    const w = id * NODE_WORDS;
    if (o.feature[id] < 0) {
      table[w] = 0xffffffff;
      table[w + 5] = ordinal.get(id)!;
    } else {
      table.set([o.feature[id], o.threshold[id], (o.defaultLeft[id] ? 1 : 0) | (o.isCategorical[id] ? 2 : 0), o.left[id], o.right[id]], w);
      table.set(o.catBits.subarray(8 * id, 8 * id + 8), w + 8);
    }
  }
  const bits = leaves.length <= 256 ? 8 : leaves.length <= 65536 ? 16 : 32;
  const per = 32 / bits,
    n = a.n,
    W = rows.words;
  const outBytes = Math.ceil(n / per) * 4;
  const out = r.alloc('hist leaf of row', outBytes);
  let words: Uint32Array;
  try {
    const rec = new Recorder(r);
    const nodeBuf = rec.data('hist tree', table);
    for (const [r0, r1] of rows.binWindows) {
      const count = Math.ceil((r1 - r0) / per);
      rec.dispatch(
        'route',
        { count, groups: bits, words: W, row0: r0, row1: r1, nfeat: nodes },
        {
          1: [rows.bins, (r1 - r0) * W * 4, r0 * W * 4],
          16: [nodeBuf, table.byteLength],
          17: [out, count * 4, (r0 / per) * 4],
        },
        Math.ceil(count / 256),
      );
    }
    rec.submit();
    words = new Uint32Array(await readBack(r, out, outBytes));
  } finally {
    r.release(out);
  }
  const mask = bits === 32 ? 0xffffffff : (1 << bits) - 1;
  const leafOf = (row: number) => leafNode[bits === 32 ? words[row] : (words[(row / per) | 0] >>> ((row % per) * bits)) & mask];
  if (a.leafOfRow) {
    if (a.rows) {
      a.leafOfRow.fill(-1, 0, n);
      for (const row of a.rows) a.leafOfRow[row] = leafOf(row);
    } else {
      for (let row = 0; row < n; row++) a.leafOfRow[row] = leafOf(row);
    }
  }
  if (a.scores) {
    const { scores, scoreStride: stride, scoreColumn: col, scale } = a;
    const v = new Float64Array(leaves.length);
    leaves.forEach((t, k) => {
      v[k] = scale * o.value[t.id];
    });
    if (bits === 8) {
      const bytes = new Uint8Array(words.buffer, 0, n);
      for (let row = 0; row < n; row++) scores[row * stride + col] += v[bytes[row]];
    } else {
      for (let row = 0; row < n; row++) {
        const k = bits === 32 ? words[row] : (words[(row / per) | 0] >>> ((row % per) * bits)) & mask;
        scores[row * stride + col] += v[k];
      }
    }
  }
}
