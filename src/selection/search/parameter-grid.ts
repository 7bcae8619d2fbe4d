/**
 * scikit-learn's ParameterGrid: every combination of a grid's values, for one grid or a list of
 * grids, in scikit-learn's order (grids in turn; within a grid the keys sorted, the last key
 * varying fastest).
 */
import { ParamError } from '../../core/errors.js';

/** Parameter name (a '__' path for nested ones) → the values to try. */
export type ParamGridSpec = Record<string, readonly unknown[]>;

function checkGrid(grid: unknown, where: string): [string, readonly unknown[]][] {
  if (grid === null || typeof grid !== 'object' || Array.isArray(grid)) {
    throw new ParamError(`${where} must be an object of parameter name → array of values, e.g. { alpha: [0.1, 1, 10] }, got ${String(grid)}`);
  }
  const items = Object.entries(grid as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [k, v] of items) {
    if (!Array.isArray(v)) throw new ParamError(`${where}: parameter '${k}' needs an array of values to try, got ${typeof v}`);
    if (v.length === 0) throw new ParamError(`${where}: parameter '${k}' has an empty list of values; give at least one`);
  }
  return items as [string, readonly unknown[]][];
}

export class ParameterGrid implements Iterable<Record<string, unknown>> {
  private readonly grids: [string, readonly unknown[]][][];

  /** One grid or a list of grids; each grid maps a parameter name to a non-empty array of values. */
  constructor(paramGrid: ParamGridSpec | readonly ParamGridSpec[]) {
    const list = Array.isArray(paramGrid) ? paramGrid : [paramGrid];
    if (list.length === 0) throw new ParamError('ParameterGrid: the grid list is empty; give at least one grid such as { alpha: [0.1, 1] }');
    this.grids = list.map((g, i) => checkGrid(g, Array.isArray(paramGrid) ? `ParameterGrid: grid ${i}` : 'ParameterGrid: the grid'));
  }

  /** The number of combinations over all grids. */
  get length(): number {
    return this.grids.reduce((a, g) => a + g.reduce((b, [, v]) => b * v.length, 1), 0);
  }

  /** Every parameter name any grid sets. */
  get paramNames(): string[] {
    return [...new Set(this.grids.flatMap((g) => g.map(([k]) => k)))].sort();
  }

  /** The i-th combination (scikit-learn's ParameterGrid[i]). */
  at(i: number): Record<string, unknown> {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new ParamError(`ParameterGrid.at: index ${i} is outside 0..${this.length - 1}`);
    let rest = i;
    for (const g of this.grids) {
      const total = g.reduce((b, [, v]) => b * v.length, 1);
      if (rest >= total) {
        rest -= total;
        continue;
      }
      const out: Record<string, unknown> = {};
      for (let k = g.length - 1; k >= 0; k--) {
        const [name, values] = g[k];
        out[name] = values[rest % values.length];
        rest = Math.floor(rest / values.length);
      }
      return Object.fromEntries(g.map(([name]) => [name, out[name]]));
    }
    throw new ParamError('ParameterGrid.at: unreachable');
  }

  *[Symbol.iterator](): Iterator<Record<string, unknown>> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  /** Every combination, in order. */
  toArray(): Record<string, unknown>[] {
    return [...this];
  }
}
