/**
 * A seeded fuzz of model files: byte flips and truncations (checksum failures) and structural
 * edits with every checksum recomputed (lengths, class lists, NaN, swapped types, deleted or
 * added fields, wrong class names, prototype keys). Every outcome is a clean E_MODEL_FORMAT on
 * load, or a model whose outputs on a fixed input are finite and shaped as the original's.
 */
import { describe, expect, it } from 'vitest';
import { decodeContainer, encodeContainer, type ContainerArray } from '../../src/core/container.js';
import { CsrMatrix } from '../../src/core/csr.js';
import { Rng } from '../../src/core/prng.js';
import { classesWithSchemas } from '../../src/deploy/fitted-schemas.js';
import * as kiln from '../../src/index.js';
import {
  ColumnTransformer,
  decodeModel,
  DecisionTreeClassifier,
  encodeModel,
  GaussianNB,
  KNeighborsClassifier,
  LinearRegression,
  LogisticRegression,
  Matrix,
  MinMaxScaler,
  MLPClassifier,
  OneHotEncoder,
  Pipeline,
  SimpleImputer,
  StandardScaler,
} from '../../src/index.js';

const N = 30;
const X = Array.from({ length: N }, (_, i) => [Math.sin(i) * 3 + 5, (i % 7) + 0.5, Math.exp((i % 9) / 3), ((i * 7) % 11) / 3]);
const Xnan = X.map((r, i) => r.map((v, j) => (i % 5 === j ? NaN : v)));
const yClass = X.map((r, i) => ['ant', 'bee', 'cat'][(Math.floor(r[0]) + i) % 3]);
const yReg = X.map((r) => r[0] * 2 - r[1] + 0.5 * r[2]);
const strings = X.map((_, i) => [['red', 'green', 'blue'][i % 3], `s${i % 4}`]);
const mixed = X.map((r, i) => [r[0], Xnan[i][1], strings[i][0]]);

type Model = Record<string, any>;
interface Kind {
  name: string;
  fit: () => Promise<Model>;
  input: unknown;
  method: 'predict' | 'predictProba' | 'transform';
}
const kinds: Kind[] = [
  { name: 'linear', fit: () => new LinearRegression().fit(X, yReg), input: X, method: 'predict' },
  { name: 'logistic', fit: () => new LogisticRegression().fit(X, yClass), input: X, method: 'predictProba' },
  { name: 'tree', fit: () => new DecisionTreeClassifier({ maxDepth: 3 }).fit(X, yClass), input: X, method: 'predictProba' },
  { name: 'mlp', fit: () => new MLPClassifier({ hiddenLayerSizes: [4], maxIter: 5, randomState: 1 }).fit(X, yClass), input: X, method: 'predictProba' },
  { name: 'knn', fit: () => new KNeighborsClassifier({ nNeighbors: 3 }).fit(X, yClass), input: X, method: 'predictProba' },
  { name: 'naive-bayes', fit: () => new GaussianNB().fit(X, yClass), input: X, method: 'predictProba' },
  { name: 'scaler', fit: () => new StandardScaler().fit(X), input: X, method: 'transform' },
  { name: 'minmax', fit: () => new MinMaxScaler().fit(X), input: X, method: 'transform' },
  { name: 'one-hot', fit: () => new OneHotEncoder({ handleUnknown: 'ignore' }).fit(strings), input: strings, method: 'transform' },
  {
    name: 'pipeline',
    fit: () =>
      new Pipeline([
        ['imp', new SimpleImputer()],
        ['scale', new StandardScaler()],
        ['clf', new LogisticRegression()],
      ]).fit(Xnan, yClass),
    input: Xnan,
    method: 'predictProba',
  },
  {
    name: 'column-transformer',
    fit: () =>
      new ColumnTransformer([
        [
          'num',
          new Pipeline([
            ['imp', new SimpleImputer()],
            ['scale', new StandardScaler()],
          ]),
          [0, 1],
        ],
        ['cat', new OneHotEncoder({ handleUnknown: 'ignore' }), [2]],
      ]).fit(mixed),
    input: mixed,
    method: 'transform',
  },
];

/** Rows, columns and whether every value is finite, of whatever the method returned. */
function shapeOf(out: unknown): { rows: number; cols: number; finite: boolean } {
  if (out instanceof Matrix) return { rows: out.rows, cols: out.cols, finite: Array.from(out.data).every(Number.isFinite) };
  if (out instanceof CsrMatrix) return { rows: out.rows, cols: out.cols, finite: Array.from(out.data).every(Number.isFinite) };
  if (ArrayBuffer.isView(out)) return { rows: (out as Float64Array).length, cols: 1, finite: Array.from(out as Float64Array).every(Number.isFinite) };
  throw new Error(`unexpected output ${String(out)}`);
}

// ---- the file's parts, and a file rebuilt from edited parts with valid checksums ------------

interface Parts {
  head: Record<string, unknown>;
  body: any;
  arrays: Record<string, ContainerArray>;
}
function split(bytes: Uint8Array): Parts {
  const { manifest, arrays } = decodeContainer(bytes, 'fuzz');
  const { arrays: _entries, ...head } = manifest;
  void _entries;
  const { body, ...rest } = arrays as Record<string, ContainerArray>;
  return { head, body: JSON.parse(Buffer.from(body as Uint8Array).toString('utf8')), arrays: rest };
}
function join(p: Parts): Uint8Array {
  return encodeContainer(p.head, { body: new TextEncoder().encode(JSON.stringify(p.body)), ...p.arrays });
}

/** Every (parent, key) in the kiln-plain JSON body, for picking where to edit. */
function slots(root: any): [any, string | number][] {
  const out: [any, string | number][] = [];
  const walk = (v: any) => {
    if (v === null || typeof v !== 'object') return;
    for (const k of Array.isArray(v) ? v.keys() : Object.keys(v)) {
      out.push([v, k]);
      walk(v[k]);
    }
  };
  walk(root);
  return out;
}

const CLASS_NAMES = ['StandardScaler', 'MinMaxScaler', 'LogisticRegression', 'Matrix', 'TreeEnsemble', 'Pipeline', 'OneHotEncoder', 'Rng', 'KFold', 'Frame'];
const VALUES: unknown[] = [
  { $num: 'NaN' },
  { $num: 'Infinity' },
  -1,
  0,
  1,
  2 ** 31,
  1e300,
  'x',
  '',
  null,
  true,
  [],
  [1, 2],
  { $object: {} },
  { $undefined: true },
  { $typed: 'Float64Array', data: [1, { $num: 'NaN' }] },
  { $map: [] },
  { $set: [] },
  { $instance: 'StandardScaler', fields: {} },
];

/** One structural edit of the body or of a typed array; returns a label for the outcome table. */
function mutate(p: Parts, rng: Rng): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.random() * xs.length)];
  const names = Object.keys(p.arrays);
  if (names.length && rng.random() < 0.3) {
    const name = pick(names),
      a = p.arrays[name] as Float64Array | Float32Array;
    const op = pick(['nan', 'shorter', 'longer', 'dtype', 'huge', 'empty']);
    if (op === 'nan') {
      const b = a.slice();
      if ((b.length && b instanceof Float64Array) || b instanceof Float32Array) b[Math.floor(rng.random() * b.length)] = NaN;
      else if (b.length) b[0] = -5;
      p.arrays[name] = b;
    }
    if (op === 'shorter') p.arrays[name] = a.slice(0, Math.max(0, a.length - 1 - Math.floor(rng.random() * 3)));
    if (op === 'longer') {
      const b = new (a.constructor as Float64ArrayConstructor)(a.length + 1 + Math.floor(rng.random() * 3));
      b.set(a as ArrayLike<number>);
      p.arrays[name] = b;
    }
    if (op === 'dtype') p.arrays[name] = a instanceof Float64Array ? Float32Array.from(a) : Float64Array.from(a as ArrayLike<number>);
    if (op === 'huge') {
      const b = a.slice();
      if (b.length) b[Math.floor(rng.random() * b.length)] = a instanceof Float64Array || a instanceof Float32Array ? 1e308 : 2 ** 30;
      p.arrays[name] = b;
    }
    if (op === 'empty') p.arrays[name] = new (a.constructor as Float64ArrayConstructor)(0);
    return `array:${op}`;
  }
  const all = slots(p.body.value);
  const [parent, key] = pick(all);
  const op = pick(['value', 'value', 'delete', 'class', 'grow', 'shrink', 'protoKey', 'extraField']);
  if (op === 'value') parent[key] = structuredClone(pick(VALUES));
  else if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (op === 'class') {
    const inst = all.map(([o]) => o).filter((o) => o && typeof o.$instance === 'string');
    if (inst.length) pick(inst).$instance = pick(CLASS_NAMES);
    else parent[key] = 'swapped';
  } else if (op === 'grow' || op === 'shrink') {
    const arrs = all.map(([o, k]) => o[k]).filter(Array.isArray);
    const arr = arrs.length ? pick(arrs) : undefined;
    if (arr && op === 'grow') arr.push(structuredClone(arr[arr.length - 1] ?? 0));
    else if (arr) arr.pop();
  } else if (op === 'protoKey' || op === 'extraField') {
    const objs = all.map(([o, k]) => o[k]).filter((o) => o && typeof o === 'object' && (o.fields || o.$object));
    const target = objs.length ? pick(objs) : p.body.value;
    const fields = target.fields ?? target.$object ?? target;
    const k = op === 'protoKey' ? pick(['__proto__', 'constructor', 'prototype']) : pick(['predict', 'transform', 'toString', 'extra']);
    Object.defineProperty(fields, k, { value: 1, enumerable: true, configurable: true, writable: true });
  }
  return `body:${op}`;
}

// ---- the run --------------------------------------------------------------------------------

interface Outcome {
  tried: number;
  rejectedOnLoad: number;
  loadedAndValid: number;
  byteLevel: number;
  structural: number;
  byOp: Record<string, [number, number]>;
}

async function outcomeOf(bytes: Uint8Array, kind: Kind, expected: { rows: number; cols: number }): Promise<'rejected' | 'valid'> {
  let model: Model;
  try {
    ({ model } = await decodeModel(bytes, 'fuzzed'));
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'E_MODEL_FORMAT') throw new Error(`load failed with ${code ?? (e as Error)?.name}: ${(e as Error)?.message}`);
    return 'rejected';
  }
  let out: unknown;
  try {
    out = await model[kind.method](kind.input);
  } catch (e) {
    throw new Error(`loaded, then ${kind.method} threw ${(e as { code?: string }).code ?? (e as Error)?.name}: ${(e as Error)?.message}`);
  }
  const s = shapeOf(out);
  if (!s.finite || s.rows !== expected.rows || s.cols !== expected.cols)
    throw new Error(`loaded, then ${kind.method} gave ${s.rows}×${s.cols} (finite: ${s.finite}), expected ${expected.rows}×${expected.cols}`);
  return 'valid';
}

describe('hostile: model-file fuzz', () => {
  it('1,100+ seeded mutations over eleven model kinds: E_MODEL_FORMAT on load, or finite outputs of the right shape', async () => {
    const rng = new Rng(20261205);
    const total: Outcome = { tried: 0, rejectedOnLoad: 0, loadedAndValid: 0, byteLevel: 0, structural: 0, byOp: {} };
    const failures: string[] = [];
    for (const kind of kinds) {
      const model = await kind.fit();
      const { bytes } = await encodeModel(model);
      const expected = shapeOf(await model[kind.method](kind.input));
      expect(await outcomeOf(bytes, kind, expected)).toBe('valid'); // the unmutated file is fine
      for (let c = 0; c < 110; c++) {
        let mutated: Uint8Array, op: string;
        if (c < 30) {
          mutated = bytes.slice();
          if (c % 2 === 0) {
            const i = Math.floor(rng.random() * mutated.length);
            mutated[i] ^= 1 << Math.floor(rng.random() * 8);
            op = 'bytes:flip';
          } else {
            mutated = mutated.subarray(0, Math.floor(rng.random() * mutated.length));
            op = 'bytes:truncate';
          }
          total.byteLevel++;
        } else {
          const parts = split(bytes);
          op = mutate(parts, rng);
          mutated = join(parts);
          total.structural++;
        }
        total.tried++;
        try {
          const r = await outcomeOf(mutated, kind, expected);
          const row = (total.byOp[op] ??= [0, 0]);
          if (r === 'rejected') {
            total.rejectedOnLoad++;
            row[0]++;
          } else {
            total.loadedAndValid++;
            row[1]++;
          }
          if (op.startsWith('bytes:') && r !== 'rejected') failures.push(`${kind.name} #${c} ${op}: a damaged file loaded`);
        } catch (e) {
          failures.push(`${kind.name} #${c} ${op}: ${(e as Error).message.slice(0, 300)}`);
        }
      }
    }
    console.log(
      `model-file fuzz: ${total.tried} cases (${total.byteLevel} byte-level, ${total.structural} structural with recomputed checksums): ` +
        `${total.rejectedOnLoad} rejected on load (E_MODEL_FORMAT), ${total.loadedAndValid} loaded and gave finite outputs of the right shape, ${failures.length} failures`,
    );
    console.log(`by mutation [rejected, loaded-and-valid]: ${JSON.stringify(total.byOp)}`);
    expect(failures).toEqual([]);
    expect(total.tried).toBeGreaterThanOrEqual(1000);
    expect(total.rejectedOnLoad + total.loadedAndValid).toBe(total.tried);
  }, 600_000);
});

/** Finds the first object in the body with this own key (depth-first), for targeted edits. */
function find(root: any, key: string): any {
  if (root === null || typeof root !== 'object') return undefined;
  if (Object.hasOwn(root, key)) return root;
  for (const v of Array.isArray(root) ? root : Object.values(root)) {
    const hit = find(v, key);
    if (hit) return hit;
  }
  return undefined;
}

async function crafted(model: Model, edit: (p: Parts) => void): Promise<Uint8Array> {
  const parts = split((await encodeModel(model)).bytes);
  edit(parts);
  return join(parts);
}

async function rejectedWith(bytes: Uint8Array, pattern: RegExp): Promise<void> {
  const err = await decodeModel(bytes, 'crafted').then(
    () => undefined,
    (e: unknown) => e as { code?: string; message: string },
  );
  expect(err, `accepted; expected ${pattern}`).toBeDefined();
  expect(err!.code, err!.message).toBe('E_MODEL_FORMAT');
  expect(err!.message).toMatch(pattern);
}

describe('hostile: crafted model files with valid checksums', () => {
  it('every exported class that fits states its fitted-state schema (load refuses a class without one)', () => {
    const fittable = Object.entries(kiln)
      .filter(
        ([, C]) =>
          typeof C === 'function' && ['fit', 'fitResample'].some((m) => typeof (C as { prototype?: Record<string, unknown> }).prototype?.[m] === 'function'),
      )
      .map(([, C]) => C);
    expect(fittable.length).toBeGreaterThan(40);
    const covered = new Set<unknown>(classesWithSchemas());
    expect(fittable.filter((C) => !covered.has(C)).map((C) => (C as { name: string }).name)).toEqual([]);
  });

  it('the structural cases the issue lists are E_MODEL_FORMAT naming what is wrong', async () => {
    const linear = await new LinearRegression().fit(X, yReg);
    const coefName = (p: Parts) => find(p.body.value, 'coef').coef.$object.$kilnArray as string;
    await rejectedWith(
      await crafted(linear, (p) => {
        p.arrays[coefName(p)] = new Float64Array(3);
      }),
      /state\.coef should be .*length 4/,
    );
    await rejectedWith(
      await crafted(linear, (p) => {
        find(p.body.value, 'coef').coef = 'abc';
      }),
      /state\.coef should be a Float64Array/,
    );
    await rejectedWith(
      await crafted(linear, (p) => {
        p.arrays[coefName(p)] = new Float32Array(4);
      }),
      /state\.coef should be a Float64Array/,
    );
    await rejectedWith(
      await crafted(linear, (p) => {
        (p.arrays[coefName(p)] as Float64Array)[1] = NaN;
      }),
      /state\.coef\[1\] should be a finite number/,
    );
    await rejectedWith(
      await crafted(linear, (p) => {
        delete find(p.body.value, 'intercept').intercept;
      }),
      /state\.intercept is missing/,
    );

    const logistic = await new LogisticRegression().fit(X, yClass);
    await rejectedWith(
      await crafted(logistic, (p) => {
        find(p.body.value, 'classes').classes = [];
      }),
      /state\.classes should be an array of at least 1/,
    );
    await rejectedWith(
      await crafted(logistic, (p) => {
        find(p.body.value, 'classes').classes = ['ant', 'ant', 'cat'];
      }),
      /distinct/,
    );
    await rejectedWith(
      await crafted(logistic, (p) => {
        find(p.body.value, 'classes').classes = ['ant', 'bee'];
      }),
      /state\.(coef|scores)/,
    ); // 2 classes score with 1 column, not 3

    const tree = await new DecisionTreeClassifier({ maxDepth: 3 }).fit(X, yClass);
    const thr = (p: Parts) => find(p.body.value, 'threshold').threshold.$object.$kilnArray as string;
    await rejectedWith(
      await crafted(tree, (p) => {
        (p.arrays[thr(p)] as Float64Array)[0] = NaN;
      }),
      /ensemble\.threshold\[0\] should be a finite number/,
    );
    await rejectedWith(
      await crafted(tree, (p) => {
        (p.arrays[thr(p)] as Float64Array)[0] = 1e300;
      }),
      /ensemble\.threshold\[0\] should be a finite number/,
    );
    await rejectedWith(
      await crafted(tree, (p) => {
        const f = find(p.body.value, 'feature').feature.$object.$kilnArray;
        (p.arrays[f] as Int32Array)[0] = 99;
      }),
      /splits on feature 99/,
    );

    const scaler = await new StandardScaler().fit(X);
    await rejectedWith(
      await crafted(scaler, (p) => {
        const s = find(p.body.value, 'scale').scale.$object.$kilnArray;
        p.arrays[s] = new Float64Array(3).fill(1);
      }),
      /affine\.scale should be .*length 4/,
    );
    await rejectedWith(
      await crafted(scaler, (p) => {
        p.body.value.$instance = 'MinMaxScaler';
        p.head.className = 'MinMaxScaler';
      }),
      /unexpected field 'fittedStats'|range is missing/,
    );
    await rejectedWith(
      await crafted(scaler, (p) => {
        p.body.value.$instance = 'Matrix';
        p.head.className = 'Matrix';
      }),
      /not a kiln estimator/,
    );
    await rejectedWith(
      await crafted(scaler, (p) => {
        p.body.value.fields.transform = 1;
      }),
      /unexpected field 'transform'/,
    );
    await rejectedWith(
      await crafted(scaler, (p) => {
        Object.defineProperty(p.body.value.fields, '__proto__', { value: { $object: {} }, enumerable: true });
      }),
      /__proto__/,
    );
    await rejectedWith(
      await crafted(scaler, (p) => {
        p.body.value.fields.constructor = 1;
      }),
      /constructor/,
    );
    await rejectedWith(
      await crafted(scaler, (p) => {
        p.body.value.fields.current.$object.bogus = 1;
      }),
      /saved parameters are not valid.*unknown parameter 'bogus'/,
    );

    const nb = await new GaussianNB().fit(X, yClass);
    await rejectedWith(
      await crafted(nb, (p) => {
        const t = find(p.body.value, 'theta').theta.$object.$kilnArray;
        p.arrays[t] = new Float64Array(4);
      }),
      /state\.theta should be .*length 12/,
    );
    const knn = await new KNeighborsClassifier({ nNeighbors: 3 }).fit(X, yClass);
    await rejectedWith(
      await crafted(knn, (p) => {
        const c = find(p.body.value, 'codes').codes.$object.$kilnArray;
        (p.arrays[c] as Int32Array)[0] = 7;
      }),
      /labels\.codes\[0\]/,
    );
    await rejectedWith(
      await crafted(knn, (p) => {
        find(p.body.value, 'current').current.$object.nNeighbors = -1;
      }),
      /saved parameters are not valid/,
    );
    const mlp = await new MLPClassifier({ hiddenLayerSizes: [4], maxIter: 2, randomState: 1 }).fit(X, yClass);
    await rejectedWith(
      await crafted(mlp, (p) => {
        const s = find(p.body.value, 'sizes').sizes.$object.$kilnArray;
        (p.arrays[s] as Int32Array)[1] = 5;
      }),
      /state\.net\.params should be \d+ weights/,
    );

    const onehot = await new OneHotEncoder().fit(strings);
    await rejectedWith(
      await crafted(onehot, (p) => {
        find(p.body.value, 'cats').cats[0] = [];
      }),
      /cats\[0\] should be an array of at least 1/,
    );
    const imputer = await new SimpleImputer().fit(Xnan);
    await rejectedWith(
      await crafted(imputer, (p) => {
        find(p.body.value, 'kept').kept[1] = 9;
      }),
      /state\.kept\[1\] should be an integer column index below p/,
    );
    await rejectedWith(
      await crafted(imputer, (p) => {
        const s = find(p.body.value, 'statistics').statistics.$object.$kilnArray;
        p.arrays[s] = new Float64Array(3);
      }),
      /state\.statistics should be .*length 4/,
    );

    // consistent feature counts between steps, and between a model and its manifest
    const on3 = await new LogisticRegression().fit(
      X.map((r) => r.slice(0, 3)),
      yClass,
    );
    await rejectedWith(
      (
        await encodeModel(
          new Pipeline([
            ['scale', scaler],
            ['clf', on3],
          ]),
        )
      ).bytes,
      /fitted on 3 columns but the step before it outputs 4/,
    );
    const ct = await new ColumnTransformer([
      ['num', new StandardScaler(), [0, 1]],
      ['cat', new OneHotEncoder(), [2]],
    ]).fit(mixed);
    await rejectedWith(
      await crafted(ct, (p) => {
        const r = find(p.body.value, 'resolved').resolved;
        r[0] = [0];
      }),
      /resolved\[0\] should be 2 column indices|fitted on 2 columns but is given 1/,
    );
    await rejectedWith(
      await crafted(logistic, (p) => {
        p.head.classes = ['x', 'y', 'z'];
      }),
      /manifest declares classes/,
    );
    await rejectedWith(
      await crafted(logistic, (p) => {
        p.head.nFeaturesIn = 5;
      }),
      /manifest declares 5 input columns/,
    );
  });
});
