/** `wslab render DIR#ID|FILE --out x.png [--size 28]`: an INR's image, evaluated on a size×size grid. */
import { parseArgs } from 'node:util';
import { loadInr } from '../../core/dataset/loadInr';
import { encodePng } from '../../core/image/codec';
import { renderSiren } from '../../core/inr/render';
import { pixelGrid } from '../../core/inr/spec';
import { writeFileAtomic } from '../../core/io/atomicWrite';
import { UsageError, type CommandIO } from '../command';
import { integerOption, SIREN_FILE_OPTIONS, sirenFileDefaults } from '../options';
import type { CliOptions } from '../optionHelp';

export const renderUsage = 'wslab render DIR#ID|FILE --out x.png [--size 28] [--w0 30] [--offset 0.5]   render an INR to a PNG';

export const RENDER_OPTIONS = {
  out: { type: 'string', value: 'x.png', help: 'The PNG to write.', required: true },
  size: { type: 'string', default: '28', value: 'PX', help: 'Side of the image in pixels.' },
  ...SIREN_FILE_OPTIONS,
} satisfies CliOptions;

export async function renderCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: RENDER_OPTIONS });
  if (positionals.length !== 1 || !values.out) throw new UsageError(`render takes one INR and --out\nusage: ${renderUsage}`);
  const size = integerOption('size', values.size, 1);
  const inr = await loadInr(positionals[0]!, sirenFileDefaults(values));
  if (inr.spec.inputDim !== 2 || (inr.spec.outputDim !== 1 && inr.spec.outputDim !== 3)) {
    throw new UsageError(`render draws 2-D INRs with 1 or 3 outputs; this one maps ${inr.spec.inputDim} → ${inr.spec.outputDim}`);
  }
  const image = renderSiren(inr.spec, inr.layers, pixelGrid(size));
  await writeFileAtomic(values.out, encodePng(image, size, size, inr.spec.outputDim as 1 | 3));
  io.stdout(`${values.out}: ${size}×${size}${inr.item ? ` (label ${inr.item.label}, PSNR ${inr.item.psnr.toFixed(2)} dB)` : ''}`);
  return 0;
}
