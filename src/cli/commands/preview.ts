/**
 * `wslab preview --in FILE|DATASET#ID --aug … --out grid.png`: the INR and K augmented copies rendered
 * side by side, each captioned with its function-preservation error max|g(x) − f(A x + t)| over the
 * rendered grid (A x + t: the chain's input warps composed, identity when it has none), also printed to
 * stdout with the values drawn. For a dataset INR, copy c is exactly item ID-a{c} of
 * `wslab augment --seed S` (same seed derivation and partner draw).
 */
import { parseArgs } from 'node:util';
import type { AugmentStep } from '../../core/augment/chain';
import { AugmentError } from '../../core/augment/params';
import { previewAugmentations } from '../../core/augment/preview';
import { writeFileAtomic } from '../../core/io/atomicWrite';
import { UsageError, type CommandIO } from '../command';
import { integerOption, SIREN_FILE_OPTIONS, sirenFileDefaults } from '../options';
import type { CliOptions } from '../optionHelp';
import { parseAugOption } from './augment';

export const previewUsage =
  'wslab preview --in FILE|DATASET#ID --aug name[:k=v,…][+name…] --out grid.png [--copies 4] [--seed 0] [--size 84] [--partner FILE|DATASET#ID] [--w0 30] [--offset 0.5]\n' +
  '               original + augmented renderings side by side, function-preservation error under each';

export const PREVIEW_OPTIONS = {
  in: { type: 'string', value: 'FILE|DATASET#ID', help: 'The INR: a weight file, or item ID of a dataset folder.', required: true },
  aug: { type: 'string', value: 'name[:k=v,…][+name…]', help: 'The augmentations, applied in order.', required: true },
  out: { type: 'string', value: 'grid.png', help: 'The PNG to write.', required: true },
  copies: { type: 'string', default: '4', value: 'K', help: 'Augmented copies beside the original.' },
  seed: { type: 'string', default: '0', value: 'S', help: 'Seeds the values drawn (as wslab augment --seed S).' },
  size: { type: 'string', default: '84', value: 'PX', help: 'Side of each rendering in pixels.' },
  partner: { type: 'string', value: 'FILE|DATASET#ID', help: "MixUp's partner INR.", defaultText: "drawn from the INR's split, or required for a file" },
  ...SIREN_FILE_OPTIONS,
} satisfies CliOptions;

export async function previewCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: PREVIEW_OPTIONS });
  if (!values.in || !values.out) throw new UsageError(`preview needs --in and --out\nusage: ${previewUsage}`);
  const steps: AugmentStep[] = parseAugOption(values.aug);
  const copies = integerOption('copies', values.copies, 1);
  const seed = integerOption('seed', values.seed, 0);
  const size = integerOption('size', values.size, 1);
  const defaults = sirenFileDefaults(values);

  let preview;
  try {
    preview = await previewAugmentations({ input: values.in, partner: values.partner, steps, copies, seed, size, ...defaults });
  } catch (e) {
    // A chain the INR does not accept (MixUp without a partner, rotate on a 3-D INR, …) is a wrong argument.
    if (e instanceof AugmentError) throw new UsageError(`--aug: ${e.message}`);
    throw e;
  }
  await writeFileAtomic(values.out, preview.png);
  io.stdout(`${values.out}: original + ${copies} cop${copies === 1 ? 'y' : 'ies'} of ${values.in}, ${size}×${size} each`);
  for (const line of preview.lines) io.stdout(line);
  return 0;
}
