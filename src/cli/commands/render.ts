/**
 * `wslab render DIR#ID|FILE --out x.png [--size 28]`: a 2-D INR's image, evaluated on a size×size grid;
 * `--mesh x.obj`: a 3-D INR's zero level set (its surface), from a size³ grid of [−1, 1]³.
 */
import { parseArgs } from 'node:util';
import { loadInr } from '../../core/dataset/loadInr';
import { encodePng } from '../../core/image/codec';
import { renderSiren } from '../../core/inr/render';
import { pixelGrid } from '../../core/inr/spec';
import { writeFileAtomic } from '../../core/io/atomicWrite';
import { levelSetMesh } from '../../core/mesh/levelSet';
import { meshToObj } from '../../core/mesh/writeObj';
import { UsageError, type CommandIO } from '../command';
import { integerOption, SIREN_FILE_OPTIONS, sirenFileDefaults } from '../options';
import type { CliOptions } from '../optionHelp';

export const renderUsage =
  "wslab render DIR#ID|FILE --out x.png|--mesh x.obj [--size 28] [--w0 30] [--offset 0.5]   render an INR to a PNG, or a 3-D INR's surface to an OBJ";

export const RENDER_OPTIONS = {
  out: { type: 'string', value: 'x.png', help: 'The PNG to write (a 2-D INR).', defaultText: 'required unless --mesh' },
  mesh: { type: 'string', value: 'x.obj', help: 'The OBJ of a 3-D INR’s surface (its zero level set) to write.', defaultText: 'none' },
  size: { type: 'string', value: 'N', help: 'Side of the image in pixels, or grid points per axis for --mesh.', defaultText: '28, or 64 with --mesh' },
  ...SIREN_FILE_OPTIONS,
} satisfies CliOptions;

export async function renderCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: RENDER_OPTIONS });
  if (positionals.length !== 1 || (values.out === undefined) === (values.mesh === undefined))
    throw new UsageError(`render takes one INR and either --out or --mesh\nusage: ${renderUsage}`);
  const size = integerOption('size', values.size ?? (values.mesh ? '64' : '28'), values.mesh ? 2 : 1);
  const inr = await loadInr(positionals[0]!, sirenFileDefaults(values));
  if (values.mesh !== undefined) {
    if (inr.spec.inputDim !== 3 || inr.spec.outputDim !== 1)
      throw new UsageError(`--mesh draws the surface of a 3-D INR (3 → 1); this one maps ${inr.spec.inputDim} → ${inr.spec.outputDim}`);
    const mesh = levelSetMesh(renderSiren(inr.spec, inr.layers, gridPoints(size)), size);
    await writeFileAtomic(
      values.mesh,
      new TextEncoder().encode(meshToObj(mesh, [`zero level set of ${positionals[0]} on a ${size}³ grid of [-1, 1]³ (wslab render --mesh)`])),
    );
    io.stdout(
      `${values.mesh}: ${(mesh.triangles.length / 3).toLocaleString('en-US')} triangles${mesh.triangles.length === 0 ? ' (the INR is positive or negative everywhere in the cube)' : ''}`,
    );
    return 0;
  }
  if (values.out === undefined) throw new UsageError(`render takes one INR and either --out or --mesh\nusage: ${renderUsage}`);
  if (inr.spec.inputDim !== 2 || (inr.spec.outputDim !== 1 && inr.spec.outputDim !== 3)) {
    throw new UsageError(`render draws 2-D INRs with 1 or 3 outputs; this one maps ${inr.spec.inputDim} → ${inr.spec.outputDim}`);
  }
  const image = renderSiren(inr.spec, inr.layers, pixelGrid(size));
  await writeFileAtomic(values.out, encodePng(image, size, size, inr.spec.outputDim as 1 | 3));
  io.stdout(`${values.out}: ${size}×${size}${inr.item ? ` (label ${inr.item.label}, PSNR ${inr.item.psnr.toFixed(2)} dB)` : ''}`);
  return 0;
}

/** The points −1 + 2i/(n − 1) of [−1, 1]³, x fastest (as levelSetMesh reads its values). */
function gridPoints(n: number): Float32Array {
  const c = (i: number) => -1 + (2 * i) / (n - 1);
  const out = new Float32Array(3 * n * n * n);
  let at = 0;
  for (let z = 0; z < n; z++) {
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        out.set([c(x), c(y), c(z)], at);
        at += 3;
      }
    }
  }
  return out;
}
