/**
 * Cumulative device counters of this process (every device, every runner): what crossed the bus
 * and how much device memory kiln's buffers hold. `kiln bench` reports them per step; they count
 * kiln's own data writes and readbacks, not uniform blocks or zero fills.
 */
export interface DeviceCounters {
  /** Host → device data writes and their bytes. */
  uploads: number;
  uploadBytes: number;
  /** Device → host readbacks and their bytes. */
  readbacks: number;
  readbackBytes: number;
  /** Bytes of device buffers kiln created and has not destroyed (pooled idle buffers included). */
  liveBytes: number;
  /** The most liveBytes has been (resettable by kiln bench between steps). */
  peakBytes: number;
}

export const deviceCounters: DeviceCounters = { uploads: 0, uploadBytes: 0, readbacks: 0, readbackBytes: 0, liveBytes: 0, peakBytes: 0 };

/** Counts a buffer kiln created (`bytes` > 0) or destroyed (`bytes` < 0). */
export function countDeviceBytes(bytes: number): void {
  deviceCounters.liveBytes += bytes;
  if (deviceCounters.liveBytes > deviceCounters.peakBytes) deviceCounters.peakBytes = deviceCounters.liveBytes;
}
