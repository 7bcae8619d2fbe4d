/** The mutable trial record both storages keep, and the checks their writes share. */
import { ParamError } from '../../../core/errors.js';
import type { Distribution, FrozenTrial, ParamValue, TrialState } from '../types.js';

export interface TrialRecord {
  number: number;
  state: TrialState;
  value: number | null;
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  intermediateValues: Record<number, number>;
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
  datetimeStart: Date | null;
  datetimeComplete: Date | null;
}

export function newRecord(number: number, state: TrialState, systemAttrs: Record<string, unknown> = {}): TrialRecord {
  return {
    number,
    state,
    value: null,
    params: {},
    distributions: {},
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: { ...systemAttrs },
    datetimeStart: state === 'RUNNING' ? new Date() : null,
    datetimeComplete: null,
  };
}

/** A frozen copy (rows handed out never change under the caller). */
export function freeze(r: TrialRecord): FrozenTrial {
  return Object.freeze({
    ...r,
    params: Object.freeze({ ...r.params }),
    distributions: Object.freeze({ ...r.distributions }),
    intermediateValues: Object.freeze({ ...r.intermediateValues }),
    userAttrs: Object.freeze({ ...r.userAttrs }),
    systemAttrs: Object.freeze({ ...r.systemAttrs }),
  });
}

export function checkRunning(r: TrialRecord | undefined, number: number, what: string): TrialRecord {
  if (!r) throw new ParamError(`study storage: no trial number ${number}`);
  if (r.state !== 'RUNNING') throw new ParamError(`study storage: trial ${number} is ${r.state}, so it cannot ${what}; only a RUNNING trial can`);
  return r;
}

/** JSON for attribute values, refusing what would not come back the same. */
export function attrJson(key: string, value: unknown): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(value);
  } catch (e) {
    throw new ParamError(`study storage: attribute '${key}' is not JSON-serialisable (${(e as Error).message})`);
  }
  if (s === undefined) throw new ParamError(`study storage: attribute '${key}' is not JSON-serialisable (got ${typeof value})`);
  return s;
}

/** The records of a study with their frozen rows, re-frozen one at a time as they change. */
export class TrialTable {
  private records: TrialRecord[] = [];
  private frozen: FrozenTrial[] = [];
  private list: FrozenTrial[] | null = null;

  get length(): number {
    return this.records.length;
  }

  record(n: number): TrialRecord | undefined {
    return this.records[n];
  }

  find(pred: (r: TrialRecord) => boolean): TrialRecord | undefined {
    return this.records.find(pred);
  }

  push(r: TrialRecord): void {
    this.records[r.number] = r;
    this.changed(r.number);
  }

  /** Re-freezes record n after a change. */
  changed(n: number): void {
    this.frozen[n] = freeze(this.records[n]);
    this.list = null;
  }

  replaceAll(records: TrialRecord[]): void {
    this.records = records;
    this.frozen = records.map(freeze);
    this.list = null;
  }

  rows(): readonly FrozenTrial[] {
    this.list ??= this.frozen.slice();
    return this.list;
  }
}
