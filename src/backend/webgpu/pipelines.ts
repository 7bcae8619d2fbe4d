/**
 * Compute pipelines, compiled once per device and cached. WGSL comes from
 * `shaders/<family>.wgsl` in the package (one kernel family per file).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// src/backend/webgpu/ and dist/backend/webgpu/ both sit three levels below the package root.
const shaderDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shaders');
const sources = new Map<string, string>();

export function shaderSource(family: string): string {
  let src = sources.get(family);
  if (src === undefined) {
    src = readFileSync(join(shaderDir, `${family}.wgsl`), 'utf8');
    sources.set(family, src);
  }
  return src;
}

export class PipelineCache {
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly pipelines = new Map<string, GPUComputePipeline>();

  constructor(private readonly device: GPUDevice) {}

  get(family: string, entryPoint: string, constants: Record<string, number> = {}): GPUComputePipeline {
    const key = `${family}:${entryPoint}:${JSON.stringify(constants)}`;
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      let module = this.modules.get(family);
      if (!module) {
        module = this.device.createShaderModule({ label: family, code: shaderSource(family) });
        this.modules.set(family, module);
      }
      pipeline = this.device.createComputePipeline({
        label: `${family}.${entryPoint}`,
        layout: 'auto',
        compute: { module, entryPoint, constants },
      });
      this.pipelines.set(key, pipeline);
    }
    return pipeline;
  }
}
