/** A pruner that never prunes (the default of a study). */
import type { Pruner } from '../types.js';

export class NopPruner implements Pruner {
  prune(): boolean {
    return false;
  }
}
