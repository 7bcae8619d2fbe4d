/**
 * The live routing table and its hot swap. A request reads `current` once and keeps that
 * snapshot to the end, so in-flight requests finish on the model they started with; a swap
 * resolves and warms the new models in full first, then replaces `current` in one assignment
 * (a version whose warm-up fails is not swapped in: the old one stays live, the error is reported).
 * Refreshes never overlap: a change that arrives during one triggers one more afterwards.
 */
import { warmUp } from '../warm-up.js';
import type { InputReader } from './input.js';
import type { VariantMetrics } from './metrics.js';
import type { MicroBatcher } from './micro-batch.js';
import type { Capabilities } from './predict.js';
import type { ModelSource, ServedModel, SourceState, Variant } from './types.js';

export interface LiveVariant {
  variant: Variant;
  served: ServedModel;
  /** The version as a string (metric label, response field source). */
  version: string;
  /** `{ name, version }` as the response echoes it, built once. */
  ref: { name: string; version: number | string };
  read: InputReader;
  caps: Capabilities;
  metrics: VariantMetrics;
  /** With microBatch: the batcher of this variant for the given probability choice. */
  batcher?: (withProba: boolean) => MicroBatcher;
}

export interface Snapshot {
  primary: LiveVariant;
  candidate: LiveVariant | undefined;
  since: Date;
}

export interface LiveOptions {
  compile(served: ServedModel, variant: Variant): LiveVariant;
  onSwap(prev: Snapshot | undefined, next: Snapshot): void;
  onError(err: unknown): void;
}

export class LiveModels {
  current: Snapshot | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly source: ModelSource,
    private readonly opts: LiveOptions,
  ) {}

  /** Subscribes to the source and loads the first state (rejects when that fails). */
  start(): Promise<void> {
    this.unsubscribe = this.source.subscribe(() => {
      this.refresh().catch(this.opts.onError);
    });
    return this.refresh();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
  }

  /** Resolves the source again and swaps if anything changed; resolves when the swap is done. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<void> => {
      try {
        do {
          this.again = false;
          if (this.stopped) return;
          await this.swapTo(await this.source.resolve());
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    };
    this.running = run();
    return this.running;
  }

  private async swapTo(state: SourceState): Promise<void> {
    const prev = this.current;
    const reuse = (served: ServedModel | undefined, old: LiveVariant | undefined, variant: Variant): LiveVariant | undefined => {
      if (!served) return undefined;
      return old !== undefined && old.served === served ? old : this.opts.compile(served, variant);
    };
    const primary = reuse(state.primary, prev?.primary, 'primary')!;
    const candidate = reuse(state.candidate, prev?.candidate, 'candidate');
    if (prev && prev.primary === primary && prev.candidate === candidate) return;
    // a new version whose warm-up fails never takes traffic: the previous snapshot stays live
    for (const v of [primary, candidate]) if (v && v !== prev?.primary && v !== prev?.candidate) await this.warm(v);
    if (this.stopped) return;
    const next: Snapshot = { primary, candidate, since: new Date() };
    this.current = next;
    this.opts.onSwap(prev, next);
  }

  /** One prediction before the version takes traffic (warm-up.ts); a failure rejects the swap with the cause. */
  private async warm(v: LiveVariant): Promise<void> {
    try {
      await warmUp(v.served, v.read);
    } catch (err) {
      throw Object.assign(new Error(`warm-up of ${v.served.name} v${v.version} failed, so it was not put live: ${(err as Error)?.message ?? String(err)}`), {
        cause: err,
      });
    }
  }
}
