/** scikit-learn's classification_report: per-class precision / recall / F1 / support, as data and as text. */
import { ParamError } from '../core/errors.js';
import { checkOptions } from '../core/validate.js';
import { labelPair } from './check.js';
import { precisionRecallFscoreSupport } from './classification.js';
import type { Label } from '../core/labels.js';

export interface ReportRow {
  precision: number;
  recall: number;
  f1Score: number;
  support: number;
}
export interface ClassificationReport {
  perClass: (ReportRow & { label: Label; name: string })[];
  /** Present when the labels cover yTrue and yPred: micro precision = recall = F1 = accuracy. */
  accuracy?: number;
  /** Present instead of accuracy when only some labels are reported. */
  microAvg?: ReportRow;
  macroAvg: ReportRow;
  weightedAvg: ReportRow;
  /** The table as scikit-learn prints it. */
  text: string;
}

export interface ClassificationReportOptions {
  labels?: readonly Label[];
  /** Display names, one per label. */
  targetNames?: readonly string[];
  sampleWeight?: ArrayLike<number>;
  /** Decimals in the text (default 2). */
  digits?: number;
  zeroDivision?: 'warn' | 0 | 1;
}

export function classificationReport(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, opts: ClassificationReportOptions = {}): ClassificationReport {
  const fn = 'classificationReport';
  checkOptions(opts, ['labels', 'targetNames', 'sampleWeight', 'digits', 'zeroDivision'], fn);
  const digits = opts.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) throw new ParamError(`${fn}: digits must be an integer in [0, 20], got ${digits}`);
  const { classes } = labelPair(yTrue, yPred, fn);
  const labels = opts.labels ? [...opts.labels] : classes;
  const names = opts.targetNames ? [...opts.targetNames] : labels.map(String);
  if (names.length !== labels.length) {
    throw new ParamError(`${fn}: ${labels.length} classes but ${names.length} targetNames; pass one name per label (or the labels option)`);
  }
  const common = { labels, sampleWeight: opts.sampleWeight, zeroDivision: opts.zeroDivision };
  const per = precisionRecallFscoreSupport(yTrue, yPred, { ...common, average: null });
  const total = per.support.reduce((s, v) => s + v, 0);
  const row = (average: 'micro' | 'macro' | 'weighted'): ReportRow => {
    const r = precisionRecallFscoreSupport(yTrue, yPred, { ...common, average });
    return { precision: r.precision, recall: r.recall, f1Score: r.fscore, support: total };
  };
  const sameSet = labels.length === classes.length && classes.every((c) => labels.includes(c));
  const report: ClassificationReport = {
    perClass: labels.map((label, i) => ({
      label,
      name: names[i],
      precision: per.precision[i],
      recall: per.recall[i],
      f1Score: per.fscore[i],
      support: per.support[i],
    })),
    macroAvg: row('macro'),
    weightedAvg: row('weighted'),
    text: '',
  };
  const micro = row('micro');
  if (sameSet) report.accuracy = micro.f1Score;
  else report.microAvg = micro;

  // Layout of scikit-learn's text report: right-aligned columns 9 wide.
  const width = Math.max(...names.map((n) => n.length), 'weighted avg'.length, digits);
  const num = (v: number) => fixed(v, digits).padStart(9);
  // supports are floats once weighted: Python prints 2.0, not 2
  const count = (v: number) => (opts.sampleWeight && Number.isInteger(v) ? v.toFixed(1) : String(v)).padStart(9);
  const line = (name: string, r: ReportRow) => `${name.padStart(width)}  ${num(r.precision)} ${num(r.recall)} ${num(r.f1Score)} ${count(r.support)}\n`;
  let text = `${''.padStart(width)}  ${['precision', 'recall', 'f1-score', 'support'].map((h) => h.padStart(9)).join(' ')}\n\n`;
  for (const r of report.perClass) text += line(r.name, r);
  text += '\n';
  if (sameSet) text += `${'accuracy'.padStart(width)}  ${''.padStart(9)} ${''.padStart(9)} ${num(micro.f1Score)} ${count(total)}\n`;
  else text += line('micro avg', micro);
  text += line('macro avg', report.macroAvg);
  text += line('weighted avg', report.weightedAvg);
  report.text = text;
  return report;
}

/** Python's '{:.Nf}': like toFixed, but an exact tie rounds to even (0.125 → '0.12'). */
function fixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  const exact = v.toFixed(100); // toFixed is exact in decimal, so a tie shows as ...5000…
  const dot = exact.indexOf('.');
  const tail = exact.slice(dot + 1 + digits);
  if (!/^50*$/.test(tail)) return s;
  const down = exact.slice(0, dot + 1 + digits).replace(/\.$/, '');
  const last = Number(down[down.length - 1]);
  return last % 2 === 0 ? down : s; // toFixed rounded the tie up; keep it only when that lands on even
}
