/** A node of the tree being grown, as the host tracks it between device rounds. */
import type { Bins, Candidate, Split } from '../../hist/split-search.js';

/** A numerical feature's search result: the candidates the device kept, or its whole histogram. */
export type NumericalResult = { bins: Bins } | { hasMissing: boolean; cands: Candidate[] };

/** What the device search gave for one node, per feature. */
export interface SearchData {
  numerical: Map<number, NumericalResult>;
  categorical: Map<number, Bins>;
}

/** A histogram to build from the rows at positions [begin, end) into a pool slot. */
export interface Build {
  slot: number;
  begin: number;
  end: number;
}

/** A histogram derived by subtraction: slot dst −= slot src. */
export interface Subtraction {
  dst: number;
  src: number;
}

export class TNode {
  /** Node id, assigned when native's best-first order reaches it (-1 before). */
  id = -1;
  /** Histogram pool slot, or -1. */
  slot = -1;
  search: SearchData | null = null;
  split: Split | null = null;
  kids: [TNode, TNode] | null = null;
  /** Bounds monotonic constraints put on the node's value. */
  lower = -Infinity;
  upper = Infinity;
  /** Interaction groups still open to the node (null: no constraints). */
  groups: Uint8Array | null = null;
  /** Rows at positions [begin, end) of the row buffers; G, H, N its sums in integer units. */
  constructor(
    readonly begin: number,
    readonly end: number,
    readonly depth: number,
    readonly G: number,
    readonly H: number,
    readonly N: number,
  ) {}
}
