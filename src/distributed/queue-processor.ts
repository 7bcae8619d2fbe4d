/**
 * The job processor of a kiln queue worker, run by BullMQ in a sandboxed child process (its file
 * processor), so a fit that crashes takes down only that child: BullMQ starts another and the job
 * is retried. The data and fold indices are read from the store named by KILN_STORE and cached
 * here by digest.
 */
import { fitAndScore, type FoldData } from '../selection/fit-score.js';
import { decodeData } from './data-codec.js';
import { decodeIndices, type FoldIndices } from './fold-codec.js';
import { JOB, type FoldJobData, type JobHandler, unrecoverable, versionRefusal } from './queue-jobs.js';
import { type DataStore, directoryStore } from './store.js';
import { decodeRun, decodeTask, encodeResult, type ResultWire } from './wire.js';

interface SandboxedJob {
  name: string;
  data: unknown;
  getChildrenValues(): Promise<Record<string, unknown>>;
  getIgnoredChildrenFailures(): Promise<Record<string, string>>;
}

let store: DataStore | undefined;

function theStore(): DataStore {
  if (!store) {
    const loc = process.env.KILN_STORE;
    if (!loc) throw unrecoverable('kiln worker: no data store configured (KILN_STORE); start it with --store DIR');
    store = directoryStore(loc.startsWith('dir:') ? loc.slice(4) : loc);
  }
  return store;
}

/** A loader by digest that keeps the last `limit` decoded values (a run's jobs share their data and folds). */
function cachedByDigest<T>(limit: number, decode: (bytes: Uint8Array) => T): (digest: string) => Promise<T> {
  const cache = new Map<string, T>();
  return async (digest) => {
    let v = cache.get(digest);
    if (v === undefined) {
      v = decode(await theStore().get(digest));
      cache.set(digest, v);
      if (cache.size > limit) cache.delete(cache.keys().next().value as string);
    }
    return v;
  };
}

const dataOf = cachedByDigest<FoldData>(4, decodeData);
const indicesOf = cachedByDigest<FoldIndices>(64, decodeIndices);

/** Job kinds registered by the layers above (KILN_JOB_HANDLERS: { name: module URL }), loaded on first use. */
const handlerUrls: Record<string, string> = JSON.parse(process.env.KILN_JOB_HANDLERS || '{}');
const handlers = new Map<string, Promise<JobHandler>>();
function handlerOf(name: string): Promise<JobHandler> | undefined {
  const url = handlerUrls[name];
  if (url === undefined) return undefined;
  let h = handlers.get(name);
  if (!h) {
    h = import(url).then((m: { default: JobHandler }) => m.default);
    handlers.set(name, h);
  }
  return h;
}

export default async function processJob(job: SandboxedJob): Promise<unknown> {
  const refusal = versionRefusal(job.data as FoldJobData);
  if (refusal) throw unrecoverable(refusal);
  const handler = handlerOf(job.name);
  if (handler) return (await handler)(job.data, { store: theStore() });
  if (job.name === JOB.noop) return null;
  if (job.name === JOB.run) {
    const done = await job.getChildrenValues();
    const failed = await job.getIgnoredChildrenFailures();
    return { completed: Object.keys(done).length, failed: Object.keys(failed).length };
  }
  if (job.name !== JOB.fold)
    throw unrecoverable(`kiln worker: unknown job '${job.name}' (this worker runs ${[...Object.values(JOB), ...Object.keys(handlerUrls)].join(', ')})`);
  const d = job.data as FoldJobData;
  const data = await dataOf(d.digest);
  const run = await decodeRun(d.run, data);
  const r = await fitAndScore(run.estimator, run.data, await decodeTask(d.task, indicesOf), run.scorers, run.options);
  return (await encodeResult(r)) satisfies ResultWire;
}
