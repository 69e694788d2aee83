/**
 * A deliberately broken parser, so the harness's own tests can show that it catches what it must: its
 * seeds are inputs on which it throws a TypeError, loops forever, allocates 512 MiB, is merely slow,
 * throws a typed error that does not name the file, leaves a rejected promise nobody awaits, fails
 * typed, and succeeds. It is not run by
 * `npm run fuzz`.
 */
import { WeightFileError } from '../../../src/core/errors';
import { weightFileErrorLabel, type FuzzTarget } from '../harness';
import { BYTE_MUTATORS } from '../mutate';

export const CANARY_SEEDS = ['type-error', 'infinite-loop', 'allocate', 'slow', 'unnamed', 'unawaited', 'typed', 'ok'] as const;

export const canaryTarget: FuzzTarget = {
  name: 'canary',
  extension: '.txt',
  seeds: () => CANARY_SEEDS.map((name) => ({ name, bytes: new TextEncoder().encode(name) })),
  mutators: BYTE_MUTATORS,
  async run(input, { file }) {
    const text = new TextDecoder().decode(input);
    if (text === 'type-error') (null as unknown as { x: number }).x.toFixed();
    if (text === 'infinite-loop') for (;;);
    if (text === 'allocate') {
      const big = new Uint8Array(512 * 1024 ** 2);
      big.fill(1, 0, 1);
    }
    if (text === 'slow') {
      const until = Date.now() + 150;
      while (Date.now() < until);
    }
    if (text === 'unnamed') throw new WeightFileError('bad-header', 'some-other-file', 'names another file');
    if (text === 'unawaited') {
      void Promise.reject(new RangeError('nothing awaits this'));
      return;
    }
    if (text !== 'ok') throw new WeightFileError('bad-header', file, 'not ok');
  },
  typedError: weightFileErrorLabel,
};
