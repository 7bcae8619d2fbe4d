/** `kiln card --model M [--out card.md]`: a model card in Markdown, from a model file or a registered version. */
import { basename, resolve } from 'node:path';
import { writeFileAtomic } from '../deploy/atomic-write.js';
import { modelCard } from '../deploy/model-card.js';
import { resolveModel } from './model-ref.js';

export interface CardFlags {
  model: string;
  registry?: string;
  out?: string;
  title?: string;
}

export async function cardCommand(flags: CardFlags): Promise<void> {
  const ref = await resolveModel(flags.model, flags.registry);
  // a pipeline's card is titled by its final estimator, not "Pipeline"
  const steps = (ref.manifest.params as { steps?: { className?: string }[] }).steps;
  const estimator = Array.isArray(steps) ? steps[steps.length - 1]?.className : undefined;
  const title =
    flags.title ??
    `Model card: ${ref.registry ? `${ref.registry.name} v${ref.registry.version}` : basename(ref.label)} (${estimator ?? ref.manifest.className})`;
  const md = await modelCard(ref.manifest, {
    title,
    ...(ref.registry ? { registry: ref.registry } : {}),
  });
  if (!flags.out) {
    process.stdout.write(md.endsWith('\n') ? md : `${md}\n`);
    return;
  }
  const path = resolve(flags.out);
  await writeFileAtomic(path, new TextEncoder().encode(md), `kiln card: writing ${path}`);
  process.stderr.write(`model card of ${ref.label} → ${path}\n`);
}
