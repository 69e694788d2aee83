/** `wslab augment`: an augmented copy of an INR dataset, in the same format, recording what was drawn. */
import { parseArgs } from 'node:util';
import { ALL_SPLITS, augmentDataset } from '../../core/augment/augmentDataset';
import { parseAugmentations } from '../../core/augment/parse';
import { AugmentError } from '../../core/augment/params';
import type { Split } from '../../core/dataset/plan';
import { formatCount } from '../../protocol/display';
import { UsageError, type CommandIO } from '../command';
import { integerOption } from '../options';
import type { CliOptions } from '../optionHelp';

export const augmentUsage =
  'wslab augment --in DATASET --aug name[:k=v,…][+name…] --out DIR [--copies 1] [--seed 0] [--split train,val,test] [--shard-size N]\n' +
  '               K augmented copies of every INR (MixUp partners from the same split); items record parent, partner and the values drawn';

export const AUGMENT_OPTIONS = {
  in: { type: 'string', value: 'DATASET', help: 'The INR dataset folder to augment.', required: true },
  aug: {
    type: 'string',
    value: 'name[:k=v,…][+name…]',
    help: 'The augmentations, applied in order (docs/augmentations.md lists them and their parameters).',
    required: true,
  },
  out: { type: 'string', value: 'DIR', help: 'The augmented dataset folder to write.', required: true },
  copies: { type: 'string', default: '1', value: 'K', help: 'Augmented copies of every INR.' },
  seed: { type: 'string', default: '0', value: 'S', help: 'Seeds the values drawn (and the MixUp partners).' },
  split: { type: 'string', default: ALL_SPLITS.join(','), value: 'LIST', help: 'The splits to augment.' },
  'shard-size': { type: 'string', value: 'N', help: 'INRs per shard file.', defaultText: "the input's" },
} satisfies CliOptions;

/** Parses the augmentation chain; its errors are usage errors (exit code 2). */
export function parseAugOption(text: string | undefined) {
  if (text === undefined) throw new UsageError('--aug is required, e.g. --aug translate or --aug rotate:degrees=15+siren-negation');
  try {
    return parseAugmentations(text);
  } catch (e) {
    if (e instanceof AugmentError) throw new UsageError(`--aug: ${e.message}`);
    throw e;
  }
}

function parseSplits(text: string): Split[] {
  const splits = text.split(',').map((s) => s.trim());
  const bad = splits.find((s) => !(ALL_SPLITS as readonly string[]).includes(s));
  if (bad !== undefined) throw new UsageError(`--split: unknown split "${bad}" (splits: ${ALL_SPLITS.join(', ')})`);
  return splits as Split[];
}

export async function augmentCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: AUGMENT_OPTIONS });
  if (!values.in || !values.out) throw new UsageError(`augment needs --in and --out\nusage: ${augmentUsage}`);
  const steps = parseAugOption(values.aug);
  try {
    const manifest = await augmentDataset({
      input: values.in,
      out: values.out,
      steps,
      copies: integerOption('copies', values.copies, 1),
      seed: integerOption('seed', values.seed, 0),
      splits: parseSplits(values.split),
      shardSize: values['shard-size'] === undefined ? undefined : integerOption('shard-size', values['shard-size'], 1),
      onShard: (written, total) => io.stderr(`${formatCount(written)}/${formatCount(total)} augmented INRs written`),
    });
    io.stdout(
      `${values.out}: ${formatCount(manifest.items.length)} INRs (${manifest.augment.aug}, ${manifest.augment.copies} per INR of ${manifest.augment.splits.join('/')})`,
    );
    return 0;
  } catch (e) {
    // Requirements not met by the dataset (e.g. rotate on a 3-D INR) are wrong arguments.
    if (e instanceof AugmentError) throw new UsageError(`--aug: ${e.message}`);
    throw e;
  }
}
