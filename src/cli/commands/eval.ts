/** `wslab eval RUN`: accuracy and loss of a run's best (or last) checkpoint on a split of its dataset. */
import { parseArgs } from 'node:util';
import { evaluateRun, type CheckpointChoice } from '../../core/train/evaluateRun';
import { UsageError, type CommandIO } from '../command';
import type { CliOptions } from '../optionHelp';

export const evalUsage = 'wslab eval RUN [--split test|val|train] [--checkpoint best|last] [--json]   evaluate a run folder';

export const EVAL_OPTIONS = {
  split: { type: 'string', default: 'test', value: 'test|val|train', help: "The split of the run's dataset to evaluate on." },
  checkpoint: { type: 'string', default: 'best', value: 'best|last', help: "The best-validation checkpoint or the last epoch's." },
  json: { type: 'boolean', default: false, help: 'Print one JSON object.' },
} satisfies CliOptions;

export async function evalCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: EVAL_OPTIONS });
  const [dir] = positionals;
  if (!dir || positionals.length > 1) throw new UsageError(`usage: ${evalUsage}`);
  const split = values.split as 'train' | 'val' | 'test';
  if (!['train', 'val', 'test'].includes(split)) throw new UsageError(`--split must be train, val or test, got "${values.split}"`);
  if (!['best', 'last'].includes(values.checkpoint!)) throw new UsageError(`--checkpoint must be best or last`);
  const score = await evaluateRun(dir, split, values.checkpoint as CheckpointChoice);
  if (values.json) io.stdout(JSON.stringify({ run: dir, checkpoint: values.checkpoint, split, ...score }));
  else
    io.stdout(`${dir} (${values.checkpoint}): ${split} accuracy ${(100 * score.accuracy).toFixed(2)}%, loss ${score.loss.toFixed(4)} over ${score.count} INRs`);
  return 0;
}
