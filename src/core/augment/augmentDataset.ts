/**
 * Augments an INR dataset into a new one in the same format (manifest.ts): K copies of every INR of the
 * chosen splits, each drawn from its own Rng, so copy c of an INR is the same whatever else is
 * augmented (and `wslab preview` shows exactly it). MixUp partners come from the parent's own split —
 * never from a held-out split (an official-code bug) — and are never the parent itself.
 *
 * DIR/dataset.json = the input's settings (spec, fit, source, plan) plus `augment` (how it was made), so
 * `loadInr`, `wslab render DIR#ID` and `wslab export` read it like any dataset. Each manifest item keeps
 * its parent's fields (index, split, view, label, and the parent's fit psnr/steps/backend) and adds
 *   parent   the source INR's id;   partner  the MixUp partner's id (when the chain has MixUp);
 *   aug      [ { name, params } ] — the values each step drew;
 *   target   the soft label, when it is not one-hot (then `label` is its most likely class);
 *   seed     the seed of this copy's Rng.
 */
import { resolve } from 'node:path';
import { DatasetError } from '../dataset/imageSource';
import {
  claimDatasetDir,
  readDatasetSettings,
  readManifest,
  shardPath,
  writeManifest,
  type DatasetSettings,
  type Manifest,
  type ManifestItem,
} from '../dataset/manifest';
import type { Split } from '../dataset/plan';
import { readShardItem, writeShard, type FittedItem } from '../dataset/shard';
import { readWeightSet } from '../formats/registry';
import { deriveSeed, Rng } from '../random/rng';
import type { WeightSet } from '../weights/weightSet';
import type { Activation, Example } from './augmentation';
import { applySteps, needsPartner, type AugmentStep, type StepRecord } from './chain';
import { type Network } from '../weights/network';
import { networkOf } from '../weights/mlp';
import { formatAugmentations } from './parse';
import { hardLabel, isOneHot, oneHot } from './targets';

export interface AugmentRecord {
  /** The input dataset (absolute path). */
  readonly from: string;
  /** The chain, every parameter spelled out (parseAugmentations reads it back). */
  readonly aug: string;
  readonly copies: number;
  readonly seed: number;
  readonly splits: readonly Split[];
  readonly shardSize: number;
  /** The input's own `augment`, when it was itself augmented. */
  readonly previous?: AugmentRecord;
}

export interface AugmentedSettings extends DatasetSettings {
  readonly augment: AugmentRecord;
}

export interface AugmentedItem extends ManifestItem {
  readonly parent: string;
  readonly partner?: string;
  readonly aug: readonly StepRecord[];
  readonly target?: readonly number[];
}

export interface AugmentedManifest extends Manifest {
  readonly augment: AugmentRecord;
  readonly items: readonly AugmentedItem[];
}

export const ALL_SPLITS: readonly Split[] = ['train', 'val', 'test'];

/** The seed of copy `copy` of the INR `id`: a hash of both with the run's seed. */
export function copySeed(seed: number, id: string, copy: number): number {
  return deriveSeed(seed, copy, ...Array.from(id, (ch) => ch.codePointAt(0)!));
}

/** A partner for `parentId` drawn uniformly from `pool` (its split) without the parent itself. */
export function drawPartner(pool: readonly string[], parentId: string, rng: Rng): string {
  const others = pool.filter((id) => id !== parentId);
  if (others.length === 0) throw new DatasetError(`MixUp needs a partner for ${parentId}, but its split has no other INR`);
  return others[rng.int(0, others.length - 1)]!;
}

/** The Rng of one copy and, when the chain mixes, its partner — drawn first, in this order. */
export function startCopy(steps: readonly AugmentStep[], seed: number, parentId: string, copy: number, pool: readonly string[]) {
  const itemSeed = copySeed(seed, parentId, copy);
  const rng = new Rng(itemSeed);
  const partner = needsPartner(steps) ? drawPartner(pool, parentId, rng) : undefined;
  return { rng, partner, seed: itemSeed };
}

/** The activation of a dataset's INRs (SIREN with its w0). */
export function datasetActivation(settings: DatasetSettings): Activation {
  return { kind: 'sine', w0: settings.spec.w0 };
}

/** Ids of a manifest's items per split (MixUp partner pools). */
export function splitPools(items: readonly ManifestItem[]): Map<Split, string[]> {
  const pools = new Map<Split, string[]>();
  for (const item of items) pools.set(item.split, [...(pools.get(item.split) ?? []), item.id]);
  return pools;
}

/** The INR `id` of a loaded shard (tensors `{id}/seq.{l}.weight|bias`). */
function shardNetwork(shard: WeightSet, id: string, layers: number): Network {
  return Array.from({ length: layers }, (_, l) => {
    const W = shard.get(`${id}/seq.${l}.weight`);
    return { outFeatures: W.shape[0]!, inFeatures: W.shape[1]!, W: W.data, b: shard.get(`${id}/seq.${l}.bias`).data };
  });
}

/** An item's soft label: its own `target` when it has one (an augmented dataset), else one-hot. */
export function targetOf(item: ManifestItem, classes: number): readonly number[] {
  return (item as Partial<AugmentedItem>).target ?? oneHot(item.label, classes);
}

/** One INR of a dataset by id (for `preview`): its network and target. */
export async function readDatasetExample(dir: string, item: ManifestItem, classes: number): Promise<Example> {
  return { network: networkOf(await readShardItem(shardPath(dir, item.shard), item.id)), target: targetOf(item, classes) };
}

export interface AugmentDatasetOptions {
  readonly input: string;
  readonly out: string;
  readonly steps: readonly AugmentStep[];
  readonly copies: number;
  readonly seed: number;
  /** Which splits to augment (default all); partners come from the same split. */
  readonly splits?: readonly Split[];
  /** INRs per output shard (default: the input's). */
  readonly shardSize?: number;
  readonly onShard?: (written: number, total: number) => void;
}

export async function augmentDataset(o: AugmentDatasetOptions): Promise<AugmentedManifest> {
  if (!Number.isInteger(o.copies) || o.copies < 1) throw new DatasetError(`copies must be a positive integer, got ${o.copies}`);
  const [input, manifest] = await Promise.all([readDatasetSettings(o.input), readManifest(o.input)]);
  if (!manifest.complete) throw new DatasetError(`${o.input} is not complete (run wslab merge ${o.input} when every part is done)`);
  const splits = o.splits ?? ALL_SPLITS;
  const shardSize = o.shardSize ?? input.plan.shardSize;
  const previous = (input as Partial<AugmentedSettings>).augment;
  const settings: AugmentedSettings = {
    ...input,
    augment: {
      from: resolve(o.input),
      aug: formatAugmentations(o.steps),
      copies: o.copies,
      seed: o.seed,
      splits: [...splits],
      shardSize,
      ...(previous ? { previous } : {}),
    },
  };
  const parents = manifest.items.filter((item) => splits.includes(item.split));
  if (parents.length === 0) throw new DatasetError(`${o.input} has no INRs in the split(s) ${splits.join(', ')}`);
  await claimDatasetDir(o.out, settings);

  // Every parent in memory (partners are drawn from anywhere in a split), read one shard at a time.
  const layers = input.spec.hidden.length + 1;
  const networks = new Map<string, Network>();
  for (const shard of [...new Set(parents.map((p) => p.shard))]) {
    const set = await readWeightSet(shardPath(o.input, shard), 'safetensors');
    for (const item of parents) if (item.shard === shard) networks.set(item.id, shardNetwork(set, item.id, layers));
  }
  const classes = input.source.classes.length;
  const activation = datasetActivation(input);
  const pools = splitPools(parents);
  const byId = new Map(parents.map((p) => [p.id, p]));
  const exampleOf = (item: ManifestItem): Example => ({ network: networks.get(item.id)!, target: targetOf(item, classes) });

  const total = parents.length * o.copies;
  const items: AugmentedItem[] = [];
  let pending: FittedItem[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    await writeShard(shardPath(o.out, pending[0]!.item.shard), settings, pending);
    pending = [];
    o.onShard?.(items.length, total);
  };
  for (const parent of parents) {
    for (let copy = 0; copy < o.copies; copy++) {
      const { rng, partner, seed } = startCopy(o.steps, o.seed, parent.id, copy, pools.get(parent.split)!);
      const { example, records } = applySteps(
        o.steps,
        { example: exampleOf(parent), partner: partner === undefined ? undefined : exampleOf(byId.get(partner)!), activation },
        rng,
      );
      const target = example.target!;
      // The parent's own fields only: an augmented parent's parent/partner/aug/target are not inherited.
      const { index, split, view, psnr, steps, backend } = parent;
      const item: AugmentedItem = {
        id: `${parent.id}-a${copy}`,
        index,
        split,
        view,
        seed,
        shard: Math.floor(items.length / shardSize),
        label: hardLabel(target),
        psnr,
        steps,
        backend,
        parent: parent.id,
        ...(partner === undefined ? {} : { partner }),
        aug: records,
        ...(isOneHot(target) ? {} : { target }),
      };
      items.push(item);
      pending.push({ item, layers: example.network });
      if (pending.length === shardSize) await flush();
    }
  }
  await flush();
  const result: AugmentedManifest = { ...settings, complete: true, items };
  await writeManifest(o.out, result);
  return result;
}
