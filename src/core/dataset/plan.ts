/**
 * The plan of an INR dataset: which images, which views, which split, which seed — a pure function of
 * the settings, so every process (a rerun after a crash, each task of a cluster array) computes the same
 * plan and the same shard boundaries without talking to the others.
 *
 * Images: a seeded permutation of the source's indices, the first `limit` of it. Splits follow that
 * order (train, then val, then test, by the given fractions), so all K views of an image share a split.
 * Items are image-major (image, then view); item i goes to shard ⌊i / shardSize⌋.
 */
import { Rng, deriveSeed } from '../random/rng';
import { DatasetError } from './imageSource';

export type Split = 'train' | 'val' | 'test';

export interface PlanSettings {
  readonly sourceCount: number;
  /** How many images to use (default: all). */
  readonly limit?: number;
  /** INRs fitted per image with different seeds (default 1). */
  readonly views: number;
  readonly seed: number;
  /** Fractions of images for val and test; the rest is train. */
  readonly valFraction: number;
  readonly testFraction: number;
  readonly shardSize: number;
}

export interface PlannedItem {
  readonly id: string;
  /** Index of the image in its source. */
  readonly index: number;
  readonly split: Split;
  readonly view: number;
  /** Seed of this INR's initialisation. */
  readonly seed: number;
  readonly shard: number;
}

export function itemId(index: number, view: number): string {
  return `img${index}-v${view}`;
}

export function validatePlanSettings(s: PlanSettings): void {
  const positiveInt = (n: number) => Number.isInteger(n) && n >= 1;
  if (!positiveInt(s.sourceCount)) throw new DatasetError(`the image source must hold at least one image, got a count of ${s.sourceCount}`);
  if (!positiveInt(s.views)) throw new DatasetError(`views must be a positive integer, got ${s.views}`);
  if (!positiveInt(s.shardSize)) throw new DatasetError(`shard size must be a positive integer, got ${s.shardSize}`);
  if (!Number.isInteger(s.seed) || s.seed < 0) throw new DatasetError(`seed must be a non-negative integer, got ${s.seed}`);
  if (s.limit !== undefined && (!positiveInt(s.limit) || s.limit > s.sourceCount)) {
    throw new DatasetError(`limit must be between 1 and the ${s.sourceCount} images of the source, got ${s.limit}`);
  }
  const fractionsOk = [s.valFraction, s.testFraction].every((f) => f >= 0 && f < 1) && s.valFraction + s.testFraction < 1;
  if (!fractionsOk) throw new DatasetError(`val and test fractions must be in [0, 1) and leave room for train, got ${s.valFraction} and ${s.testFraction}`);
}

export function planDataset(s: PlanSettings): PlannedItem[] {
  validatePlanSettings(s);
  const images = s.limit ?? s.sourceCount;
  const order = new Rng(s.seed).permutation(s.sourceCount).subarray(0, images);
  const nVal = Math.round(images * s.valFraction);
  const nTest = Math.round(images * s.testFraction);
  const nTrain = images - nVal - nTest;
  const items: PlannedItem[] = [];
  order.forEach((index, position) => {
    const split: Split = position < nTrain ? 'train' : position < nTrain + nVal ? 'val' : 'test';
    for (let view = 0; view < s.views; view++) {
      items.push({ id: itemId(index, view), index, split, view, seed: deriveSeed(s.seed, index, view), shard: Math.floor(items.length / s.shardSize) });
    }
  });
  return items;
}

/** The plan's items grouped by shard: element k lists shard k's items in order. */
export function groupByShard(items: readonly PlannedItem[]): PlannedItem[][] {
  const count = items.length === 0 ? 0 : items[items.length - 1]!.shard + 1;
  const shards: PlannedItem[][] = Array.from({ length: count }, () => []);
  for (const item of items) shards[item.shard]!.push(item);
  return shards;
}

/** One of n processes sharing a dataset (`--shard i/n`, task i of a cluster job array of n tasks). */
export interface PlanPart {
  readonly index: number;
  readonly count: number;
}

/** The shards part i/n makes: k with k mod n = i, so every shard has exactly one maker. */
export function shardsOfPart(shardCount: number, part: PlanPart): number[] {
  const shards: number[] = [];
  for (let k = part.index; k < shardCount; k += part.count) shards.push(k);
  return shards;
}

/** Parses "i/n" (0 ≤ i < n): this process makes the shards k with k mod n = i. */
export function parseShardSelector(text: string): PlanPart {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw new DatasetError(`--shard must be i/n with 0 ≤ i < n, got "${text}"`);
  return { index, count };
}
