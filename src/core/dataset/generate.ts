/**
 * Generates an INR dataset: plans it, then for each shard this process owns that is not finished yet,
 * loads its images or meshes, fits one SIREN per item (seeded init; an image's pixels, or a mesh's signed
 * distances at points sampled around it, meshFitItem.ts), and writes the shard atomically. Memory holds
 * one shard at a time; a killed run, rerun with the same settings, keeps finished shards, removes the
 * temporary files of its killed writes and redoes the rest, ending with the same files as an
 * uninterrupted run. With `part` (i/n) it makes only the shards k ≡ i (mod n) and leaves the manifest
 * to `mergeDataset`.
 */
import type { FitBackend, FitResult, FitTask } from '../inr/backend';
import { initSiren, pixelGrid, validateSirenSpec, type SirenSpec } from '../inr/spec';
import { join } from 'node:path';
import { removeStaleTempFiles } from '../io/atomicWrite';
import { Rng } from '../random/rng';
import { DatasetError } from './imageSource';
import { isMeshSource, type DataSource } from './openSource';
import { meshFitItem, type MeshFitItem } from '../mesh/meshFitItem';
import { SdfTargetPool } from '../mesh/sdfTargetPool';
import type { Layer } from '../weights/network';
import {
  claimDatasetDir,
  MANIFEST_VERSION,
  writeManifest,
  shardPath,
  shardFileName,
  MANIFEST_FILE,
  SETTINGS_FILE,
  SHARDS_DIR,
  type DatasetSettings,
  type FitSettings,
  type Manifest,
  type ManifestItem,
} from './manifest';
import { groupByShard, planDataset, shardsOfPart, type PlanPart, type PlannedItem, type PlanSettings } from './plan';
import { readFinishedShard, writeShard, type FittedItem } from './shard';

/**
 * While generating, the manifest is rewritten after a shard at most this often (and always after the
 * first and the last): it lists every finished item, so rewriting it after each of the 274 shards of a
 * 70,000-INR dataset made generation quadratic in time and grew its memory by ~170 MB of garbage.
 * The shards, not the manifest, are what a rerun resumes from.
 */
const MANIFEST_INTERVAL_MS = 2000;

/** The plan's settings (limit, views, seed, split fractions, shard size) and what to fit them with. */
export interface GenerateOptions extends Omit<PlanSettings, 'sourceCount'> {
  readonly out: string;
  readonly source: DataSource;
  readonly spec: SirenSpec;
  readonly fit: FitSettings;
  readonly part?: PlanPart;
  readonly backend: FitBackend;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: GenerateEvent) => void;
}

export type GenerateEvent =
  | {
      readonly type: 'start';
      readonly total: number;
      readonly todo: number;
      readonly kept: number;
      readonly shards: number;
      readonly backend: string;
      readonly device: string | null;
    }
  | {
      readonly type: 'progress';
      readonly done: number;
      readonly todo: number;
      readonly inrSteps: number;
      readonly elapsedMs: number;
      readonly inrStepsPerSec: number;
      readonly meanPsnr: number | null;
      readonly etaSec: number | null;
    }
  | { readonly type: 'shard'; readonly shard: number; readonly items: number; readonly path: string }
  | {
      readonly type: 'done';
      readonly fitted: number;
      readonly kept: number;
      readonly complete: boolean;
      readonly elapsedMs: number;
      /** Peak resident memory of this process so far (worker threads included), in MiB. */
      readonly peakRssMiB: number;
    };

export function datasetSettings(
  o: Pick<GenerateOptions, 'source' | 'spec' | 'fit' | 'limit' | 'views' | 'seed' | 'valFraction' | 'testFraction' | 'shardSize'>,
): DatasetSettings {
  const { source } = o;
  const { name, count } = source;
  return {
    version: MANIFEST_VERSION,
    spec: { ...o.spec, hidden: [...o.spec.hidden] },
    fit: { ...o.fit },
    source: isMeshSource(source)
      ? { kind: 'mesh', name, count, classes: [...source.classes] }
      : { name, count, height: source.height, width: source.width, channels: source.channels, classes: [...source.classes] },
    plan: { limit: o.limit ?? null, views: o.views, seed: o.seed, valFraction: o.valFraction, testFraction: o.testFraction, shardSize: o.shardSize },
  };
}

export function planFromSettings(settings: DatasetSettings): PlannedItem[] {
  const { plan, source } = settings;
  return planDataset({
    sourceCount: source.count,
    limit: plan.limit ?? undefined,
    views: plan.views,
    seed: plan.seed,
    valFraction: plan.valFraction,
    testFraction: plan.testFraction,
    shardSize: plan.shardSize,
  });
}

export async function generateDataset(o: GenerateOptions): Promise<Manifest> {
  validateSirenSpec(o.spec);
  const [inputs, outputs] = isMeshSource(o.source) ? [3, 1] : [2, o.source.channels];
  if (o.spec.inputDim !== inputs || o.spec.outputDim !== outputs) {
    throw new DatasetError(`${o.source.name} needs a SIREN of ${inputs} inputs and ${outputs} output(s), not ${o.spec.inputDim} → ${o.spec.outputDim}`);
  }
  const started = Date.now();
  const settings = datasetSettings(o);
  const plan = planFromSettings(settings);
  const part = o.part ?? { index: 0, count: 1 };
  await claimDatasetDir(o.out, settings);

  const byShard = groupByShard(plan);
  const mine = shardsOfPart(byShard.length, part);

  const finished = new Map<number, ManifestItem[]>();
  for (const k of mine) {
    const found = await readFinishedShard(shardPath(o.out, k), settings, byShard[k]!);
    if ('items' in found) finished.set(k, found.items);
  }
  const todoShards = mine.filter((k) => !finished.has(k));
  // Temporary files a killed run left half-written, for the shards (and, alone, the manifest) this process redoes.
  await removeStaleTempFiles(join(o.out, SHARDS_DIR), new Set(todoShards.map(shardFileName)));
  if (part.count === 1) await removeStaleTempFiles(o.out, new Set([MANIFEST_FILE, SETTINGS_FILE]));
  const todo = todoShards.reduce((n, k) => n + byShard[k]!.length, 0);
  const kept = [...finished.values()].reduce((n, items) => n + items.length, 0);
  o.onEvent?.({ type: 'start', total: plan.length, todo, kept, shards: mine.length, backend: o.backend.name, device: o.backend.device ?? null });

  // Images share one pixel grid; each mesh's INR has its own points (FitTask.coords), as many for every mesh.
  const coords = isMeshSource(o.source) ? null : pixelGrid(o.source.height, o.source.width);
  // Live counters, advanced as each network finishes (the backend's onResult), so the progress shows
  // PSNR and speed within a shard too.
  let done = 0;
  let inrSteps = 0;
  let psnrSum = 0;
  const emitProgress = () => {
    const elapsedMs = Date.now() - started;
    o.onEvent?.({
      type: 'progress',
      done,
      todo,
      inrSteps,
      elapsedMs,
      inrStepsPerSec: elapsedMs > 0 ? (1000 * inrSteps) / elapsedMs : 0,
      meanPsnr: done > 0 ? psnrSum / done : null,
      etaSec: done > 0 ? ((todo - done) * elapsedMs) / done / 1000 : null,
    });
  };
  const onResult = (r: FitResult) => {
    done++;
    inrSteps += r.steps;
    psnrSum += r.psnr;
    emitProgress();
  };

  let manifestWrittenAt = Number.NEGATIVE_INFINITY;
  let manifestStale = false;
  const sdfPool = isMeshSource(o.source) && todoShards.length > 0 ? new SdfTargetPool() : null;
  try {
    for (const k of todoShards) {
      if (o.signal?.aborted) throw o.signal.reason ?? new Error('cancelled');
      const fitted = await fitShard(o, byShard[k]!, k, coords, onResult, sdfPool);
      const path = shardPath(o.out, k);
      await writeShard(path, settings, fitted);
      finished.set(
        k,
        fitted.map((f) => f.item),
      );
      manifestStale = true;
      o.onEvent?.({ type: 'shard', shard: k, items: fitted.length, path });
      if (part.count === 1 && Date.now() - manifestWrittenAt >= MANIFEST_INTERVAL_MS) {
        await writeManifest(o.out, manifestOf(settings, plan, finished));
        manifestWrittenAt = Date.now();
        manifestStale = false;
      }
    }
  } catch (e) {
    // Cancelled or failed: the manifest still lists every shard finished so far (best effort — the
    // original error is what matters, and a rerun rebuilds the list from the shards anyway).
    if (part.count === 1 && manifestStale) await writeManifest(o.out, manifestOf(settings, plan, finished)).catch(() => undefined);
    throw e;
  } finally {
    await sdfPool?.close();
  }

  const manifest = manifestOf(settings, plan, finished);
  if (part.count === 1) await writeManifest(o.out, manifest);
  o.onEvent?.({
    type: 'done',
    fitted: done,
    kept,
    complete: manifest.complete,
    elapsedMs: Date.now() - started,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  });
  return manifest;
}

/**
 * Fits the planned INRs of shard `k`, each from its seeded initialisation, and checks every result: the
 * backend's order, finite weights and PSNR (a DatasetError names the INR and its image otherwise, before
 * anything of the shard is written).
 */
async function fitShard(
  o: GenerateOptions,
  planned: readonly PlannedItem[],
  k: number,
  coords: Float32Array | null,
  onResult: (r: FitResult) => void,
  sdfPool: SdfTargetPool | null,
): Promise<FittedItem[]> {
  const tasks: FitTask[] = [];
  const labels: number[] = [];
  let meshes: MeshFitItem[] = [];
  if (isMeshSource(o.source)) {
    const source = o.source;
    // Signed distances on the pool's worker threads; a mesh that cannot be read fails here, before any fitting.
    meshes = await sdfPool!.mapTargets(planned, (item, targets) => {
      if (o.signal?.aborted) throw o.signal.reason ?? new Error('cancelled');
      return meshFitItem(source, item.id, item.index, item.seed, o.spec, targets);
    });
    for (const mesh of meshes) {
      labels.push(mesh.label);
      tasks.push(mesh.task);
    }
  } else {
    for (const item of planned) {
      const image = await o.source.image(item.index);
      labels.push(image.label);
      tasks.push({ id: item.id, target: image.pixels, init: initSiren(o.spec, new Rng(item.seed)) });
    }
  }
  const fitCoords = coords ?? tasks[0]!.coords!;
  const results = await o.backend.fit(tasks, { ...o.fit, spec: o.spec, coords: fitCoords }, { signal: o.signal, onResult });
  return results.map((r, i) => {
    const item = planned[i]!;
    if (r.id !== item.id) throw new Error(`backend returned ${r.id} where ${item.id} was expected`);
    const bad = r.layers.findIndex((l) => !l.W.every(Number.isFinite) || !l.b.every(Number.isFinite));
    if (!Number.isFinite(r.psnr) || bad >= 0) {
      throw new DatasetError(
        `INR ${item.id} (${isMeshSource(o.source) ? 'mesh' : 'image'} ${item.index}) diverged: ${bad >= 0 ? `non-finite weights in layer ${bad}` : `PSNR ${r.psnr}`} after ${r.steps} steps; nothing was written for shard ${k}`,
      );
    }
    const fitted = { ...item, label: labels[i]!, psnr: r.psnr, steps: r.steps, backend: o.backend.name };
    return { item: meshes[i] ? { ...fitted, ...meshFields(meshes[i], o.spec, r.layers) } : fitted, layers: r.layers };
  });
}

/** The manifest of the finished shards, in shard order. */
export function manifestOf(settings: DatasetSettings, plan: readonly PlannedItem[], finished: ReadonlyMap<number, readonly ManifestItem[]>): Manifest {
  const items = [...finished.keys()].sort((a, b) => a - b).flatMap((k) => finished.get(k)!);
  return { ...settings, complete: items.length === plan.length, items };
}

/** What a mesh INR's manifest item records besides the fit: its placement and quality. */
function meshFields(mesh: MeshFitItem, spec: SirenSpec, layers: readonly Layer[]): Pick<ManifestItem, 'normalise' | 'signAccuracy' | 'iou'> {
  return { normalise: mesh.placement, ...mesh.quality(spec, layers) };
}
