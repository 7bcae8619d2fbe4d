/**
 * The leaf histograms on the device: a bounded pool of slots (B bins × SLOT_WORDS words each),
 * in pages that each fit one binding. Slots go to the leaves that will be searched or derive
 * their children's histograms; when none is free, the smallest unpinned holder gives its slot up
 * (its children are then built directly).
 */
import { BackendLimitError } from '../../../core/errors.js';
import type { GpuRunner } from '../runner.js';
import { POOL_BYTES, SLOT_WORDS } from './layout.js';
import type { TNode } from './tree-node.js';

export class HistogramPool {
  readonly slotBytes: number;
  readonly slots: number;
  readonly pageSlots: number;
  readonly pages: GPUBuffer[] = [];
  readonly pageBytes: number[] = [];
  /** Free slots, taken from the front. */
  readonly free: number[] = [];
  /** The node each held slot belongs to. */
  readonly holders = new Map<number, TNode>();

  constructor(
    private readonly r: GpuRunner,
    private readonly B: number,
    maxLeaves: number,
  ) {
    this.slotBytes = B * SLOT_WORDS * 4;
    if (this.slotBytes > r.maxBindingBytes) {
      throw new BackendLimitError(
        `webgpu hist: one leaf histogram (${this.slotBytes} bytes) exceeds this device's binding limit ` +
          `of ${r.maxBindingBytes} bytes; use fewer features or bins, or backend 'native'`,
      );
    }
    const wanted = Math.max(3, 2 * maxLeaves + 2);
    this.slots = Math.max(3, Math.min(wanted, Math.floor(POOL_BYTES / this.slotBytes)));
    this.pageSlots = Math.min(this.slots, Math.floor(r.maxBindingBytes / this.slotBytes));
  }

  /** Allocates the pages; `keep` records them for release with the tree's other buffers. */
  allocate(keep: (b: GPUBuffer) => GPUBuffer): void {
    for (let s = 0; s < this.slots; s += this.pageSlots) {
      const bytes = Math.min(this.pageSlots, this.slots - s) * this.slotBytes;
      this.pages.push(keep(this.r.alloc('hist leaf histograms', bytes)));
      this.pageBytes.push(bytes);
    }
    for (let s = 0; s < this.slots; s++) this.free.push(s);
  }

  /** The page buffer that holds `slot`. */
  page(slot: number): GPUBuffer {
    return this.pages[Math.floor(slot / this.pageSlots)];
  }

  pageOf(slot: number): number {
    return Math.floor(slot / this.pageSlots);
  }

  /** The first word of `slot` within its page. */
  slotWord(slot: number): number {
    return (slot % this.pageSlots) * this.B * SLOT_WORDS;
  }

  /** Gives `slot` to `node`. */
  hold(slot: number, node: TNode): void {
    node.slot = slot;
    this.holders.set(slot, node);
  }

  /** Takes `slot` from whoever held it (it is not free yet). */
  drop(slot: number): void {
    this.holders.delete(slot);
  }

  /** A free slot, or one taken from an unpinned holder (it will rebuild its children directly); -1 when none. */
  take(pinned: Set<TNode>): number {
    if (this.free.length) return this.free.shift()!;
    let victim: TNode | undefined;
    for (const t of this.holders.values()) {
      if (pinned.has(t)) continue;
      if (!victim || t.N < victim.N) victim = t;
    }
    if (!victim) return -1;
    const s = victim.slot;
    this.holders.delete(s);
    victim.slot = -1;
    return s;
  }
}
