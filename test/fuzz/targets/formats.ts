/**
 * Fuzz targets for the weight-file readers: safetensors, npy, npz and pth (src/core/formats), each
 * seeded from its committed fixtures (safetensors also from the dataset shards, npy also from the INR
 * grids). An input is opened from memory (every fourth one through format detection, as
 * `openWeightFile` does) and every tensor is read; the typed errors are WeightFileErrors naming the file.
 */
import type { WeightFormat } from '../../../src/core/formats/format';
import { npyFormat } from '../../../src/core/formats/npy';
import { npzFormat } from '../../../src/core/formats/npz';
import { pthFormat } from '../../../src/core/formats/pth';
import { detectFormat } from '../../../src/core/formats/registry';
import { safetensorsFormat } from '../../../src/core/formats/safetensors';
import { MemoryByteSource } from '../../../src/core/io/byteSource';
import type { Rng } from '../../../src/core/random/rng';
import { weightFileErrorLabel, type FuzzSeed, type FuzzTarget, type RunContext } from '../harness';
import {
  BYTE_MUTATORS,
  mutateBytes,
  mutateJsonText,
  mutateNpyHeader,
  mutatePickle,
  mutateSafetensorsHeader,
  mutateZipMembers,
  type MemberMutators,
  type NamedMutator,
} from '../mutate';
import { exerciseReader, fixtureSeeds } from './common';

async function openAndRead(format: WeightFormat, input: Uint8Array, context: RunContext): Promise<void> {
  const source = new MemoryByteSource(input, context.file);
  const chosen = context.index % 4 === 3 ? await detectFormat(source) : format;
  await exerciseReader(await chosen.open(source), context.file);
}

function weightTarget(format: WeightFormat, extension: string, seeds: () => FuzzSeed[], mutators: readonly NamedMutator[]): FuzzTarget {
  return {
    name: format.name,
    extension,
    seeds,
    mutators: [...BYTE_MUTATORS, ...mutators],
    run: (input, context) => openAndRead(format, input, context),
    typedError: weightFileErrorLabel,
  };
}

const npyMember = (input: Uint8Array, rng: Rng, seeds: readonly Uint8Array[]): Uint8Array =>
  rng.next() < 0.6 ? mutateNpyHeader(input, rng, seeds) : mutateBytes(input, rng, seeds);

const NPZ_MEMBERS: MemberMutators = { byName: [[/\.npy$/, npyMember]] };

const PTH_MEMBERS: MemberMutators = {
  byName: [
    [/(^|\/)data\.pkl$/, mutatePickle],
    [/(^|\/)byteorder$/, (_input, rng) => new TextEncoder().encode(['big', 'little', 'middle', '', 'little\n', 'l'.repeat(100)][rng.int(0, 5)]!)],
    [/\.json$/, mutateJsonText],
  ],
};

export const safetensorsTarget = weightTarget(
  safetensorsFormat,
  '.safetensors',
  () => [...fixtureSeeds('safetensors', /\.safetensors$/), ...fixtureSeeds('dataset', /\.safetensors$/)],
  [{ name: 'safetensors-header', weight: 10, mutate: mutateSafetensorsHeader }],
);

export const npyTarget = weightTarget(npyFormat, '.npy', () => [...fixtureSeeds('numpy', /\.npy$/), ...fixtureSeeds('inr', /\.npy$/)], [
  { name: 'npy-header', weight: 8, mutate: mutateNpyHeader },
]);

export const npzTarget = weightTarget(npzFormat, '.npz', () => fixtureSeeds('numpy', /\.npz$/), [
  { name: 'npz-members', weight: 10, mutate: (input, rng, seeds) => mutateZipMembers(input, rng, seeds, NPZ_MEMBERS) },
]);

// The hostile files are seeds of the pickle target; here they would make most inputs stop at their forbidden global.
export const pthTarget = weightTarget(pthFormat, '.pth', () => fixtureSeeds('torch', /\.pth$/).filter((s) => !s.name.startsWith('torch/hostile/')), [
  { name: 'pth-members', weight: 10, mutate: (input, rng, seeds) => mutateZipMembers(input, rng, seeds, PTH_MEMBERS) },
  { name: 'bare-pickle', weight: 2, mutate: (input, rng, seeds) => (input[0] === 0x80 ? mutatePickle(input, rng, seeds) : mutateBytes(input, rng, seeds)) },
]);
