/**
 * Hostile model files for every importer: truncated and mutated files, huge declared sizes,
 * cycles, unknown objectives. Each ends in E_MODEL_FORMAT (or E_UNSUPPORTED for a known thing
 * kiln cannot express) or in a model that predicts, never in another error or a hang.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromLightGBM, fromXGBoost, KilnError } from '../../src/index.js';

const xgb = readFileSync(new URL('../fixtures/xgboost/iris.multi_softprob.model.json', import.meta.url), 'utf8');
const xgbCat = readFileSync(new URL('../fixtures/xgboost/synthetic.categorical.model.json', import.meta.url), 'utf8');
const lgb = readFileSync(new URL('../fixtures/lightgbm/synthetic.categorical.txt', import.meta.url), 'utf8');
const lgbBinary = readFileSync(new URL('../fixtures/lightgbm/breast_cancer.binary.txt', import.meta.url), 'utf8');
const code = (c: string) => expect.objectContaining({ code: c });

/** Import, then predict two rows: only KilnErrors with the allowed codes may come out. */
async function survives(load: () => { predictSync(X: number[][]): unknown; nFeaturesIn: number }): Promise<string> {
  try {
    const m = load();
    const p = m.nFeaturesIn;
    m.predictSync([Array.from({ length: p }, (_, i) => i - 1), Array.from({ length: p }, () => NaN)]);
    return 'ok';
  } catch (e) {
    if (!(e instanceof KilnError)) throw e;
    expect(['E_MODEL_FORMAT', 'E_UNSUPPORTED']).toContain(e.code);
    return e.code;
  }
}

let seed = 12345;
const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;

describe('importers refuse hostile files', () => {
  it('truncated files at many lengths', async () => {
    for (const text of [xgb, xgbCat])
      for (let cut = 0; cut < text.length; cut += Math.max(1, Math.floor(text.length / 60))) await survives(() => fromXGBoost(text.slice(0, cut)) as never);
    for (const text of [lgb, lgbBinary]) {
      for (let cut = 0; cut < text.length; cut += Math.max(1, Math.floor(text.length / 80))) {
        const r = await survives(() => fromLightGBM(text.slice(0, cut)) as never);
        if (cut < text.indexOf('end of trees') + 12) expect(r).not.toBe('ok'); // a cut before 'end of trees' is found out
      }
    }
  });

  it('mutated bytes and numbers', async () => {
    const digits = '0123456789-.eE';
    for (let k = 0; k < 300; k++) {
      for (const [text, load] of [
        [xgb, fromXGBoost],
        [xgbCat, fromXGBoost],
        [lgb, fromLightGBM],
        [lgbBinary, fromLightGBM],
      ] as const) {
        const chars = text.split('');
        for (let j = 0; j < 3; j++) {
          const at = rand(chars.length);
          if (/[0-9]/.test(chars[at])) chars[at] = digits[rand(digits.length)];
          else if (rand(4) === 0) chars[at] = String.fromCharCode(32 + rand(90));
        }
        await survives(() => (load as (t: string) => never)(chars.join('')));
      }
    }
  });

  it('huge declared sizes are refused before anything is allocated', () => {
    expect(() => fromXGBoost(xgb.replace('"num_class":"3"', '"num_class":"999999999"'))).toThrow(code('E_MODEL_FORMAT'));
    expect(() => fromXGBoost(xgb.replace('"num_feature":"4","num_target"', '"num_feature":"4000000000","num_target"'))).toThrow(code('E_MODEL_FORMAT'));
    expect(() => fromXGBoost(xgb.replace(/"num_nodes":"\d+"/, '"num_nodes":"1000000000000"'))).toThrow(code('E_MODEL_FORMAT'));
    expect(() => fromLightGBM(lgb.replace('num_leaves=4', 'num_leaves=999999999999'))).toThrow(code('E_MODEL_FORMAT'));
    expect(() => fromLightGBM(lgb.replace('max_feature_idx=1', 'max_feature_idx=99999999999'))).toThrow(code('E_MODEL_FORMAT'));
    expect(() => fromLightGBM(lgb.replace('cat_boundaries=0 3 5', 'cat_boundaries=0 3 99999999'))).toThrow(code('E_MODEL_FORMAT'));
  });

  it('cycles, shared subtrees and out-of-range children are E_MODEL_FORMAT', () => {
    expect(() => fromLightGBM(lgb.replace('left_child=1 -1 -3', 'left_child=1 0 -3'))).toThrow(/reached twice/);
    expect(() => fromLightGBM(lgb.replace('left_child=1 -1 -3', 'left_child=1 -1 -9'))).toThrow(code('E_MODEL_FORMAT'));
    const doc = JSON.parse(xgb);
    doc.learner.gradient_booster.model.trees[0].left_children[1] = 0;
    expect(() => fromXGBoost(doc)).toThrow(code('E_MODEL_FORMAT'));
    const outside = JSON.parse(xgb);
    outside.learner.gradient_booster.model.tree_info[0] = 7;
    expect(() => fromXGBoost(outside)).toThrow(/writes to output 7/);
  });

  it('unknown objectives and boosters are E_MODEL_FORMAT; known ones kiln cannot express E_UNSUPPORTED', () => {
    expect(() => fromXGBoost(xgb.replace('"name":"multi:softprob"', '"name":"multi:mystery"'))).toThrow(code('E_MODEL_FORMAT'));
    expect(() => fromXGBoost(xgb.replace('"name":"multi:softprob"', '"name":"count:poisson"'))).toThrow(code('E_UNSUPPORTED'));
    expect(() => fromXGBoost(xgb.replace('"name":"gbtree"', '"name":"gbmystery"'))).toThrow(code('E_MODEL_FORMAT'));
    expect(() => fromLightGBM(lgb.replace('objective=regression', 'objective=mystery'))).toThrow(code('E_MODEL_FORMAT'));
    expect(() => fromLightGBM(lgb.replace('objective=regression', 'objective=poisson'))).toThrow(code('E_UNSUPPORTED'));
    expect(() => fromLightGBM(lgb.replace('is_linear=0', 'is_linear=1'))).toThrow(code('E_UNSUPPORTED'));
  });

  it('wrong kinds of input are E_MODEL_FORMAT', () => {
    for (const v of ['', 'null', '[]', '{"learner":null}', 'tree\n', new Uint8Array([0x55, 0x42, 0x4a])]) {
      expect(() => fromXGBoost(v as never)).toThrow(code('E_MODEL_FORMAT'));
      expect(() => fromLightGBM(v as never)).toThrow(code('E_MODEL_FORMAT'));
    }
    expect(() => fromXGBoost(null as never)).toThrow(code('E_MODEL_FORMAT'));
    expect(() => fromLightGBM(42 as never)).toThrow(code('E_MODEL_FORMAT'));
  });
});
