/**
 * An objective given as a module path and export name runs in worker_threads: a CPU-bound JS
 * objective then uses several cores, which async trials in one thread cannot. The selection room
 * cannot import worker threads' code (src/distributed is a layer above), so the package root
 * registers the runner, as it registers the parallel executor.
 */
import { ParamError } from '../../core/errors.js';
import type { Trial } from './trial.js';

/** `export` of the ES module at `module` (a path, relative to the working directory, or a file URL) is the objective. */
export interface ObjectiveModule {
  readonly module: string;
  /** The export to call with each trial. Default: 'default'. */
  readonly export?: string;
}

/** Runs a module objective's trials, each in a thread of its own. */
export interface ModuleObjectiveRunner {
  /** The objective's value for `trial` (rejects with TrialPruned or the objective's error; aborting ends the trial's thread). */
  run(trial: Trial, signal?: AbortSignal): Promise<number>;
  close(): Promise<void>;
}

export type ModuleObjectiveFactory = (spec: ObjectiveModule, nJobs: number) => ModuleObjectiveRunner;
let factory: ModuleObjectiveFactory | undefined;

/** Registers what runs module objectives (the package root registers worker_threads). Returns the previous one. */
export function registerModuleObjective(f: ModuleObjectiveFactory | undefined): ModuleObjectiveFactory | undefined {
  const previous = factory;
  factory = f;
  return previous;
}

/** Checks `spec` and starts its runner. */
export function moduleObjectiveRunner(spec: ObjectiveModule, nJobs: number): ModuleObjectiveRunner {
  if (typeof spec.module !== 'string' || spec.module === '')
    throw new ParamError("Study.optimize: an objective module needs { module: 'path/to/objective.mjs', export: 'name' }");
  if (spec.export !== undefined && (typeof spec.export !== 'string' || spec.export === ''))
    throw new ParamError('Study.optimize: export must be the non-empty name of the objective function the module exports');
  if (!factory)
    throw new ParamError("Study.optimize: module objectives run in worker threads, which this build has not registered; import kiln's package root");
  return factory(spec, nJobs);
}
