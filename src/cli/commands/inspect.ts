/** `wslab inspect FILE [--json]`: the tensors of a weight file with their statistics. */
import { parseArgs } from 'node:util';
import { inspectWeightFile, type InspectReport } from '../../core/inspect/report';
import { formatCount, formatCountOf, formatNumber, formatPercent, formatShape, summariseMetadata } from '../../protocol/display';
import { renderTable } from '../table';
import { UsageError, type CommandIO } from '../command';
import type { CliOptions } from '../optionHelp';

export const inspectUsage = 'wslab inspect FILE [--json]   list the tensors of a .safetensors/.npy/.npz/.pt/.pth file with statistics';

export const INSPECT_OPTIONS = {
  json: { type: 'boolean', default: false, help: 'Print the whole report (every metadata value in full) as JSON.' },
} satisfies CliOptions;

export async function inspectCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: INSPECT_OPTIONS, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError(`inspect takes one file\nusage: ${inspectUsage}`);
  const report = await inspectWeightFile(positionals[0]!);
  io.stdout(values.json ? JSON.stringify(report, null, 2) : renderReport(report));
  return 0;
}

export function renderReport(report: InspectReport): string {
  const total = report.tensors.reduce((n, t) => n + t.params, 0);
  const nonFinite = report.tensors.reduce((n, t) => n + t.nonFinite, 0);
  const lines = [
    `${report.file}`,
    `format ${report.format} · ${formatCountOf(report.tensors.length, 'tensor')} · ${formatCountOf(total, 'parameter')}${nonFinite ? ` · ${formatCount(nonFinite)} NaN/Inf` : ''}`,
  ];
  // Long values (a shard's item list) are summarised; --json prints them whole.
  for (const [key, value] of Object.entries(report.metadata)) lines.push(`${key}: ${summariseMetadata(value)}`);
  if (Object.values(report.metadata).some((v) => summariseMetadata(v) !== v)) lines.push('(long metadata summarised: --json prints it all)');
  const right = { align: 'right' } as const;
  const table = renderTable(
    [
      { title: 'name' },
      { title: 'dtype' },
      { title: 'shape' },
      { title: 'params', ...right },
      { title: 'min', ...right },
      { title: 'max', ...right },
      { title: 'mean', ...right },
      { title: 'std', ...right },
      { title: 'zeros', ...right },
      { title: 'NaN/Inf', ...right },
    ],
    report.tensors.map((t) => [
      t.name,
      t.dtype,
      formatShape(t.shape),
      formatCount(t.params),
      formatNumber(t.min),
      formatNumber(t.max),
      formatNumber(t.mean),
      formatNumber(t.std),
      formatPercent(t.zerosPct),
      String(t.nonFinite),
    ]),
  );
  return `${lines.join('\n')}\n\n${table}`;
}
