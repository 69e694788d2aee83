/**
 * `wslab render DIR#ID|FILE --out x.png [--size 28]`: a 2-D INR's image, evaluated on a size×size grid, or
 * a 3-D INR's surface seen from a camera (ray-marched, shaded); `--mesh x.obj`: a 3-D INR's zero level set
 * as a mesh, from a size³ grid of [−1, 1]³.
 */
import { parseArgs } from 'node:util';
import { loadInr } from '../../core/dataset/loadInr';
import { encodePng } from '../../core/image/codec';
import { renderSiren } from '../../core/inr/render';
import { DEFAULT_CAMERA } from '../../core/inr/rayMarch';
import { cubeGrid } from '../../core/inr/spec';
import { renderInrImage, unrenderableReason } from '../../core/inr/renderImage';
import { writeFileAtomic } from '../../core/io/atomicWrite';
import { levelSetMesh } from '../../core/mesh/levelSet';
import { meshToObj } from '../../core/mesh/writeObj';
import { UsageError, type CommandIO } from '../command';
import { integerOption, numberOption, SIREN_FILE_OPTIONS, sirenFileDefaults } from '../options';
import type { CliOptions } from '../optionHelp';

export const renderUsage =
  "wslab render DIR#ID|FILE --out x.png|--mesh x.obj [--size 28] [--w0 30] [--offset 0.5]   render an INR to a PNG, or a 3-D INR's surface to an OBJ";

export const RENDER_OPTIONS = {
  out: {
    type: 'string',
    value: 'x.png',
    help: 'The PNG to write: a 2-D INR’s image, or a 3-D INR’s surface seen from a camera.',
    defaultText: 'required unless --mesh',
  },
  mesh: { type: 'string', value: 'x.obj', help: 'The OBJ of a 3-D INR’s surface (its zero level set) to write.', defaultText: 'none' },
  size: {
    type: 'string',
    value: 'N',
    help: 'Side of the image in pixels, or grid points per axis for --mesh.',
    defaultText: '28 (2-D), 128 (3-D), 64 with --mesh',
  },
  azimuth: { type: 'string', default: String(DEFAULT_CAMERA.azimuth), value: 'DEG', help: 'A 3-D INR’s camera: degrees about the z axis.' },
  elevation: { type: 'string', default: String(DEFAULT_CAMERA.elevation), value: 'DEG', help: 'A 3-D INR’s camera: degrees above the xy plane.' },
  ...SIREN_FILE_OPTIONS,
} satisfies CliOptions;

export async function renderCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: RENDER_OPTIONS });
  if (positionals.length !== 1 || (values.out === undefined) === (values.mesh === undefined))
    throw new UsageError(`render takes one INR and either --out or --mesh\nusage: ${renderUsage}`);
  const inr = await loadInr(positionals[0]!, sirenFileDefaults(values));
  const size = integerOption('size', values.size ?? (values.mesh ? '64' : inr.spec.inputDim === 3 ? '128' : '28'), values.mesh ? 2 : 1);
  if (values.mesh !== undefined) {
    if (inr.spec.inputDim !== 3 || inr.spec.outputDim !== 1)
      throw new UsageError(`--mesh draws the surface of a 3-D INR (3 → 1); this one maps ${inr.spec.inputDim} → ${inr.spec.outputDim}`);
    const mesh = levelSetMesh(renderSiren(inr.spec, inr.layers, cubeGrid(size)), size);
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
  const reason = unrenderableReason(inr.spec);
  if (reason) throw new UsageError(`render: ${reason}`);
  const camera = { azimuth: numberOption('azimuth', values.azimuth), elevation: numberOption('elevation', values.elevation) };
  const image = renderInrImage(inr.spec, inr.layers, size, { kind: 'surface', ...camera });
  await writeFileAtomic(values.out, encodePng(image.pixels, size, size, image.channels as 1 | 3));
  io.stdout(`${values.out}: ${size}×${size}${inr.item ? ` (label ${inr.item.label}, PSNR ${inr.item.psnr.toFixed(2)} dB)` : ''}`);
  return 0;
}
