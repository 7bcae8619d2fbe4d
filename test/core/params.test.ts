/**
 * Declarative parameter constraints (core/params.ts): each builder accepts and refuses the right
 * values and says what it expects; the checker's message format; the Estimator hooks; and, for
 * every exported estimator, construction with its defaults and refusal of one invalid value per
 * parameter. Last, every hyperparameter of a *Params interface has a doc comment with its default.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { Estimator } from '../../src/core/estimator.js';
import { KilnError, ParamError } from '../../src/core/errors.js';
import {
  bool,
  checkParamSpecs,
  custom,
  fn,
  hint,
  int,
  invalidValue,
  list,
  nullable,
  num,
  oneOf,
  optional,
  pair,
  record,
  refine,
  showValue,
  str,
  union,
  type ParamSpec,
  type ParamSpecs,
} from '../../src/core/params.js';

/** The values a spec accepts and refuses. */
function expectSpec(s: ParamSpec<unknown>, accepted: unknown[], refused: unknown[]): void {
  for (const v of accepted) expect(s.accepts(v), `${s.expects} should accept ${showValue(v)}`).toBe(true);
  for (const v of refused) expect(s.accepts(v), `${s.expects} should refuse ${showValue(v)}`).toBe(false);
}

describe('builders', () => {
  it('num: a number, never NaN, within its bounds', () => {
    expect(num().expects).toBe('a number');
    expectSpec(num(), [0, -1.5, Infinity, -Infinity], [NaN, '1', null, undefined, true, [1]]);
    const nonNegative = num({ min: 0, finite: true });
    expect(nonNegative.expects).toBe('a finite number >= 0');
    expectSpec(nonNegative, [0, 1e300], [-1e-12, Infinity, NaN]);
    const positive = num({ min: 0, minExclusive: true });
    expect(positive.expects).toBe('a number > 0');
    expectSpec(positive, [1e-300, Infinity], [0, -1]);
    const share = num({ min: 0, max: 1, minExclusive: true });
    expect(share.expects).toBe('a number in (0, 1]');
    expectSpec(share, [1, 0.5], [0, 1.0001]);
    const open = num({ min: 0, max: 1, maxExclusive: true });
    expect(open.expects).toBe('a number in [0, 1)');
    expectSpec(open, [0, 0.999], [1, -0.1]);
    expect(num({ max: 5 }).expects).toBe('a number <= 5');
    expect(num({ max: 5, maxExclusive: true }).expects).toBe('a number < 5');
    expect(num({ finite: true }).expects).toBe('a finite number');
    expect(num({ min: 0, max: 100, finite: true }).expects).toBe('a number in [0, 100]'); // both bounds: finite goes without saying
  });

  it('int: whole numbers within the bounds', () => {
    expect(int().expects).toBe('an integer');
    expect(int({ min: 1 }).expects).toBe('an integer >= 1');
    expect(int({ min: 2, max: 255 }).expects).toBe('an integer in [2, 255]');
    expect(int({ min: 2, max: 255 }).plural).toBe('integers in [2, 255]');
    expectSpec(int({ min: 1 }), [1, 2 ** 40], [0, 1.5, Infinity, NaN, '2']);
    expectSpec(int(), [-3, 0], [0.1, -Infinity]);
  });

  it('bool, str, fn', () => {
    expectSpec(bool(), [true, false], [0, 1, 'true', null, undefined]);
    expect(bool().expects).toBe('a boolean');
    expectSpec(str(), ['', 'a'], [1, null, ['a']]);
    expectSpec(str({ nonEmpty: true }), ['a'], ['']);
    expect(str({ nonEmpty: true }).expects).toBe('a non-empty string');
    expectSpec(fn(), [Math.log, () => 1, class {}], ['log', {}, null]);
    expect(fn().expects).toBe('a function');
  });

  it('oneOf: exactly the values listed (NaN matches NaN), described as a list', () => {
    const s = oneOf('l2', 'l1', 'max');
    expect(s.expects).toBe("'l2', 'l1' or 'max'");
    expectSpec(s, ['l2', 'max'], ['L2', 'toString', 'constructor', 2, null, undefined]);
    expect(oneOf('auto').expects).toBe("'auto'");
    expectSpec(oneOf(NaN, null), [NaN, null], [undefined, 0, 'NaN']);
    expectSpec(oneOf('first', undefined), ['first', undefined], [null, 'last']);
    expect(oneOf('first', undefined).expects).toBe("'first' or undefined");
  });

  it('union, nullable, optional: any member, the alternatives listed once', () => {
    const smooth = union(oneOf('auto'), num({ min: 0 }));
    expect(smooth.expects).toBe("'auto' or a number >= 0");
    expectSpec(smooth, ['auto', 0, 3.5], ['Auto', -1, NaN]);
    const maxFeatures = nullable(union(oneOf('sqrt', 'log2'), num({ min: 0, max: 1, minExclusive: true }), int({ min: 2 })));
    expect(maxFeatures.expects).toBe("null, 'sqrt', 'log2', a number in (0, 1] or an integer >= 2");
    expectSpec(maxFeatures, [null, 'sqrt', 0.3, 1, 2, 7], [undefined, 0, 1.5, 'all']);
    expect(nullable(int({ min: 1 })).expects).toBe('null or an integer >= 1');
    expect(optional(int({ min: 1 })).expects).toBe('undefined or an integer >= 1');
    expectSpec(optional(int({ min: 1 })), [undefined, 3], [null, 0]);
  });

  it('list: an array of items the item spec accepts, optionally non-empty and distinct', () => {
    const s = list(int({ min: 1 }));
    expect(s.expects).toBe('a list of integers >= 1');
    expectSpec(s, [[], [1, 2]], [[0], [1, 1.5], 'abc', { length: 0 }, null]);
    const parts = list(oneOf('year', 'month'), { minLength: 1 });
    expect(parts.expects).toBe("a non-empty list of values from 'year', 'month'");
    expectSpec(parts, [['year'], ['month', 'year']], [[], ['week']]);
    const distinct = list(str(), { minLength: 1, distinct: true });
    expect(distinct.expects).toBe('a non-empty list of distinct strings');
    expectSpec(distinct, [['a', 'b']], [['a', 'a']]);
    expect(list(bool(), { minLength: 3 }).expects).toBe('a list of booleans (at least 3)');
    const nested = list(list(union(str(), num({ finite: true })), { minLength: 1 }));
    expect(nested.expects).toBe('a list of non-empty lists of strings or finite numbers');
    expectSpec(nested, [[['a', 1]], []], [[[]], [[Infinity]]]);
  });

  it('pair: [low, high] of items in order', () => {
    const strict = pair(num({ min: 0, max: 100 }), '<');
    expect(strict.expects).toBe('a pair [low, high] of numbers in [0, 100] with low < high');
    expectSpec(
      strict,
      [
        [25, 75],
        [0, 100],
      ],
      [[50, 50], [80, 20], [-1, 5], [5, 101], [1, 2, 3], [1], 'ab', null],
    );
    expectSpec(
      pair(int({ min: 1 }), '<='),
      [
        [1, 1],
        [1, 3],
      ],
      [
        [2, 1],
        [0, 1],
        [1.5, 2],
      ],
    );
  });

  it('record: a plain object whose values pass', () => {
    const s = record(num({ min: 0, finite: true }));
    expect(s.expects).toBe('an object whose values are finite numbers >= 0');
    expectSpec(s, [{}, { a: 1, b: 0 }, Object.assign(Object.create(null), { x: 2 })], [{ a: -1 }, { a: 'x' }, [1, 2], new Map(), null, 'a']);
  });

  it('refine, hint, custom', () => {
    const priors = refine(list(num({ min: 0 })), 'summing to 1', (ps) => Math.abs(ps.reduce((a, b) => a + b, 0) - 1) <= 1e-9);
    expect(priors.expects).toBe('a list of numbers >= 0 summing to 1');
    expectSpec(priors, [[0.25, 0.75], [1]], [[0.2, 0.2], [-0.5, 1.5], 'x']);
    const h = hint(oneOf(1), 'use ElasticNet');
    expect(h.expects).toBe('1 (use ElasticNet)');
    expectSpec(h, [1], [0.5]);
    const even = custom<number>('an even number', (v) => typeof v === 'number' && v % 2 === 0, { probes: [3] });
    expect(even.expects).toBe('an even number');
    expect(even.plural).toBe('values that are each an even number');
    expectSpec(even, [2, 0], [3, '2']);
    expect(invalidValue(even)).toEqual({ value: 3 });
  });
});

describe('showValue', () => {
  it('quotes strings, abbreviates lists and objects, names class instances', () => {
    expect(showValue('l3')).toBe("'l3'");
    expect(showValue('a\nb')).toBe("'a\\nb'");
    expect(showValue(NaN)).toBe('NaN');
    expect(showValue(-0)).toBe('-0');
    expect(showValue(1e9)).toBe('1000000000');
    expect(showValue(undefined)).toBe('undefined');
    expect(showValue(null)).toBe('null');
    expect(showValue([1, 'a', [2, [3]]])).toBe("[1, 'a', [2, […]]]");
    expect(showValue(Array.from({ length: 10 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, 5, 6, 7, …]');
    expect(showValue({ a: 1, b: 'x' })).toBe("{ a: 1, b: 'x' }");
    expect(showValue({})).toBe('{}');
    expect(showValue(new Map())).toBe('a Map');
    expect(showValue(new Float64Array(2))).toBe('a Float64Array');
    expect(showValue(() => 1)).toBe('a function');
    expect(showValue('x'.repeat(100))).toBe(`'${'x'.repeat(60)}…'`);
  });
});

describe('invalidValue', () => {
  it('finds a refused value for every builder, never undefined', () => {
    const specs: ParamSpec<unknown>[] = [
      num(),
      num({ min: 0, max: 1 }),
      int({ min: 1 }),
      bool(),
      str(),
      fn(),
      oneOf('a', 'b'),
      oneOf(undefined, null, 'not-an-option'),
      union(oneOf('auto'), num()),
      optional(bool()),
      nullable(int()),
      list(int()),
      pair(num(), '<'),
      record(num()),
      refine(num(), 'that is even', (v) => v % 2 === 0),
    ];
    for (const s of specs) {
      const inv = invalidValue(s);
      expect(inv, s.expects).toBeDefined();
      expect(inv!.value).not.toBeUndefined();
      expect(s.accepts(inv!.value), s.expects).toBe(false);
    }
  });

  it('is undefined for a spec that refuses nothing it can try', () => {
    expect(invalidValue(custom('anything', () => true))).toBeUndefined();
  });
});

describe('checkParamSpecs', () => {
  interface P {
    alpha: number;
    norm: 'l1' | 'l2';
    tol: number | null;
  }
  const specs: ParamSpecs<P> = { alpha: num({ min: 0, finite: true }), norm: oneOf('l1', 'l2'), tol: nullable(num({ min: 0 })) };

  it('passes a valid set', () => {
    expect(() => checkParamSpecs('Model', { alpha: 1, norm: 'l2', tol: null }, specs)).not.toThrow();
  });

  it('throws a ParamError "<owner>: <name> must be <expects>, got <value>" for the first refused', () => {
    const e = (() => {
      try {
        checkParamSpecs('Model', { alpha: -1, norm: 'l3' as 'l1', tol: null }, specs);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(ParamError);
    expect(e).toMatchObject({ code: 'E_PARAM', message: 'Model: alpha must be a finite number >= 0, got -1' });
    expect(() => checkParamSpecs('Model', { alpha: 1, norm: 'l3' as 'l1', tol: null }, specs)).toThrow("Model: norm must be 'l1' or 'l2', got 'l3'");
    expect(() => checkParamSpecs('Model', { alpha: 1, norm: 'l1', tol: -1 }, specs)).toThrow('Model: tol must be null or a number >= 0, got -1');
  });

  it('a parameter without a spec is an internal error, not a silent pass', () => {
    const p = { alpha: 1, norm: 'l1', tol: null, extra: 1 } as P;
    expect(() => checkParamSpecs('Model', p, specs)).toThrowError(expect.objectContaining({ code: 'E_INTERNAL' }));
    expect(() => checkParamSpecs('Model', p, specs)).toThrow(KilnError);
  });
});

describe('Estimator with paramSpecs and checkTogether', () => {
  interface ToyParams {
    k: number;
    mode: 'a' | 'b';
    limit: number | undefined;
  }
  const SPECS: ParamSpecs<ToyParams> = { k: int({ min: 1 }), mode: oneOf('a', 'b'), limit: optional(num({ min: 0 })) };
  class Toy extends Estimator<ToyParams> {
    constructor(params: Partial<ToyParams> = {}) {
      super({ k: 1, mode: 'a', limit: undefined }, params);
    }
    protected get paramSpecs(): ParamSpecs<ToyParams> {
      return SPECS;
    }
    protected override checkTogether(p: ToyParams): void {
      if (p.mode === 'b' && p.limit === undefined) throw new ParamError("Toy: mode 'b' needs limit");
    }
  }

  it('checks on construction, setParams and clone; a refused setParams changes nothing', () => {
    expect(new Toy().getParams()).toEqual({ k: 1, mode: 'a', limit: undefined });
    expect(() => new Toy({ k: 0 })).toThrow('Toy: k must be an integer >= 1, got 0');
    expect(() => new Toy({ mode: 'b' })).toThrow("Toy: mode 'b' needs limit");
    const t = new Toy({ mode: 'b', limit: 3 });
    expect(() => t.setParams({ limit: -1 })).toThrow('Toy: limit must be undefined or a number >= 0, got -1');
    expect(t.getParams()).toEqual({ k: 1, mode: 'b', limit: 3 });
    expect(t.setParams({ k: 4 }).clone().getParams()).toEqual({ k: 4, mode: 'b', limit: 3 });
    // an unknown key is still refused before any spec runs
    expect(() => new Toy({ kk: 1 } as never)).toThrow("Toy: unknown parameter 'kk'; known parameters are k, mode, limit");
  });

  it('keeps the specs off the instance (instance fields are what a model file saves)', () => {
    expect(Object.keys(new Toy())).not.toContain('paramSpecs');
  });
});

type EstimatorClass = new (params?: Record<string, unknown>) => Estimator<Record<string, unknown>>;
/** The (protected) spec table of an estimator. */
const specsOf = (e: object) => (e as unknown as { paramSpecs: ParamSpecs<Record<string, unknown>> }).paramSpecs;

const exported = Object.entries(await import('../../src/index.js'))
  .filter(([, v]) => typeof v === 'function' && typeof (v as { prototype?: { getParams?: unknown } }).prototype?.getParams === 'function')
  .filter(([name]) => name !== 'Estimator' && name !== 'Transformer' && name !== 'Selector') // the abstract bases a user extends
  .filter(([, v]) => (v as { prototype?: unknown }).prototype instanceof Estimator) // Pipeline has getParams too, but no spec table
  .sort(([a], [b]) => (a < b ? -1 : 1)) as [string, EstimatorClass][];

/** Every parameter of every exported estimator, with the invalid value its spec produces (or none). */
const cases = exported.flatMap(([name, C]) => {
  const specs = specsOf(new C());
  return Object.entries(specs).map(([param, s]) => [name, param, invalidValue(s as ParamSpec<unknown>)] as const);
});

describe('every exported estimator', () => {
  it('is enumerated (the classes with getParams)', () => {
    expect(exported.length).toBeGreaterThanOrEqual(44);
    expect(exported.map(([n]) => n)).toContain('GradientBoostingClassifier');
  });

  it.each(exported)('%s constructs with its defaults, one spec per parameter', (_name, C) => {
    const est = new C();
    expect(Object.keys(specsOf(est)).sort()).toEqual(Object.keys(est.getParams()).sort());
    expect(() => new C(est.getParams())).not.toThrow();
  });

  it('has a spec that can produce an invalid value for every parameter', () => {
    expect(cases.filter(([, , inv]) => inv === undefined).map(([n, p]) => `${n}.${p}`)).toEqual([]);
  });

  it.each(cases.filter(([, , inv]) => inv !== undefined))('%s refuses an invalid %s (construction and setParams)', (name, param, inv) => {
    const C = exported.find(([n]) => n === name)![1];
    const message = new RegExp(`^${name}: ${param} must be `);
    let err: unknown;
    try {
      new C({ [param]: inv!.value });
    } catch (e) {
      err = e;
    }
    expect(err, `${name}({ ${param}: ${showValue(inv!.value)} })`).toBeInstanceOf(ParamError);
    expect((err as Error).message).toMatch(message);
    const est = new C();
    const before = est.getParams();
    expect(() => est.setParams({ [param]: inv!.value })).toThrow(message);
    expect(est.getParams()).toEqual(before);
  });
});

describe('hyperparameter docs (#15)', () => {
  /** Every property of every exported `*Params` interface under src/, with its doc comment (or ''). */
  function documented(): { where: string; doc: string }[] {
    const out: { where: string; doc: string }[] = [];
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
    for (const file of walk(join(import.meta.dirname, '../../src'))) {
      if (file.includes(`${join('src', 'backend')}`)) continue; // kernel argument types, not hyperparameters
      const text = readFileSync(file, 'utf8');
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
      sf.forEachChild((node) => {
        if (!ts.isInterfaceDeclaration(node) || !node.name.text.endsWith('Params')) return;
        for (const m of node.members) {
          if (!ts.isPropertySignature(m)) continue;
          const doc = (ts.getLeadingCommentRanges(text, m.getFullStart()) ?? [])
            .map((r) => text.slice(r.pos, r.end))
            .filter((c) => c.startsWith('/**'))
            .join('\n');
          out.push({ where: `${node.name.text}.${m.name.getText(sf)}`, doc });
        }
      });
    }
    return out;
  }

  it('every hyperparameter has a TSDoc comment that states its default', () => {
    const all = documented();
    expect(all.length).toBeGreaterThan(150);
    expect(all.filter((p) => !/Default: /.test(p.doc)).map((p) => p.where)).toEqual([]);
  });
});
