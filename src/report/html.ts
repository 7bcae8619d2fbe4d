/**
 * Self-contained HTML documents for kiln's reports: one file, inline CSS and SVG, no script, font
 * or image from anywhere else, so a report opens offline and is safe to mail or archive. Every
 * piece of user text goes through `escapeHtml`; the builders take already-safe HTML fragments
 * (from these helpers or renderChart) as `Html` values.
 */
import { randomBytes } from 'node:crypto';
import { ParamError } from '../core/errors.js';

/** An HTML fragment that is safe to insert (built by these helpers, not raw user text). */
export interface Html {
  readonly html: string;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** User text as a fragment. */
export const text = (t: unknown): Html => ({ html: escapeHtml(t) });

/** A fragment from trusted markup: SVG from renderChart, or HTML these helpers built. */
export const trusted = (html: string): Html => ({ html });

const join = (parts: readonly (Html | string)[]): string => parts.map((p) => (typeof p === 'string' ? escapeHtml(p) : p.html)).join('');

/** An element; `attrs` values are escaped, children are fragments or text (escaped). */
export function el(tag: string, attrs: Record<string, string | number | undefined>, ...children: (Html | string)[]): Html {
  if (!/^[a-z][a-z0-9]*$/.test(tag)) throw new ParamError(`el: bad tag name ${JSON.stringify(tag)}`);
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`)
    .join('');
  return { html: `<${tag}${a}>${join(children)}</${tag}>` };
}

/** A table with a header row; numbers right-aligned, formatted by `format`. */
export function table(
  head: readonly string[],
  rows: readonly (readonly (string | number | Html | null)[])[],
  format: (v: number) => string = formatNumber,
): Html {
  const cell = (v: string | number | Html | null, th = false) => {
    const tag = th ? 'th' : 'td';
    if (v === null) return `<${tag} class="na">–</${tag}>`;
    if (typeof v === 'number') return `<${tag} class="num">${escapeHtml(format(v))}</${tag}>`;
    return `<${tag}>${typeof v === 'string' ? escapeHtml(v) : v.html}</${tag}>`;
  };
  const body = rows.map((r) => `<tr>${r.map((v) => cell(v)).join('')}</tr>`).join('');
  return { html: `<table><thead><tr>${head.map((h) => cell(h, true)).join('')}</tr></thead><tbody>${body}</tbody></table>` };
}

/** Numbers for people: integers grouped, others to 4 significant digits, NaN as "NaN". */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return v.toExponential(3);
  return Number(v.toPrecision(4)).toString();
}

export interface Section {
  /** The anchor id (letters, digits, dashes). */
  id: string;
  title: string;
  body: Html;
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1b1f24; background: #fafbfc; }
header { padding: 16px 24px; background: #1f3b73; color: white; }
header h1 { margin: 0; font-size: 20px; }
header p { margin: 4px 0 0; opacity: .85; }
nav { position: sticky; top: 0; background: white; border-bottom: 1px solid #e1e4e8; padding: 8px 24px; z-index: 1; }
nav a { margin-right: 16px; color: #1f3b73; text-decoration: none; }
main { padding: 8px 24px 48px; }
section { background: white; border: 1px solid #e1e4e8; border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
h2 { font-size: 17px; margin: 4px 0 12px; }
h3 { font-size: 15px; margin: 12px 0 6px; }
table { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
th, td { border-bottom: 1px solid #eaecef; padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.na { color: #999; }
.grid { display: flex; flex-wrap: wrap; gap: 16px; }
.card { border: 1px solid #eaecef; border-radius: 4px; padding: 8px; }
.alert { padding: 4px 8px; border-left: 3px solid #d73a49; background: #fff5f5; margin: 4px 0; }
.alert.warn { border-color: #e36209; background: #fff8f2; }
.muted { color: #6a737d; }
svg { display: block; max-width: 100%; height: auto; }
`;

/**
 * The whole document: a header, a navigation bar over the sections, the sections. A `script`
 * (pages that refresh themselves, such as the server's dashboard) runs under a one-time nonce and
 * may fetch from its own origin only; without one the page runs no script at all.
 */
export function htmlDocument(opts: { title: string; subtitle?: string; sections: readonly Section[]; generator?: string; script?: string }): string {
  for (const s of opts.sections)
    if (!/^[A-Za-z][\w-]*$/.test(s.id)) throw new ParamError(`htmlDocument: section id ${JSON.stringify(s.id)} must be letters, digits, - or _`);
  const nonce = opts.script ? randomBytes(16).toString('base64') : undefined;
  const nav = opts.sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('');
  const body = opts.sections.map((s) => `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>${s.body.html}</section>`).join('\n');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // no network: nothing may load from anywhere, not even by a crafted value that slipped through
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:${nonce ? `; script-src 'nonce-${nonce}'; connect-src 'self'` : ''}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${escapeHtml(opts.generator ?? 'kiln')}">`,
    `<title>${escapeHtml(opts.title)}</title><style>${CSS}</style></head><body>`,
    `<header><h1>${escapeHtml(opts.title)}</h1>${opts.subtitle ? `<p>${escapeHtml(opts.subtitle)}</p>` : ''}</header>`,
    `<nav>${nav}</nav><main>${body}</main>${nonce ? `<script nonce="${nonce}">${opts.script!.replace(/<\/script/gi, '<\\/script')}</script>` : ''}</body></html>`,
  ].join('\n');
}
