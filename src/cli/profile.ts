/**
 * `kiln profile <data> [--target col] [--time col] [-o report.html] [--json out.json]`: the data
 * profile of a file (every column), as a self-contained HTML page and/or JSON, with a progress bar.
 */
import { resolve } from 'node:path';
import { readAllColumnsFrame } from '../data/read.js';
import { resolveSource } from '../data/source.js';
import { writeFileAtomic } from '../deploy/atomic-write.js';
import { profile } from '../explore/profile.js';
import { jobSignal } from './interrupt.js';
import { progressBar } from './progress.js';

export interface ProfileFlags {
  target?: string;
  time?: string;
  out?: string;
  json?: string;
  limit?: number;
  sample?: number;
  progress?: boolean;
}

export async function profileCommand(data: string, flags: ProfileFlags): Promise<void> {
  const src = resolveSource(data, process.cwd(), 'data');
  // a named time column that was read as numbers (epoch ms or ISO dates) is a date column
  const frame = await readAllColumnsFrame(src, { limit: flags.limit, signal: jobSignal(), ...(flags.time ? { time: flags.time } : {}) });
  const bar = progressBar({ label: 'profiling', total: 100, unit: '%' }, process.stderr, flags.progress !== false);
  const report = await profile(frame, {
    ...(flags.target ? { target: flags.target } : {}),
    ...(flags.time ? { timeColumn: flags.time } : {}),
    ...(flags.sample ? { sample: flags.sample } : {}),
    onProgress: (done, section) => bar?.update(Math.round(done * 100), section),
  });
  bar?.finish();
  const out = flags.out ?? (flags.json ? undefined : 'profile.html');
  if (out) await writeFileAtomic(resolve(out), new TextEncoder().encode(await report.toHtml({ title: `Profile of ${data}` })));
  if (flags.json) await writeFileAtomic(resolve(flags.json), new TextEncoder().encode(`${JSON.stringify(report.toJSON(), null, 1)}\n`));
  const p = report.toJSON();
  process.stdout.write(
    `${data}: ${p.overview.rows} rows × ${p.overview.columns} columns, ${p.overview.missingCells} missing cells, ${p.overview.duplicateRows} duplicate rows; ${p.alerts.length} alert${p.alerts.length === 1 ? '' : 's'}\n` +
      p.alerts.map((a) => `  ${a.kind}: ${a.message}\n`).join('') +
      [out && `report: ${resolve(out)}`, flags.json && `json: ${resolve(flags.json)}`].filter(Boolean).join('\n') +
      '\n',
  );
}
