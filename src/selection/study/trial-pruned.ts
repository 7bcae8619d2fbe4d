/** Thrown by an objective (or a pruning callback inside a fit) to end its trial as PRUNED. */
import { KilnError } from '../../core/errors.js';

export class TrialPruned extends KilnError {
  constructor(message = 'the trial was pruned') {
    super('E_TRIAL_PRUNED', message);
    this.name = 'TrialPruned';
  }
}
