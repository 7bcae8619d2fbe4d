/**
 * An Optuna-style study: `optimize` runs trials — each asks its sampler for parameters, runs the
 * objective, and is stored as COMPLETE (the returned number), PRUNED (the objective threw
 * TrialPruned) or FAIL (it threw anything else, or returned NaN or a non-number: the study warns
 * and goes on). Trials live in the study's storage (memory, or SQLite for a study that survives
 * its process).
 *
 * `nJobs` runs that many trials at once in this process, as Optuna's n_jobs runs them in threads
 * sharing one storage: while one trial's objective awaits (a kiln fit runs on native threads or the
 * worker pool), the others go on. Sampling and storage writes are synchronous, so each suggestion
 * is made as under a lock and sees every trial finished by then; which trials those are depends on
 * the order trials finish, so results match nJobs 1 only for the random and grid samplers (their
 * draws are per trial) — TPE's, as Optuna's, vary with completion order.
 */
import { ParamError } from '../../core/errors.js';
import { availableParallelism } from 'node:os';
import { checkOptions, checkSignal } from '../../core/validate.js';
import { resolveNJobs } from '../executor.js';
import { moduleObjectiveRunner, type ObjectiveModule } from './module-objective.js';
import { NopPruner } from './pruners/nop.js';
import { TPESampler } from './samplers/tpe.js';
import { InMemoryStorage } from './storage/memory.js';
import { SqliteStorage, sqlitePath } from './storage/sqlite.js';
import { Trial, type TrialContext } from './trial.js';
import { TrialPruned } from './trial-pruned.js';
import type { FrozenTrial, ParamValue, Pruner, Sampler, StudyDirection, StudyStorage, StudyView, TrialState } from './types.js';

export interface CreateStudyOptions {
  /** Whether the objective is minimised or maximised. Default: 'minimize'. */
  direction?: StudyDirection;
  /** Picks parameters. Default: a TPESampler with Optuna's defaults (unseeded). */
  sampler?: Sampler;
  /** Stops unpromising trials. Default: NopPruner (never prunes). */
  pruner?: Pruner;
  /** 'sqlite:///path.db' or a database file path to persist the study; left out, trials stay in memory. Default: in memory. */
  storage?: string;
  /** The study's name (several studies may share one database). Default: a generated unique name. */
  studyName?: string;
  /** Resume the study `studyName` when the storage already has it (else that is an error). Default: false. */
  loadIfExists?: boolean;
}

export interface OptimizeOptions {
  /** Trials to run in this call (an integer >= 1). Default: until timeout, signal or stop. */
  nTrials?: number;
  /**
   * Trials run at once (an integer >= 1, or -1 for one per core). Useful when the objective awaits
   * work done off the JS thread (kiln fits, I/O); a synchronous objective gains nothing unless it
   * is given as a module ({ module, export }: each trial then runs in a worker thread). Default: 1.
   */
  nJobs?: number;
  /** Start no trial after this many seconds. Default: none. */
  timeout?: number;
  /**
   * Aborts the study: no trial starts after it, the running ones are marked FAIL when their
   * objectives return (pass the signal on to fits so they return promptly), and optimize rejects
   * with the signal's reason.
   */
  signal?: AbortSignal;
  /**
   * Which errors from the objective fail their trial and let the study go on: true (all),
   * false (none: the trial is marked FAIL and optimize rejects), or a list of error classes.
   * Default: true.
   */
  catch?: boolean | readonly (abstract new (...args: never[]) => Error)[];
  /** Called after each trial with the study and the finished trial's row. */
  callbacks?: readonly ((study: Study, trial: FrozenTrial) => void | Promise<void>)[];
  /** Receives the warning of a failed trial. Default: process.emitWarning. */
  onWarning?: (message: string) => void;
}

export type Objective = (trial: Trial) => number | Promise<number>;

let unnamed = 0;

export class Study {
  private stopped = false;
  private readonly view: StudyView;

  /** @internal use createStudy */
  constructor(
    readonly storage: StudyStorage,
    readonly sampler: Sampler,
    readonly pruner: Pruner,
  ) {
    const self = this;
    this.view = {
      get direction() {
        return self.direction;
      },
      getTrials: (states) => this.getTrials(states),
      stop: () => this.stop(),
      setTrialSystemAttr: (n, k, v) => storage.setTrialSystemAttr(n, k, v),
    };
  }

  get studyName(): string {
    return this.storage.studyName;
  }
  get direction(): StudyDirection {
    return this.storage.direction;
  }

  /** Every trial as a row, in creation order. */
  get trials(): FrozenTrial[] {
    return [...this.storage.getTrials()];
  }

  /** The trials in `states` (all when left out). */
  getTrials(states?: readonly TrialState[]): readonly FrozenTrial[] {
    const all = this.storage.getTrials();
    return states ? all.filter((t) => states.includes(t.state)) : all;
  }

  /** The best COMPLETE trial (the first one on ties). Throws when no trial has completed. */
  get bestTrial(): FrozenTrial {
    let best: FrozenTrial | null = null;
    const max = this.direction === 'maximize';
    for (const t of this.getTrials(['COMPLETE'])) {
      const v = t.value as number;
      if (best === null || (max ? v > (best.value as number) : v < (best.value as number))) best = t;
    }
    if (!best) throw new ParamError(`Study '${this.studyName}': no trial has completed yet, so there is no best trial; run optimize first`);
    return best;
  }
  get bestValue(): number {
    return this.bestTrial.value as number;
  }
  get bestParams(): Readonly<Record<string, ParamValue>> {
    return this.bestTrial.params;
  }

  /** Closes the study's storage (the SQLite file of a persisted study); the study cannot run trials afterwards. */
  close(): void {
    this.storage.close();
  }

  /** Ends optimize after the running trial. */
  stop(): void {
    this.stopped = true;
  }

  /** Queues a trial that will use `params` (the rest are sampled) before any sampled trial. */
  enqueueTrial(params: Record<string, ParamValue>): void {
    if (params === null || typeof params !== 'object' || Array.isArray(params))
      throw new ParamError('Study.enqueueTrial: params must be an object of parameter name → value');
    for (const [k, v] of Object.entries(params)) {
      if (!(v === null || ['string', 'number', 'boolean'].includes(typeof v))) {
        throw new ParamError(`Study.enqueueTrial: params.${k} must be a string, number, boolean or null`);
      }
    }
    this.storage.createTrial({ state: 'WAITING', systemAttrs: { fixedParams: { ...params } } });
  }

  /** Runs trials of `objective` until nTrials are done, the timeout passes, the signal aborts or the study is stopped. */
  async optimize(objective: Objective | ObjectiveModule, opts: OptimizeOptions = {}): Promise<void> {
    const isModule = objective !== null && typeof objective === 'object';
    if (typeof objective !== 'function' && !isModule) {
      throw new ParamError("Study.optimize: objective must be a function (trial) => number, or { module: 'objective.mjs', export: 'name' }");
    }
    if (isModule) checkOptions(objective, ['module', 'export'], 'Study.optimize: objective');
    checkOptions(opts, ['nTrials', 'nJobs', 'timeout', 'signal', 'catch', 'callbacks', 'onWarning'], 'Study.optimize');
    checkSignal(opts.signal, 'Study.optimize');
    const { nTrials, timeout, signal } = opts;
    if (nTrials !== undefined && !(Number.isInteger(nTrials) && nTrials >= 1))
      throw new ParamError(`Study.optimize: nTrials must be an integer >= 1, got ${nTrials}`);
    if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0))
      throw new ParamError(`Study.optimize: timeout must be a number of seconds > 0, got ${timeout}`);
    if (nTrials === undefined && timeout === undefined && signal === undefined) {
      throw new ParamError('Study.optimize: give nTrials, timeout or signal, or it would run forever');
    }
    const nJobs = resolveNJobs(opts.nJobs, 'Study.optimize', availableParallelism());
    const catches = opts.catch ?? true;
    const warn = opts.onWarning ?? ((m: string) => process.emitWarning(m, { type: 'KilnStudyWarning' }));
    const started = Date.now();
    this.stopped = false;
    let begun = 0;
    let failure: { error: unknown } | null = null;
    // A module objective runs in worker threads, one per concurrent trial.
    const runner = isModule ? moduleObjectiveRunner(objective, nJobs) : undefined;
    const run: Objective = runner ? (t) => runner.run(t, signal) : (objective as Objective);
    // nJobs loops share the trial count; the first error (or the abort) ends them all.
    const loop = async (): Promise<void> => {
      while (failure === null && (nTrials === undefined || begun < nTrials)) {
        if (signal?.aborted) {
          failure = { error: signal.reason };
          return;
        }
        if (this.stopped || (timeout !== undefined && (Date.now() - started) / 1000 >= timeout)) return;
        begun++;
        try {
          const trial = await this.runTrial(run, signal, catches, warn);
          for (const cb of opts.callbacks ?? []) await cb(this, trial);
        } catch (e) {
          failure ??= { error: e };
          return;
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: nTrials === undefined ? nJobs : Math.min(nJobs, nTrials) }, loop));
    } finally {
      await runner?.close();
    }
    if (failure !== null) throw (failure as { error: unknown }).error;
  }

  private async runTrial(
    objective: Objective,
    signal: AbortSignal | undefined,
    catches: OptimizeOptions['catch'],
    warn: (m: string) => void,
  ): Promise<FrozenTrial> {
    const storage = this.storage;
    storage.refresh();
    const number = storage.popWaitingTrial() ?? storage.createTrial({ state: 'RUNNING' });
    const ctx: TrialContext = { storage, sampler: this.sampler, pruner: this.pruner, view: this.view };
    const trial = new Trial(ctx, number);
    let state: 'COMPLETE' | 'PRUNED' | 'FAIL' = 'FAIL';
    let value: number | null = null;
    let error: unknown;
    try {
      this.sampler.beforeTrial?.(this.view, trial.frozen);
      const out = await objective(trial);
      signal?.throwIfAborted();
      if (typeof out !== 'number' || Number.isNaN(out)) {
        storage.setTrialSystemAttr(number, 'failReason', `the objective returned ${typeof out === 'number' ? 'NaN' : typeof out}`);
        warn(`Trial ${number} failed: the objective returned ${String(out)}, not a number (the study goes on)`);
      } else {
        state = 'COMPLETE';
        value = out;
      }
    } catch (e) {
      error = e;
      if (e instanceof TrialPruned) {
        state = 'PRUNED';
        const f = trial.frozen;
        const steps = Object.keys(f.intermediateValues).map(Number);
        if (steps.length > 0) {
          const last = f.intermediateValues[Math.max(...steps)];
          value = Number.isNaN(last) ? null : last;
        }
      } else {
        storage.setTrialSystemAttr(number, 'failReason', String((e as Error)?.message ?? e));
      }
    }
    storage.finishTrial(number, state, value);
    const row = storage.getTrial(number);
    this.sampler.afterTrial?.(this.view, row);
    if (state === 'FAIL' && error !== undefined) {
      if (signal?.aborted) throw signal.reason;
      const caught = catches === true || (Array.isArray(catches) && catches.some((C) => error instanceof C));
      if (!caught) throw error;
      warn(`Trial ${number} failed: ${String((error as Error)?.message ?? error)} (the study goes on)`);
    }
    return row;
  }
}

/** Creates a study, or resumes one from its storage (`loadIfExists`). */
export async function createStudy(opts: CreateStudyOptions = {}): Promise<Study> {
  checkOptions(opts, ['direction', 'sampler', 'pruner', 'storage', 'studyName', 'loadIfExists'], 'createStudy');
  const direction = opts.direction ?? 'minimize';
  if (direction !== 'minimize' && direction !== 'maximize')
    throw new ParamError(`createStudy: direction must be 'minimize' or 'maximize', got ${JSON.stringify(direction)}`);
  const studyName = opts.studyName ?? `kiln-study-${process.pid}-${Date.now().toString(36)}-${unnamed++}`;
  if (typeof studyName !== 'string' || studyName === '') throw new ParamError('createStudy: studyName must be a non-empty string');
  checkPart('sampler', opts.sampler, 'sampleIndependent');
  checkPart('pruner', opts.pruner, 'prune');
  let storage: StudyStorage;
  if (opts.storage === undefined) {
    storage = new InMemoryStorage(studyName, direction);
  } else {
    if (typeof opts.storage !== 'string') throw new ParamError("createStudy: storage must be 'sqlite:///path.db' or a database file path");
    if (opts.loadIfExists && opts.studyName === undefined) throw new ParamError('createStudy: loadIfExists needs the studyName of the study to resume');
    const opened = await SqliteStorage.open(sqlitePath(opts.storage), studyName, direction, opts.loadIfExists ?? false);
    storage = opened.storage;
    if (opened.failedOnResume.length > 0) {
      process.emitWarning(`Study '${studyName}': trials ${opened.failedOnResume.join(', ')} were RUNNING in a process that ended; they are marked FAIL`, {
        type: 'KilnStudyWarning',
      });
    }
  }
  return new Study(storage, opts.sampler ?? new TPESampler(), opts.pruner ?? new NopPruner());
}

function checkPart(name: string, v: unknown, method: string): void {
  if (v !== undefined && (v === null || typeof v !== 'object' || typeof (v as Record<string, unknown>)[method] !== 'function')) {
    throw new ParamError(`createStudy: ${name} must be an object with a ${method} method (e.g. new ${name === 'sampler' ? 'TPESampler()' : 'MedianPruner()'})`);
  }
}
