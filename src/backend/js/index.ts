/**
 * Reference kernels in plain TypeScript: the oracle every other backend is tested
 * against, and the fallback when neither native nor webgpu can run. Written for
 * clarity and accuracy (f64 accumulation), not speed. One file per kernel family.
 */
import type { CpuBackend } from '../backend.js';
import { jsElementwise } from './elementwise.js';
import { jsGemm } from './gemm.js';
import { jsGroup } from './group.js';
import { jsHist } from './hist.js';
import { jsKmeans } from './kmeans.js';
import { jsKnn } from './knn.js';
import { jsLinalg } from './linalg.js';
import { jsLinear } from './linear.js';
import { jsMlp } from './mlp.js';
import { jsOrder } from './order.js';
import { jsReduce } from './reduce.js';
import { jsSvm } from './svm.js';
import { jsTsne } from './tsne.js';

export class JsBackend implements CpuBackend {
  readonly name = 'js' as const;
  readonly gemm = jsGemm;
  readonly reduce = jsReduce;
  readonly elementwise = jsElementwise;
  readonly knn = jsKnn;
  readonly linear = jsLinear;
  readonly mlp = jsMlp;
  readonly hist = jsHist;
  readonly group = jsGroup;
  readonly order = jsOrder;
  readonly kmeans = jsKmeans;
  readonly linalg = jsLinalg;
  readonly svm = jsSvm;
  readonly tsne = jsTsne;

  allocF32(length: number): Float32Array {
    return new Float32Array(length);
  }
}
