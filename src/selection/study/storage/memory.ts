/** The default study storage: trials in memory, gone with the process. */
import type { Distribution, FrozenTrial, NewTrial, ParamValue, StudyDirection, StudyStorage } from '../types.js';
import { attrJson, checkRunning, newRecord, TrialTable } from './rows.js';

export class InMemoryStorage implements StudyStorage {
  private readonly table = new TrialTable();

  constructor(
    readonly studyName: string,
    readonly direction: StudyDirection,
  ) {}

  createTrial(trial: NewTrial): number {
    const r = newRecord(this.table.length, trial.state, trial.systemAttrs);
    this.table.push(r);
    return r.number;
  }

  popWaitingTrial(): number | null {
    const r = this.table.find((t) => t.state === 'WAITING');
    if (!r) return null;
    r.state = 'RUNNING';
    r.datetimeStart = new Date();
    this.table.changed(r.number);
    return r.number;
  }

  setTrialParam(trial: number, name: string, value: ParamValue, distribution: Distribution): void {
    const r = checkRunning(this.table.record(trial), trial, 'take parameters');
    r.params[name] = value;
    r.distributions[name] = distribution;
    this.table.changed(trial);
  }

  setTrialIntermediateValue(trial: number, step: number, value: number): void {
    checkRunning(this.table.record(trial), trial, 'report values').intermediateValues[step] = value;
    this.table.changed(trial);
  }

  setTrialSystemAttr(trial: number, key: string, value: unknown): void {
    attrJson(key, value);
    checkRunning(this.table.record(trial), trial, 'take attributes').systemAttrs[key] = value;
    this.table.changed(trial);
  }

  setTrialUserAttr(trial: number, key: string, value: unknown): void {
    attrJson(key, value);
    checkRunning(this.table.record(trial), trial, 'take attributes').userAttrs[key] = value;
    this.table.changed(trial);
  }

  finishTrial(trial: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', value: number | null): void {
    const r = checkRunning(this.table.record(trial), trial, 'finish');
    r.state = state;
    r.value = value;
    r.datetimeComplete = new Date();
    this.table.changed(trial);
  }

  getTrial(trial: number): FrozenTrial {
    return this.table.rows()[trial];
  }

  getTrials(): readonly FrozenTrial[] {
    return this.table.rows();
  }

  refresh(): void {}
  close(): void {}
}
