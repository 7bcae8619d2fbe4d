/**
 * Text columns to sparse features (scikit-learn's CountVectorizer and TfidfVectorizer defaults):
 * lowercase, tokens = runs of 2+ letters/digits/underscores, word n-grams, a sorted vocabulary
 * filtered by document frequency; tf-idf with smooth idf and l2-normalised rows. Output is CSR.
 */
import { CsrMatrix } from '../core/csr.js';
import { DTypeError, EmptyInputError, ParamError } from '../core/errors.js';
import { Estimator, SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { bool, int, list, num, oneOf, optional, pair, str, type ParamSpecs } from '../core/params.js';

export interface CountVectorizerParams {
  /** Lowercase the documents before tokenising. Default: true. */
  lowercase: boolean;
  /** [min n, max n]: the word n-grams counted, integers with 1 <= min <= max. Default: [1, 1]. */
  ngramRange: [number, number];
  /** Keep terms in at least this many documents, or this fraction of them if < 1. Default: 1. */
  minDf: number;
  /** Keep terms in at most this fraction of documents if <= 1, else at most this many documents. Default: 1 (all). */
  maxDf: number;
  /** Keep only this many terms, the most frequent (by corpus count; ties by term order); undefined keeps all. Default: undefined. */
  maxFeatures: number | undefined;
  /** Words dropped before n-grams are formed (compared after lowercasing); undefined drops none. Default: undefined. */
  stopWords: string[] | undefined;
  /** Output 1 for a term present in a document instead of its count. Default: false. */
  binary: boolean;
}

const COUNT_SPECS: ParamSpecs<CountVectorizerParams> = {
  lowercase: bool(),
  ngramRange: pair(int({ min: 1 }), '<='),
  minDf: num({ min: 0 }),
  maxDf: num({ min: 0, minExclusive: true }),
  maxFeatures: optional(int({ min: 1 })),
  stopWords: optional(list(str())),
  binary: bool(),
};

const TOKEN = /[\p{L}\p{N}_]+/gu;

function readDocs(docs: readonly (string | null)[], name: string): string[] {
  if (!Array.isArray(docs) || docs.length === 0) throw new EmptyInputError(`${name} must be a non-empty array of strings`);
  return docs.map((d, i) => {
    if (d === null) return '';
    if (typeof d !== 'string') throw new DTypeError(`${name}[${i}] is ${typeof d}; documents must be strings (null for empty)`);
    return d;
  });
}

export class CountVectorizer<P extends CountVectorizerParams = CountVectorizerParams> extends Estimator<P> {
  protected vocab: Map<string, number> | undefined;

  constructor(params: Partial<P> = {}, defaults: Partial<P> = {}) {
    super({ lowercase: true, ngramRange: [1, 1], minDf: 1, maxDf: 1.0, maxFeatures: undefined, stopWords: undefined, binary: false, ...defaults } as P, params);
  }

  /** CountVectorizer's own; a subclass with more parameters returns its own table. */
  protected get paramSpecs(): ParamSpecs<P> {
    return COUNT_SPECS as ParamSpecs<P>;
  }

  /** Terms in column order. */
  get vocabulary(): string[] {
    return [...this.fitted(this.vocab).keys()];
  }

  featureNamesOut(): string[] {
    return this.vocabulary;
  }

  protected terms(doc: string): string[] {
    const text = this.params.lowercase ? doc.toLowerCase() : doc;
    const stop = this.params.stopWords ? new Set(this.params.stopWords) : null;
    const words = (text.match(TOKEN) ?? []).filter((w) => [...w].length >= 2 && !stop?.has(w));
    const [lo, hi] = this.params.ngramRange,
      out: string[] = [];
    for (let n = lo; n <= hi; n++) for (let i = 0; i + n <= words.length; i++) out.push(words.slice(i, i + n).join(' '));
    return out;
  }

  async fit(docs: readonly (string | null)[], _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const texts = readDocs(docs, `${this.constructor.name}.fit: docs`);
      const df = new Map<string, number>(),
        tf = new Map<string, number>();
      for (const d of texts) {
        const ts = this.terms(d);
        for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + 1);
        for (const t of new Set(ts)) df.set(t, (df.get(t) ?? 0) + 1);
      }
      const n = texts.length;
      const minDf = this.params.minDf < 1 ? this.params.minDf * n : this.params.minDf;
      const maxDf = this.params.maxDf <= 1 ? this.params.maxDf * n : this.params.maxDf;
      let kept = [...df.keys()].filter((t) => df.get(t)! >= minDf && df.get(t)! <= maxDf).sort();
      if (kept.length === 0) throw new ParamError(`${this.constructor.name}.fit: no term is left after minDf/maxDf; loosen them`);
      if (this.params.maxFeatures !== undefined && kept.length > this.params.maxFeatures) {
        const keep = new Set([...kept].sort((a, b) => tf.get(b)! - tf.get(a)! || (a < b ? -1 : 1)).slice(0, this.params.maxFeatures));
        kept = kept.filter((t) => keep.has(t));
      }
      this.vocab = new Map(kept.map((t, i) => [t, i]));
      this.learnIdf(texts, df, n);
      return this;
    });
  }

  /** Hook for tf-idf. */
  protected learnIdf(_texts: string[], _df: Map<string, number>, _n: number): void {}

  async transform(docs: readonly (string | null)[], opts: CallOptions = {}): Promise<CsrMatrix> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const vocab = this.fitted(this.vocab);
      const texts = readDocs(docs, `${this.constructor.name}.transform: docs`);
      const indptr = new Int32Array(texts.length + 1),
        indices: number[] = [],
        data: number[] = [];
      texts.forEach((d, r) => {
        const counts = new Map<number, number>();
        for (const t of this.terms(d)) {
          const j = vocab.get(t);
          if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
        }
        const cols = [...counts.keys()].sort((a, b) => a - b);
        for (const j of cols) {
          indices.push(j);
          data.push(this.params.binary ? 1 : counts.get(j)!);
        }
        indptr[r + 1] = indices.length;
      });
      return this.weigh(new CsrMatrix(indptr, Int32Array.from(indices), Float64Array.from(data), texts.length, vocab.size));
    });
  }

  /** Hook for tf-idf. */
  protected weigh(counts: CsrMatrix): CsrMatrix {
    return counts;
  }

  async fitTransform(docs: readonly (string | null)[], y?: unknown, opts: CallOptions = {}): Promise<CsrMatrix> {
    return (await this.fit(docs, y, opts)).transform(docs, opts);
  }
}

export interface TfidfVectorizerParams extends CountVectorizerParams {
  /** Add one to document frequencies and to n (as if one extra document held every term), so no idf divides by zero. Default: true. */
  smoothIdf: boolean;
  /** Replace each count tf with 1 + log(tf). Default: false. */
  sublinearTf: boolean;
  /** Scale each row to unit 'l2' or 'l1' norm; undefined leaves rows unscaled. Default: 'l2'. */
  norm: 'l2' | 'l1' | undefined;
}

const TFIDF_SPECS: ParamSpecs<TfidfVectorizerParams> = { ...COUNT_SPECS, smoothIdf: bool(), sublinearTf: bool(), norm: oneOf('l2', 'l1', undefined) };

export class TfidfVectorizer extends CountVectorizer<TfidfVectorizerParams> {
  private idfValues: Float64Array | undefined;

  constructor(params: Partial<TfidfVectorizerParams> = {}) {
    super(params, { smoothIdf: true, sublinearTf: false, norm: 'l2' });
  }

  protected override get paramSpecs(): ParamSpecs<TfidfVectorizerParams> {
    return TFIDF_SPECS;
  }

  /** idf of each vocabulary term: ln((1 + n) / (1 + df)) + 1 with smoothIdf, else ln(n / df) + 1. */
  get idf(): Float64Array {
    return Float64Array.from(this.fitted(this.idfValues));
  }

  protected override learnIdf(_texts: string[], df: Map<string, number>, n: number): void {
    const s = this.params.smoothIdf ? 1 : 0;
    this.idfValues = Float64Array.from(this.vocab!.keys(), (t) => Math.log((n + s) / (df.get(t)! + s)) + 1);
  }

  protected override weigh(m: CsrMatrix): CsrMatrix {
    const idf = this.idfValues!;
    for (let r = 0; r < m.rows; r++) {
      let norm = 0;
      for (let k = m.indptr[r]; k < m.indptr[r + 1]; k++) {
        const tf = this.params.sublinearTf ? 1 + Math.log(m.data[k]) : m.data[k];
        m.data[k] = tf * idf[m.indices[k]];
        norm += this.params.norm === 'l1' ? Math.abs(m.data[k]) : m.data[k] ** 2;
      }
      if (this.params.norm === 'l2') norm = Math.sqrt(norm);
      if (this.params.norm && norm > 0) for (let k = m.indptr[r]; k < m.indptr[r + 1]; k++) m.data[k] /= norm;
    }
    return m;
  }
}
