/**
 * A retraining job on a `kiln worker` (registered as the 'kiln:retrain' job kind): `kiln retrain`
 * run there, with the config and registry the job names — so the config, its data and the
 * registry (a postgres:// URL, or an SQLite file on a shared mount) must be reachable from the
 * workers under the same names. Its result is the RetrainResult `kiln retrain --json` prints.
 */
import type { JobStamp } from '../distributed/queue-jobs.js';
import { type RetrainFlags, type RetrainResult, retrain } from './retrain.js';

export const RETRAIN_JOB = 'kiln:retrain';

export interface RetrainJobData extends JobStamp {
  /** The training config's absolute path. */
  config: string;
  flags: Omit<RetrainFlags, 'json'>;
}

export default async function runRetrainJob(d: RetrainJobData): Promise<RetrainResult> {
  return retrain(d.config, d.flags, () => undefined);
}

/** The module's file, for `kiln worker` to register. */
export const RETRAIN_JOB_MODULE = new URL(`./retrain-job.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);
