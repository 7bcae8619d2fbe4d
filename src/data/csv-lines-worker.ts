/**
 * The body of CsvWriter's formatting thread (write.ts): numeric columns in, CSV bytes out — the
 * number-to-text conversion, most of what writing predictions costs, done beside the thread that
 * scores the next batch. Each cell is what csvField gives on the calling thread (String(v); NaN
 * empty), so the bytes do not depend on which thread formatted them.
 */
import { parentPort } from 'node:worker_threads';
import { csvNumberBytes } from './csv-number-bytes.js';

/** A batch to format: `id` pairs the answer with it. */
export interface CsvLinesJob {
  id: number;
  columns: Float64Array[];
  rows: number;
}

/** The batch's lines, or why they could not be made. */
export type CsvLinesDone = { id: number; bytes: Uint8Array } | { id: number; error: string };

parentPort!.on('message', (job: CsvLinesJob) => {
  try {
    const bytes = csvNumberBytes(job.columns, job.rows);
    parentPort!.postMessage({ id: job.id, bytes } satisfies CsvLinesDone, [bytes.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: (e as Error)?.message ?? String(e) } satisfies CsvLinesDone);
  }
});
