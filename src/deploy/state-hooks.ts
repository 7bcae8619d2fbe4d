/**
 * The explicit, per-class exceptions to "a model file is its fields": estimators that hold a
 * live resource (a native or GPU k-NN index, a backend handle) write the data the resource is
 * built from instead, and rebuild it from that data on load. Rebuilding runs kiln's own code
 * (the same index build `fit` runs), never anything from the file.
 *
 * These hooks read the estimators' private fields by name (`state`, `current`): when a
 * neighbours or MLP class changes how it holds its fitted state, update its hook here (the
 * round-trip tests in test/deploy/model-file.test.ts fail if they drift apart).
 */
import { resolveKernels } from '../backend/select.js';
import { ModelFormatError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { KNeighborsClassifier, KNeighborsRegressor, NearestNeighbors } from '../models/neighbors/index.js';
import { MLPClassifier, MLPRegressor } from '../models/neural/index.js';

type Fields = Record<string, unknown>;

export interface StateHook {
  name: string;
  applies(o: object): boolean;
  /** The own fields to write in place of the live object's (the live object is left untouched). */
  save(fields: Fields): Fields;
  /** Rebuilds, on a freshly loaded object, what `save` left out. */
  restore(o: Fields, path: string): Promise<void>;
}

function checkMatrix(m: unknown, path: string): Matrix {
  const x = m as { data?: unknown; rows?: unknown; cols?: unknown };
  if (
    !(m instanceof Matrix) ||
    !(x.data instanceof Float32Array || x.data instanceof Float64Array) ||
    !Number.isSafeInteger(x.rows) ||
    !Number.isSafeInteger(x.cols) ||
    (x.rows as number) < 1 ||
    (x.cols as number) < 1 ||
    (x.rows as number) * (x.cols as number) !== x.data.length
  ) {
    throw new ModelFormatError(`${path} should be a matrix whose data holds rows × cols values`);
  }
  return m;
}

/** k-NN estimators: the index is rebuilt from the training matrix it was built over. */
const neighbors: StateHook = {
  name: 'k-nearest-neighbours index',
  applies: (o) => o instanceof KNeighborsClassifier || o instanceof KNeighborsRegressor || o instanceof NearestNeighbors,
  save(fields) {
    const st = fields.state as { X: Matrix } | undefined;
    return { ...fields, state: st === undefined ? undefined : { X: st.X } };
  },
  async restore(o, path) {
    const st = o.state as { X?: unknown } | undefined;
    if (st === undefined) return; // saved unfitted
    if (!st || typeof st !== 'object') throw new ModelFormatError(`${path}.state should hold the training matrix`);
    const X = checkMatrix(st.X, `${path}.state.X`);
    o.state = undefined;
    await (o as unknown as { fitIndex(X: Matrix): Promise<Matrix> }).fitIndex(X);
  },
};

/** MLPs: the backend's mlp kernels are resolved again on load; training callbacks (functions) are not written. */
const mlp: StateHook = {
  name: 'MLP backend handle',
  applies: (o) => o instanceof MLPClassifier || o instanceof MLPRegressor,
  save(fields) {
    const out = { ...fields };
    const st = fields.state as Fields | undefined;
    if (st !== undefined) out.state = { ...st, kernels: undefined };
    const params = fields.current as Fields | undefined;
    if (params && Array.isArray(params.callbacks)) out.current = { ...params, callbacks: [] };
    return out;
  },
  async restore(o, path) {
    const st = o.state as Fields | undefined;
    if (st === undefined) return;
    const net = st?.net as { params?: unknown; sizes?: unknown } | undefined;
    if (!st || typeof st !== 'object' || !net || !(net.params instanceof Float32Array) || !(net.sizes instanceof Int32Array)) {
      throw new ModelFormatError(`${path}.state should hold the network (sizes: Int32Array, params: Float32Array)`);
    }
    const choice = (o as unknown as { getParams(): { backend?: unknown } }).getParams().backend;
    st.kernels = (await resolveKernels('mlp', choice as Parameters<typeof resolveKernels>[1], 1, 'MLP load')).kernels;
  },
};

export const STATE_HOOKS: readonly StateHook[] = [neighbors, mlp];

export function hookFor(o: object): StateHook | undefined {
  return STATE_HOOKS.find((h) => h.applies(o));
}
