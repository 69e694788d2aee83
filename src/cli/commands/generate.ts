/** `wslab generate`: fits one SIREN per image into a sharded, resumable INR dataset. */
import { parseArgs } from 'node:util';
import { generateDataset, type GenerateEvent } from '../../core/dataset/generate';
import { openImageSource } from '../../core/dataset/openSource';
import { parseShardSelector } from '../../core/dataset/plan';
import { createBackend } from '../../core/inr/backend';
import { DEFAULT_SIREN } from '../../core/inr/spec';
import { formatCount } from '../../protocol/display';
import { UsageError, type CommandIO } from '../command';
import { ProgressReporter, formatDuration, type ProgressMode } from '../progress';
import { integerOption, numberOption } from '../options';

export const generateUsage =
  'wslab generate --dataset mnist|fashion-mnist|PATH --out DIR [--limit N] [--views K] [--steps 1000] [--target-psnr 40|none]\n' +
  '               [--seed 0] [--shard i/n] [--shard-size 256] [--val 0.1] [--test 0.1] [--workers W] [--backend auto|wasm|reference|tfjs-node-gpu]\n' +
  '               [--progress bar|json|none]   fit one SIREN per image; rerun to resume';

export async function generateCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      dataset: { type: 'string' },
      out: { type: 'string' },
      limit: { type: 'string' },
      views: { type: 'string', default: '1' },
      steps: { type: 'string', default: '1000' },
      'target-psnr': { type: 'string', default: '40' },
      seed: { type: 'string', default: '0' },
      shard: { type: 'string' },
      'shard-size': { type: 'string', default: '256' },
      val: { type: 'string', default: '0.1' },
      test: { type: 'string', default: '0.1' },
      workers: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      progress: { type: 'string', default: 'bar' },
    },
  });
  if (!values.dataset || !values.out) throw new UsageError(`generate needs --dataset and --out\nusage: ${generateUsage}`);
  const backendKind = values.backend;
  if (!['auto', 'wasm', 'reference', 'tfjs-node-gpu'].includes(backendKind)) throw new UsageError(`unknown --backend "${backendKind}"`);
  const mode = values.progress as ProgressMode;
  if (!['bar', 'json', 'none'].includes(mode)) throw new UsageError(`--progress must be bar, json or none`);
  const targetPsnr = values['target-psnr'] === 'none' ? null : numberOption('target-psnr', values['target-psnr']);

  const source = await openImageSource(values.dataset);
  const backend = await createBackend(backendKind as 'auto', { workers: values.workers === undefined ? undefined : integerOption('workers', values.workers, 1) });
  const progress = new ProgressReporter(mode);
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('cancelled'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const manifest = await generateDataset({
      out: values.out,
      source,
      spec: { ...DEFAULT_SIREN, outputDim: source.channels },
      fit: { steps: integerOption('steps', values.steps, 1), targetPsnr, lr: 5e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      limit: values.limit === undefined ? undefined : integerOption('limit', values.limit, 1),
      views: integerOption('views', values.views, 1),
      seed: integerOption('seed', values.seed, 0),
      valFraction: numberOption('val', values.val),
      testFraction: numberOption('test', values.test),
      shardSize: integerOption('shard-size', values['shard-size'], 1),
      part: values.shard === undefined ? undefined : parseShardSelector(values.shard),
      backend,
      signal: controller.signal,
      onEvent: (e: GenerateEvent) => {
        progress.event(e);
        if (e.type === 'start' && mode === 'bar') {
          io.stderr(`${source.name}: ${formatCount(e.total)} INRs planned; ${formatCount(e.kept)} already done, ${formatCount(e.todo)} to fit on ${e.backend}`);
        }
        if (e.type === 'progress') {
          progress.update({
            done: e.done,
            total: e.todo,
            details: [`${formatCount(Math.round(e.inrStepsPerSec))} INR-steps/s`, ...(e.meanPsnr === null ? [] : [`PSNR ${e.meanPsnr.toFixed(2)} dB`])],
            etaSec: e.etaSec,
          });
        }
        if (e.type === 'done') {
          progress.finish();
          if (mode === 'bar') io.stderr(`fitted ${formatCount(e.fitted)} INRs in ${formatDuration(e.elapsedMs / 1000)}, peak memory ${Math.round(e.peakRssMiB)} MiB${e.complete ? '' : ' (this part; run wslab merge when all parts are done)'}`);
        }
      },
    });
    if (mode !== 'json') io.stdout(`${values.out}: ${formatCount(manifest.items.length)} INRs${manifest.complete ? '' : ' (partial)'}`);
    return 0;
  } catch (e) {
    progress.finish();
    if (controller.signal.aborted) {
      io.stderr(`wslab: generation cancelled; finished shards are kept — rerun the same command to resume`);
      return 130;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await backend.close();
  }
}
