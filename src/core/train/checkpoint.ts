/**
 * Model checkpoints as safetensors: the parameters and buffers as `model.<name>`, the input normalisation as
 * `norm.mean` / `norm.std` (one value per input parameter; checkpoints written before that hold one per
 * weight/bias tensor, spread on reading), and in the metadata `wslab.model` (model config, widths, classes,
 * inputSigns: whether the inputs' signs were canonicalised — absent in checkpoints from before, which read them as-is)
 * so a checkpoint alone rebuilds its model (a model config without the keys added later means the
 * architecture before them, LEGACY_MODEL_KEYS). The resumable checkpoint (last.safetensors) adds the optimizer's
 * moments (`opt.m.<name>`, `opt.v.<name>`) and `wslab.train` (where training stopped).
 */
import { readWeightSet, writeWeightSet } from '../formats/registry';
import { parameterCount, tensorSizes } from '../weights/network';
import { LEGACY_MODEL_KEYS, type ModelConfig } from '../models/modelConfig';
import { createModel, type WeightSpaceModel } from '../models/weightSpaceModel';
import { WeightSet } from '../weights/weightSet';
import type { AdamW } from './adamw';
import { expandPerTensor, INPUT_SIGNS, type InputSigns, type Normalisation } from './inputNorm';
import { LabError } from '../labError';

export interface ModelRecord {
  readonly model: ModelConfig;
  readonly widths: readonly number[];
  readonly classes: number;
  readonly inputSigns?: InputSigns;
}

/** Where training stopped: everything a resume needs besides tensors. */
export interface TrainProgress {
  readonly epoch: number;
  readonly step: number;
  readonly bestValAccuracy: number | null;
  readonly bestEpoch: number | null;
  readonly testAccuracyAtBest: number | null;
  readonly elapsedSec: number;
}

const MODEL_KEY = 'wslab.model';
const TRAIN_KEY = 'wslab.train';

/** Whether a weight set is a training checkpoint (a classifier and its state), not a network to render. */
export function isCheckpoint(set: WeightSet): boolean {
  return MODEL_KEY in set.metadata;
}

export class CheckpointError extends LabError {
  override readonly name = 'CheckpointError';
  constructor(message: string) {
    super('checkpoint', message);
  }
}

export async function saveCheckpoint(
  path: string,
  model: WeightSpaceModel,
  norm: Normalisation,
  extra?: { optimizer: Pick<AdamW, 'stateTensors'>; progress: TrainProgress },
): Promise<void> {
  const record: ModelRecord = { model: model.config, widths: model.widths, classes: model.classes, inputSigns: norm.signs };
  const metadata: Record<string, string> = { [MODEL_KEY]: JSON.stringify(record) };
  const tensors = [
    ...model.params.toWeightSet({}, 'model.').tensors,
    ...WeightSet.fromArrays([
      { name: 'norm.mean', shape: [norm.mean.length], data: norm.mean },
      { name: 'norm.std', shape: [norm.std.length], data: norm.std },
    ]).tensors,
  ];
  if (extra) {
    tensors.push(...extra.optimizer.stateTensors(model.params.names).tensors);
    metadata[TRAIN_KEY] = JSON.stringify(extra.progress);
  }
  await writeWeightSet(path, new WeightSet(tensors, metadata), { format: 'safetensors' });
}

export interface LoadedCheckpoint {
  readonly set: WeightSet;
  readonly record: ModelRecord;
  readonly norm: Normalisation;
  readonly progress: TrainProgress | undefined;
}

export async function readCheckpoint(path: string): Promise<LoadedCheckpoint> {
  const set = await readWeightSet(path, 'safetensors');
  const raw = set.metadata[MODEL_KEY];
  if (!raw) throw new CheckpointError(`${path}: not a Weight Space Lab model checkpoint (no ${MODEL_KEY} metadata)`);
  let record: ModelRecord;
  let progress: TrainProgress | undefined;
  try {
    record = JSON.parse(raw) as ModelRecord;
    progress = set.metadata[TRAIN_KEY] ? (JSON.parse(set.metadata[TRAIN_KEY]) as TrainProgress) : undefined;
  } catch (e) {
    throw new CheckpointError(`${path}: damaged checkpoint metadata (${(e as Error).message})`);
  }
  if (
    !Array.isArray(record?.widths) ||
    record.widths.length < 2 ||
    !record.widths.every((w) => Number.isInteger(w) && w > 0) ||
    typeof record.model !== 'object' ||
    record.model === null
  ) {
    throw new CheckpointError(`${path}: damaged checkpoint metadata (${MODEL_KEY} needs a model and the widths of the networks it reads)`);
  }
  record = { ...record, model: { ...LEGACY_MODEL_KEYS, ...record.model } };
  const signs = record.inputSigns ?? 'as-is';
  if (!INPUT_SIGNS.includes(signs))
    throw new CheckpointError(`${path}: damaged checkpoint metadata (inputSigns "${String(signs)}" is not one of ${INPUT_SIGNS.join(', ')})`);
  const [mean, std] = ['norm.mean', 'norm.std'].map((name) => {
    if (!set.has(name)) throw new CheckpointError(`${path}: no ${name} tensor`);
    const values = set.get(name).data as Float32Array;
    if (values.length === parameterCount(record.widths)) return values;
    if (values.length === tensorSizes(record.widths).length) return expandPerTensor(values, record.widths);
    throw new CheckpointError(
      `${path}: ${name} has ${values.length} values; a network of widths [${record.widths.join(', ')}] needs one per parameter or per tensor`,
    );
  }) as [Float32Array, Float32Array];
  return { set, record, norm: { mean, std, signs, widths: record.widths }, progress };
}

/** The model a checkpoint describes, with its parameters loaded. */
export function modelFromCheckpoint(checkpoint: LoadedCheckpoint, source: string): WeightSpaceModel {
  const { model: config, widths, classes } = checkpoint.record;
  const model = createModel(config, widths, classes, 0);
  model.params.load(checkpoint.set, source, 'model.');
  return model;
}
