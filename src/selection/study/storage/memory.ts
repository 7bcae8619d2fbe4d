/** The default study storage: trials in memory, gone with the process. */
import type { Distribution, FrozenTrial, NewTrial, ParamValue, StudyDirection, StudyStorage } from '../types.js';
import { attrJson, checkRunning, freeze, newRecord, type TrialRecord } from './rows.js';

export class InMemoryStorage implements StudyStorage {
  private readonly rows: TrialRecord[] = [];
  private frozen: FrozenTrial[] | null = null;

  constructor(
    readonly studyName: string,
    readonly direction: StudyDirection,
  ) {}

  private changed(): void {
    this.frozen = null;
  }

  createTrial(trial: NewTrial): number {
    const r = newRecord(this.rows.length, trial.state, trial.systemAttrs);
    this.rows.push(r);
    this.changed();
    return r.number;
  }

  popWaitingTrial(): number | null {
    const r = this.rows.find((t) => t.state === 'WAITING');
    if (!r) return null;
    r.state = 'RUNNING';
    r.datetimeStart = new Date();
    this.changed();
    return r.number;
  }

  setTrialParam(trial: number, name: string, value: ParamValue, distribution: Distribution): void {
    const r = checkRunning(this.rows[trial], trial, 'take parameters');
    r.params[name] = value;
    r.distributions[name] = distribution;
    this.changed();
  }

  setTrialIntermediateValue(trial: number, step: number, value: number): void {
    checkRunning(this.rows[trial], trial, 'report values').intermediateValues[step] = value;
    this.changed();
  }

  setTrialSystemAttr(trial: number, key: string, value: unknown): void {
    attrJson(key, value);
    checkRunning(this.rows[trial], trial, 'take attributes').systemAttrs[key] = value;
    this.changed();
  }

  setTrialUserAttr(trial: number, key: string, value: unknown): void {
    attrJson(key, value);
    checkRunning(this.rows[trial], trial, 'take attributes').userAttrs[key] = value;
    this.changed();
  }

  finishTrial(trial: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', value: number | null): void {
    const r = checkRunning(this.rows[trial], trial, 'finish');
    r.state = state;
    r.value = value;
    r.datetimeComplete = new Date();
    this.changed();
  }

  getTrial(trial: number): FrozenTrial {
    return this.getTrials()[trial];
  }

  getTrials(): readonly FrozenTrial[] {
    this.frozen ??= this.rows.map(freeze);
    return this.frozen;
  }

  refresh(): void {}
  close(): void {}
}
