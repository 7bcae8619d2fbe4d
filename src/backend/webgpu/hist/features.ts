/**
 * Which features the device handles and how: per-feature bin offsets in a leaf histogram, the
 * features searched on the device (numerical) or on the host (categorical, or all when the f32
 * ranking key cannot represent the regularisation), and the feature groups whose bins fit the
 * workgroup histograms of hist_build.
 */
import type { HistGrowArgs } from '../../contract/hist.js';
import { allowedFeatures } from '../../hist/node-features.js';
import type { GpuRunner } from '../runner.js';
import { envInt } from './layout.js';

export class FeaturePlan {
  /** Bin offset of feature f in a leaf histogram; binOff[p] = B, the bins of all features. */
  readonly binOff: Int32Array;
  readonly B: number;
  readonly allowed: Uint8Array;
  /** Searched on the device, in feature order. */
  readonly numFeats: number[] = [];
  /** Scanned on the host from their histograms. */
  readonly catFeats: number[] = [];
  /** Workgroup histogram capacity in bins. */
  readonly cap: number;
  /** hist_build's tables: per group (first feature, end, bins, 0), per feature (f, offset, local offset, bins). */
  readonly buildGroups: Uint32Array;
  readonly buildFeats: Uint32Array;
  /** split_find's table: per device-searched feature (f, offset, index, bins). */
  readonly searchFeats: Uint32Array;

  constructor(r: GpuRunner, a: HistGrowArgs, hostSearch: boolean) {
    const p = a.p;
    this.binOff = new Int32Array(p + 1);
    for (let f = 0; f < p; f++) this.binOff[f + 1] = this.binOff[f] + a.binCount[f];
    this.B = this.binOff[p];
    this.allowed = allowedFeatures(p, a.featureAllowed);
    for (let f = 0; f < p; f++) {
      if (!this.allowed[f] || a.binCount[f] < 2) continue;
      (a.categorical[f] || hostSearch ? this.catFeats : this.numFeats).push(f);
    }

    // feature groups whose bins fit the workgroup histograms
    const wgBytes = Math.min(r.ctx.limits.maxComputeWorkgroupStorageSize, 65536);
    this.cap = Math.max(256, Math.min(envInt('KILN_WEBGPU_HIST_WG_SLOTS') ?? Infinity, Math.floor(wgBytes / 8)));
    const feats: number[] = [],
      groups: number[] = [];
    let local = 0,
      first = 0;
    for (let f = 0; f < p; f++) {
      if (!this.allowed[f] || a.binCount[f] < 2) continue;
      const nb = a.binCount[f];
      if (local + nb > this.cap) {
        groups.push(first, feats.length / 4, local, 0);
        first = feats.length / 4;
        local = 0;
      }
      feats.push(f, this.binOff[f], local, nb);
      local += nb;
    }
    if (feats.length > first * 4) groups.push(first, feats.length / 4, local, 0);
    this.buildFeats = Uint32Array.from(feats);
    this.buildGroups = Uint32Array.from(groups);
    this.searchFeats = Uint32Array.from(this.numFeats.flatMap((f, k) => [f, this.binOff[f], k, a.binCount[f]]));
  }
}
