/**
 * Model cards (Mitchell et al., 2019) in Markdown, from a model file's manifest: what the model
 * is, what it is for, what it was trained on, how it scored, where it falls short, and the
 * fairness notes its authors supplied — saying so plainly when a section was not supplied.
 */
import { ParamError } from '../core/errors.js';
import type { ModelManifest } from './manifest.js';
import { readManifest } from './model-file.js';

export interface ModelCardOptions {
  /** Title (default: "Model card: <className>"). */
  title?: string;
  /** Registry facts to show (name, version, aliases, status). */
  registry?: { name: string; version: number; aliases?: string[]; status?: string };
}

const NOT_SUPPLIED = '_Not supplied._';

function cell(v: unknown): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').slice(0, 500);
}

function table(head: [string, string], rows: [string, unknown][]): string {
  return [`| ${head[0]} | ${head[1]} |`, '| --- | --- |', ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`)].join('\n');
}

function prose(v: string | string[] | undefined): string | undefined {
  if (v === undefined || (Array.isArray(v) ? v.length === 0 : v.trim() === '')) return undefined;
  return Array.isArray(v) ? v.map((x) => `- ${x}`).join('\n') : v.trim();
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : Number(n.toPrecision(6)).toString();
}

/** Parameter rows; a Pipeline's steps and a ColumnTransformer's transformers as `step.param` rows. */
function flattenParams(params: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const rows: [string, unknown][] = [];
  for (const [k, v] of Object.entries(params)) {
    const parts =
      (k === 'steps' || k === 'transformers') && Array.isArray(v)
        ? (v as { name?: unknown; className?: unknown; params?: unknown; columns?: unknown }[])
        : undefined;
    if (parts?.every((p) => p && typeof p.name === 'string' && typeof p.className === 'string')) {
      for (const p of parts) {
        rows.push([`${prefix}${p.name}`, p.className]);
        if (p.columns !== undefined) rows.push([`${prefix}${p.name} columns`, p.columns]);
        if (p.params && typeof p.params === 'object') rows.push(...flattenParams(p.params as Record<string, unknown>, `${prefix}${p.name}.`));
      }
    } else {
      rows.push([`${prefix}${k}`, v]);
    }
  }
  return rows;
}

/** The model card of a model file (a path) or of a manifest, as Markdown. */
export async function modelCard(manifestOrPath: ModelManifest | string, opts: ModelCardOptions = {}): Promise<string> {
  const m = typeof manifestOrPath === 'string' ? await readManifest(manifestOrPath) : manifestOrPath;
  if (!m || typeof m !== 'object' || typeof m.className !== 'string')
    throw new ParamError('modelCard: expected a model-file path or a manifest (see readManifest)');
  const card = m.card ?? {};
  const lineage = m.lineage ?? {};
  const out: string[] = [];
  out.push(`# ${opts.title ?? `Model card: ${m.className}`}`, '');

  out.push('## Model details', '');
  const details: [string, unknown][] = [['Class', m.className]];
  if (opts.registry) {
    details.push(['Registry model', opts.registry.name], ['Registry version', opts.registry.version]);
    if (opts.registry.status) details.push(['Status', opts.registry.status]);
    if (opts.registry.aliases?.length) details.push(['Aliases', opts.registry.aliases.join(', ')]);
  }
  details.push(['Format', `${m.format} v${m.formatVersion}`], ['kiln version', m.kilnVersion], ['Created', m.createdAt]);
  if (m.nFeaturesIn !== undefined) details.push(['Input features', m.nFeaturesIn]);
  if (m.classes) details.push(['Classes', m.classes.map(String).join(', ')]);
  for (const [k, v] of Object.entries(m.tags ?? {})) details.push([`Tag: ${k}`, v]);
  out.push(table(['field', 'value'], details), '');
  const description = prose(card.description);
  if (description) out.push(description, '');
  const params = flattenParams(m.params ?? {});
  out.push('### Parameters', '', params.length ? table(['parameter', 'value'], params) : NOT_SUPPLIED, '');

  out.push('## Intended use', '', prose(card.intendedUse) ?? NOT_SUPPLIED, '');

  out.push('## Training data', '');
  const data: [string, unknown][] = [];
  if (lineage.rows !== undefined) data.push(['Rows', lineage.rows]);
  const columns = lineage.columns ?? m.featureNames?.length ?? m.nFeaturesIn;
  if (columns !== undefined) data.push(['Columns', columns]);
  if (lineage.dataSource !== undefined) data.push(['Source', lineage.dataSource]);
  if (lineage.dataFingerprint !== undefined) data.push(['Fingerprint', lineage.dataFingerprint]);
  if (lineage.parentVersion !== undefined) data.push(['Derived from version', lineage.parentVersion]);
  for (const [k, v] of Object.entries(lineage)) {
    if (!['rows', 'columns', 'dataSource', 'dataFingerprint', 'parentVersion'].includes(k)) data.push([k, v]);
  }
  out.push(data.length ? table(['field', 'value'], data) : NOT_SUPPLIED, '');
  if (m.inputSchema && Object.keys(m.inputSchema).length) {
    out.push('### Input schema', '', '| column | type | nullable | range / values |', '| --- | --- | --- | --- |');
    for (const [name, c] of Object.entries(m.inputSchema)) {
      const range = c.values ? c.values.join(', ') : c.min !== undefined || c.max !== undefined ? `${c.min ?? ''} … ${c.max ?? ''}` : '';
      out.push(`| ${cell(name)} | ${cell(c.type)} | ${c.nullable ? 'yes' : 'no'} | ${cell(range)} |`);
    }
    out.push('');
  }

  out.push('## Metrics', '');
  const metrics = Object.entries(m.metrics ?? {});
  out.push(
    metrics.length
      ? table(
          ['metric', 'value'],
          metrics.map(([k, v]) => [k, fmt(v)]),
        )
      : NOT_SUPPLIED,
    '',
  );

  out.push('## Limitations', '', prose(card.limitations) ?? NOT_SUPPLIED, '');

  out.push('## Fairness considerations', '');
  out.push(
    prose(card.fairness) ??
      '_No fairness notes were supplied with this model: its behaviour across groups has not been documented here. Evaluate it on the groups it will affect before relying on it._',
    '',
  );

  out.push('## Integrity', '', 'Arrays in the file and their SHA-256:', '');
  out.push(
    table(
      ['array', 'sha256'],
      (m.arrays ?? []).map((a) => [`${a.name} (${a.dtype} × ${a.length})`, a.sha256]),
    ),
    '',
  );
  return out.join('\n');
}
