/**
 * Makes docs/generation.png: source images and their INR reconstructions (rendered at 3× resolution,
 * upsampled sources beside them) for a few MNIST and Fashion-MNIST images fitted with the default
 * settings (1,000 steps, stop at 40 dB). Run: node --import tsx scripts/docs/generation-figure.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '../../src/core/dataset/generate';
import { loadBundledDataset } from '../../src/core/dataset/bundledSource';
import type { BundledDatasetName } from '../../src/core/dataset/bundledDatasets';
import { loadInr } from '../../src/core/dataset/loadInr';
import { encodePng } from '../../src/core/image/codec';
import { createBackend } from '../../src/core/inr/backend';
import { renderSiren } from '../../src/core/inr/render';
import { DEFAULT_SIREN, pixelGrid } from '../../src/core/inr/spec';
import { writeFileAtomic } from '../../src/core/io/atomicWrite';

const PER_ROW = 8;
const SCALE = 3;
const CELL = 28 * SCALE;
const GAP = 4;

async function main(): Promise<void> {
  const rows: Float32Array[][] = [];
  const backend = await createBackend('wasm');
  const psnrs: number[] = [];
  try {
    for (const name of ['mnist', 'fashion-mnist'] as BundledDatasetName[]) {
      const out = mkdtempSync(join(tmpdir(), 'wslab-figure-'));
      const source = await loadBundledDataset(name);
      const manifest = await generateDataset({
        out,
        source,
        spec: DEFAULT_SIREN,
        backend,
        fit: { steps: 1000, targetPsnr: 40, lr: 5e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
        limit: PER_ROW,
        views: 1,
        seed: 1,
        valFraction: 0,
        testFraction: 0,
        shardSize: PER_ROW,
      });
      const sources: Float32Array[] = [];
      const fits: Float32Array[] = [];
      for (const item of manifest.items) {
        const image = (await source.image(item.index)).pixels;
        sources.push(
          Float32Array.from({ length: CELL * CELL }, (_, p) => image[Math.floor(Math.floor(p / CELL) / SCALE) * 28 + Math.floor((p % CELL) / SCALE)]!),
        );
        const inr = await loadInr(`${out}#${item.id}`);
        fits.push(renderSiren(inr.spec, inr.layers, pixelGrid(CELL)));
        psnrs.push(item.psnr);
      }
      rows.push(sources, fits);
      rmSync(out, { recursive: true, force: true });
    }
  } finally {
    await backend.close();
  }
  const width = PER_ROW * CELL + (PER_ROW + 1) * GAP;
  const height = rows.length * CELL + (rows.length + 1) * GAP;
  const canvas = new Float32Array(width * height).fill(0.35);
  rows.forEach((row, r) =>
    row.forEach((cell, c) => {
      const x0 = GAP + c * (CELL + GAP);
      const y0 = GAP + r * (CELL + GAP);
      for (let y = 0; y < CELL; y++) canvas.set(cell.subarray(y * CELL, (y + 1) * CELL), (y0 + y) * width + x0);
    }),
  );
  await writeFileAtomic('docs/generation.png', encodePng(canvas, width, height, 1));
  const mean = psnrs.reduce((a, b) => a + b, 0) / psnrs.length;
  console.log(
    `docs/generation.png: rows = MNIST sources, INRs, Fashion-MNIST sources, INRs; mean PSNR ${mean.toFixed(2)} dB (min ${Math.min(...psnrs).toFixed(2)})`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
