export { benchmark, BENCHMARK_SCHEMA_VERSION, type BenchData, type BenchmarkOptions, type BenchmarkResult, type BenchStep } from './run.js';
export {
  checkRequirement,
  checkResult,
  compareToBaseline,
  GATE_METRICS,
  metricOf,
  parseRequirement,
  parseSlowdown,
  type GateMetric,
  type Regression,
  type Requirement,
  type RequirementCheck,
} from './gate.js';
export { describeMachine, type MachineInfo } from './machine.js';
export type { Latency, Spread } from './summary.js';
