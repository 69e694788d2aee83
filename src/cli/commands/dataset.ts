/** `wslab merge DIR` and `wslab export --format dwsnets DIR OUT`: whole-dataset operations. */
import { parseArgs } from 'node:util';
import { mergeDataset } from '../../core/dataset/merge';
import { exportDwsnets } from '../../core/dataset/exportDwsnets';
import { formatCount } from '../../protocol/display';
import { UsageError, type CommandIO } from '../command';
import type { CliOptions } from '../optionHelp';

export const mergeUsage = 'wslab merge DIR   join the shards of a dataset made in parts (--shard i/n) into DIR/manifest.json';
export const exportUsage = 'wslab export --format dwsnets DIR OUT [--relative]   per-INR .pth files + splits.json for the DWSNets loaders';

export async function mergeCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError(`merge takes one dataset folder\nusage: ${mergeUsage}`);
  const manifest = await mergeDataset(positionals[0]!);
  io.stdout(`${positionals[0]}: merged ${formatCount(manifest.items.length)} INRs into manifest.json`);
  return 0;
}

export const EXPORT_OPTIONS = {
  format: { type: 'string', default: 'dwsnets', value: 'dwsnets', help: "The layout to write (the DWSNets loaders' per-INR .pth files)." },
  relative: { type: 'boolean', default: false, help: 'Write paths in splits.json relative to OUT rather than absolute.' },
} satisfies CliOptions;

export async function exportCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: EXPORT_OPTIONS });
  if (values.format !== 'dwsnets') throw new UsageError(`unknown export format "${values.format}" (supported: dwsnets)`);
  if (positionals.length !== 2) throw new UsageError(`export takes a dataset folder and an output folder\nusage: ${exportUsage}`);
  const [dir, out] = positionals as [string, string];
  const result = await exportDwsnets(dir, out, { relativeTo: values.relative ? out : undefined });
  io.stdout(`${out}: ${formatCount(result.files)} .pth files; splits in ${result.splitsPath}`);
  return 0;
}
