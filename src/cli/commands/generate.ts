/** `wslab generate`: fits one SIREN per image into a sharded, resumable INR dataset. */
import { parseArgs } from 'node:util';
import type { GenerateEvent } from '../../core/dataset/generate';
import { GENERATION_DEFAULTS, type GenerationRequest } from '../../core/dataset/generationRequest';
import { parseShardSelector, type PlanPart } from '../../core/dataset/plan';
import { BACKEND_KINDS, type BackendKind } from '../../core/inr/backend';
import { WebGpuBackend } from '../../core/inr/webgpuBackend';
import { formatCount } from '../../protocol/display';
import { UsageError, type CommandIO } from '../command';
import { generateProgressRenderer } from '../generateProgress';
import { PROGRESS_OPTION, ProgressReporter, progressMode, type ProgressMode } from '../progress';
import { integerOption, numberOption, widthsOption } from '../options';
import type { CliOptions } from '../optionHelp';
import { runGeneration } from '../../core/dataset/runGeneration';
import { cancelOnSignal } from '../cancelOnSignal';

export const generateUsage =
  'wslab generate --dataset mnist|fashion-mnist|PATH --out DIR [--limit N] [--views K] [--steps 1000] [--target-psnr 40|none]\n' +
  `               [--seed 0] [--shard i/n] [--shard-size 256] [--val 0.1] [--test 0.1] [--workers W] [--backend ${BACKEND_KINDS.join('|')}]\n` +
  '               [--progress bar|json|none]   fit one SIREN per image; rerun to resume';

/** The options of `wslab generate`, shared with `wslab slurm generate` (which forwards them to each task). */
export const GENERATE_OPTIONS = {
  dataset: {
    type: 'string',
    value: 'mnist|fashion-mnist|PATH',
    help: 'The images: a built-in dataset or a folder of images (one subfolder per class).',
    required: true,
  },
  out: { type: 'string', value: 'DIR', help: 'The dataset folder to write (rerun the same command to resume).', required: true },
  limit: { type: 'string', value: 'N', help: 'Fit N images, a seeded random sample of the source.', defaultText: 'all' },
  views: {
    type: 'string',
    default: String(GENERATION_DEFAULTS.views),
    value: 'K',
    help: 'INRs per image (each its own initialisation); all views of an image share a split.',
  },
  hidden: {
    type: 'string',
    default: GENERATION_DEFAULTS.hidden.join(','),
    value: 'W,W',
    help: 'Widths of the SIREN’s hidden layers (2 → W → W → channels for images, 3 → W → W → 1 for meshes).',
  },
  steps: { type: 'string', default: String(GENERATION_DEFAULTS.steps), value: 'N', help: 'Adam steps per INR at most.' },
  'target-psnr': {
    type: 'string',
    default: String(GENERATION_DEFAULTS.targetPsnr),
    value: 'dB|none',
    help: 'Stop fitting an INR once it reaches this PSNR; none fits every step.',
  },
  seed: { type: 'string', default: String(GENERATION_DEFAULTS.seed), value: 'S', help: 'Seeds the initialisations and the split.' },
  shard: { type: 'string', value: 'i/n', help: 'Fit only part i of n (a cluster task); join the parts with wslab merge.', defaultText: 'the whole dataset' },
  'shard-size': { type: 'string', default: String(GENERATION_DEFAULTS.shardSize), value: 'N', help: 'INRs per shard file (the unit of resume).' },
  val: { type: 'string', default: String(GENERATION_DEFAULTS.valFraction), value: 'F', help: 'Fraction of the images for the validation split.' },
  test: { type: 'string', default: String(GENERATION_DEFAULTS.testFraction), value: 'F', help: 'Fraction of the images for the test split.' },
  workers: { type: 'string', value: 'W', help: 'Worker threads of the wasm backend.', defaultText: 'one per core' },
  backend: {
    type: 'string',
    default: GENERATION_DEFAULTS.backend,
    value: BACKEND_KINDS.join('|'),
    help: 'What fits: auto picks WebGPU on a hardware GPU, else the WASM-SIMD kernels.',
  },
  progress: PROGRESS_OPTION,
} as const satisfies CliOptions;

export type GenerateOptionName = keyof typeof GENERATE_OPTIONS;
/** Parsed option values, as typed (defaults filled in). */
export type GenerateValues = { readonly [K in GenerateOptionName]?: string };

/** What `wslab generate`'s options ask for: the generation, the part of it (--shard) and how to show progress. */
export interface GenerateCall {
  readonly request: GenerationRequest;
  readonly part: PlanPart | undefined;
  readonly progress: ProgressMode;
}

/** Checks the option values and turns them into a request; throws UsageError naming the bad option. */
export function generateRequest(values: GenerateValues): GenerateCall {
  if (!values.dataset || !values.out) throw new UsageError(`generate needs --dataset and --out\nusage: ${generateUsage}`);
  const need = (name: GenerateOptionName) => values[name] ?? (GENERATE_OPTIONS[name] as { default?: string }).default!;
  const backend = need('backend');
  if (!(BACKEND_KINDS as readonly string[]).includes(backend)) throw new UsageError(`unknown --backend "${backend}" (expected ${BACKEND_KINDS.join(', ')})`);
  return {
    request: {
      dataset: values.dataset,
      out: values.out,
      limit: values.limit === undefined ? null : integerOption('limit', values.limit, 1),
      views: integerOption('views', need('views'), 1),
      hidden: widthsOption('hidden', need('hidden')),
      steps: integerOption('steps', need('steps'), 1),
      targetPsnr: need('target-psnr') === 'none' ? null : numberOption('target-psnr', need('target-psnr')),
      seed: integerOption('seed', need('seed'), 0),
      shardSize: integerOption('shard-size', need('shard-size'), 1),
      valFraction: numberOption('val', need('val')),
      testFraction: numberOption('test', need('test')),
      backend: backend as BackendKind,
      workers: values.workers === undefined ? null : integerOption('workers', values.workers, 1),
    },
    part: values.shard === undefined ? undefined : parseShardSelector(values.shard),
    progress: progressMode(need('progress')),
  };
}

export async function generateCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: GENERATE_OPTIONS });
  const { request, part, progress: mode } = generateRequest(values);
  const progress = new ProgressReporter(mode);
  let render: (e: GenerateEvent) => void = () => undefined;
  const cancellation = cancelOnSignal();
  const { controller } = cancellation;
  try {
    const manifest = await runGeneration(request, {
      part,
      signal: controller.signal,
      onOpen: (source, backend) => {
        if (backend instanceof WebGpuBackend && backend.adapter.software) {
          io.stderr(`wslab: webgpu runs on ${backend.device}, a CPU driver: correct but far slower than --backend wasm`);
        }
        render = generateProgressRenderer(progress, mode === 'bar', io, source.name);
      },
      onEvent: (e) => {
        progress.event(e);
        render(e);
      },
    });
    if (mode !== 'json') io.stdout(`${request.out}: ${formatCount(manifest.items.length)} INRs${manifest.complete ? '' : ' (partial)'}`);
    return 0;
  } catch (e) {
    progress.finish();
    if (controller.signal.aborted) {
      io.stderr(`wslab: generation cancelled; finished shards are kept — rerun the same command to resume`);
      return 130;
    }
    throw e;
  } finally {
    cancellation.dispose();
  }
}
