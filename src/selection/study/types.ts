/**
 * The shapes a study is made of: parameter distributions, trial rows (Optuna's FrozenTrial),
 * and the interfaces samplers, pruners and storages implement.
 */

/** A categorical choice: what a study can store and compare. */
export type CategoricalChoice = string | number | boolean | null;
/** A suggested parameter value. */
export type ParamValue = CategoricalChoice;

export interface FloatDistribution {
  readonly type: 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  /** Spacing of the values (low, low + step, …), or null for a continuous range. */
  readonly step: number | null;
}
export interface IntDistribution {
  readonly type: 'int';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;
}
export interface CategoricalDistribution {
  readonly type: 'categorical';
  readonly choices: readonly CategoricalChoice[];
}
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

/** Optuna's trial states: WAITING is an enqueued trial not started yet. */
export type TrialState = 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAIL' | 'WAITING';
export type StudyDirection = 'minimize' | 'maximize';

/** One trial as a row (Optuna's FrozenTrial). */
export interface FrozenTrial {
  /** 0, 1, 2, … in the order the trials were created. */
  readonly number: number;
  readonly state: TrialState;
  /** The objective's value (COMPLETE), the last reported value (PRUNED), else null. */
  readonly value: number | null;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** step → reported value, in ascending step order. */
  readonly intermediateValues: Readonly<Record<number, number>>;
  readonly userAttrs: Readonly<Record<string, unknown>>;
  /** Attributes the samplers and pruners keep (grid ids, completed rungs, fixed params, failReason). */
  readonly systemAttrs: Readonly<Record<string, unknown>>;
  readonly datetimeStart: Date | null;
  readonly datetimeComplete: Date | null;
}

/** What samplers and pruners see of a study. */
export interface StudyView {
  readonly direction: StudyDirection;
  /** The trials, optionally only those in `states` (a copy-free view: do not mutate). */
  getTrials(states?: readonly TrialState[]): readonly FrozenTrial[];
  /** Ends optimize after the running trial (the grid sampler calls it when the grid is done). */
  stop(): void;
  /** Records an attribute of a RUNNING trial (grid ids, completed rungs). */
  setTrialSystemAttr(trial: number, key: string, value: unknown): void;
}

/** Picks parameter values (Optuna's independent sampling). */
export interface Sampler {
  /** Called when a trial starts, before the objective runs. */
  beforeTrial?(study: StudyView, trial: FrozenTrial): void;
  /** A value of `distribution` for the parameter `name` of `trial`. */
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue;
  /** Called when a trial ends (COMPLETE, PRUNED or FAIL). */
  afterTrial?(study: StudyView, trial: FrozenTrial): void;
}

/** Judges from the values a trial reported whether it should stop. */
export interface Pruner {
  prune(study: StudyView, trial: FrozenTrial): boolean;
}

/** A trial as created by the storage. */
export interface NewTrial {
  readonly state: 'RUNNING' | 'WAITING';
  readonly systemAttrs?: Record<string, unknown>;
}

/**
 * Where a study keeps its trials. Every method that changes a trial is one write (one SQLite
 * transaction for the persistent storage), so a killed process loses nothing it had done.
 */
export interface StudyStorage {
  readonly studyName: string;
  readonly direction: StudyDirection;
  /** Creates a trial and returns its number. */
  createTrial(trial: NewTrial): number;
  /** Moves the oldest WAITING trial to RUNNING and returns its number, or null when none waits. */
  popWaitingTrial(): number | null;
  setTrialParam(trial: number, name: string, value: ParamValue, distribution: Distribution): void;
  setTrialIntermediateValue(trial: number, step: number, value: number): void;
  setTrialSystemAttr(trial: number, key: string, value: unknown): void;
  setTrialUserAttr(trial: number, key: string, value: unknown): void;
  /** Ends a RUNNING trial. */
  finishTrial(trial: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', value: number | null): void;
  getTrial(trial: number): FrozenTrial;
  getTrials(): readonly FrozenTrial[];
  /** Re-reads trials another process may have written (a no-op in memory). */
  refresh(): void;
  close(): void;
}
