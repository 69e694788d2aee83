/**
 * Child-process probe for the memory tests: does one job in a fresh process and prints, as JSON, its peak
 * resident memory (process.resourceUsage().maxRSS, worker threads included) and the memory it still
 * holds at the end after a full GC (JS heap in use + array buffers: what a leak would grow).
 *   node --expose-gc --import tsx test/soak/memoryProbe.ts inspect FILE    (what `wslab inspect` does)
 *   node --expose-gc --import tsx test/soak/memoryProbe.ts values FILE     (the inspector's worker: every
 *     tensor's statistics, histogram, heatmap and norms, through InspectEngine)
 *   node --expose-gc --import tsx test/soak/memoryProbe.ts generate OUT INRS
 * `generate` runs the real pipeline (plan, MNIST source, shard writer, manifest) with an instant backend
 * that returns each INR's initial weights, so the pipeline's own memory shows without minutes of fitting.
 */
import { inspectWeightFile } from '../../src/core/inspect/report';
import { InspectEngine } from '../../src/core/inspect/engine';
import { generateDataset } from '../../src/core/dataset/generate';
import { loadBundledDataset } from '../../src/core/dataset/bundledSource';
import type { FitBackend } from '../../src/core/inr/backend';
import { DEFAULT_SIREN } from '../../src/core/inr/spec';

const instant: FitBackend = {
  name: 'instant',
  fit: async (tasks, _options, hooks) =>
    tasks.map((t) => {
      const r = { id: t.id, layers: t.init.map((l) => ({ ...l })), psnr: 10, steps: 0 };
      hooks?.onResult?.(r);
      return r;
    }),
  close: async () => undefined,
};

async function main(): Promise<void> {
  const [mode, path, count] = process.argv.slice(2) as [string, string, string | undefined];
  let detail: unknown;
  if (mode === 'inspect') detail = (await inspectWeightFile(path)).tensors.length;
  else if (mode === 'values') {
    const engine = await InspectEngine.open(path);
    let sum = 0;
    for (const t of engine.header.tensors) sum += (await engine.tensorValues(t.name)).histogram.counts.reduce((a, b) => a + b, 0);
    await engine.close();
    detail = sum;
  } else {
    const inrs = Number(count);
    const views = Math.ceil(inrs / 10_000);
    const manifest = await generateDataset({
      out: path,
      source: await loadBundledDataset('mnist'),
      spec: DEFAULT_SIREN,
      fit: { steps: 1, targetPsnr: null, lr: 5e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      limit: Math.ceil(inrs / views),
      views,
      seed: 0,
      valFraction: 0.1,
      testFraction: 0.1,
      shardSize: 256,
      backend: instant,
    });
    detail = manifest.items.length;
  }
  // Two full collections with a pause between, so array buffers freed by the first are swept too.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((r) => setTimeout(r, 200));
  gc?.();
  const usage = process.memoryUsage();
  const mib = (n: number) => n / 2 ** 20;
  console.log(
    JSON.stringify({
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      retainedMiB: mib(usage.heapUsed + usage.arrayBuffers),
      detail,
      rssMiB: mib(usage.rss),
      heapUsedMiB: mib(usage.heapUsed),
      arrayBuffersMiB: mib(usage.arrayBuffers),
    }),
  );
}
void main();
