/**
 * `kiln export <model> --format onnx -o model.onnx`: a model file, or with --registry a
 * registered version (name, name@alias, name@version), written in a foreign format.
 */
import { resolve } from 'node:path';
import { ColumnTransformer } from '../compose/column-transformer.js';
import { Pipeline } from '../compose/pipeline.js';
import { ParamError } from '../core/errors.js';
import { writeFileAtomic } from '../deploy/atomic-write.js';
import { loadWithManifest } from '../deploy/model-file.js';
import { toOnnx } from '../interop/onnx/export.js';
import { resolveModel } from './model-ref.js';

export interface ExportFlags {
  format: string;
  out: string;
  registry?: string;
  inputName?: string;
  opset?: string;
  targetOpset?: string;
}

function integer(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new ParamError(`${flag} must be an integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

export async function exportCommand(model: string, flags: ExportFlags): Promise<void> {
  if (flags.format !== 'onnx') throw new ParamError(`--format must be 'onnx' (the one export format so far), got ${JSON.stringify(flags.format)}`);
  const ref = await resolveModel(model, flags.registry);
  const { model: loaded, manifest } = await loadWithManifest(ref.path, ref.sha256 === undefined ? {} : { sha256: ref.sha256 });
  // a pipeline that reads columns (kiln train's) gets one ONNX input per column, named as the manifest names them
  const columns = loaded instanceof Pipeline && loaded.steps[0][1] instanceof ColumnTransformer && manifest.featureNames ? manifest.featureNames : undefined;
  const opset = integer(flags.opset, '--opset');
  const targetOpset = integer(flags.targetOpset, '--target-opset');
  const bytes = toOnnx(loaded, {
    ...(flags.inputName === undefined ? {} : { inputName: flags.inputName }),
    ...(opset === undefined ? {} : { opset }),
    ...(targetOpset === undefined ? {} : { targetOpset }),
    ...(columns ? { columnNames: columns } : {}),
  });
  const path = resolve(flags.out);
  await writeFileAtomic(path, bytes, `kiln export: writing ${path}`);
  process.stderr.write(`${ref.label} → ${path} (ONNX, ${bytes.length} bytes)\n`);
}
