/**
 * Fuzz target for the restricted unpickler alone (src/core/formats/pickle.ts), seeded from the plain
 * pickles of every protocol (0–5) CPython wrote, the data.pkl of every .pth fixture and the bare pickles
 * (legacy, malicious and hostile). It runs with torch's state-dict global names, whose builders here just record
 * their arguments, and a persistent-id loader that accepts anything, so the machine itself is what is
 * fuzzed; pth.ts runs the real builders.
 */
import { unzipSync } from 'fflate';
import { type GlobalBuilder, type PickleValue, typeName, unpickle } from '../../../src/core/formats/pickle';
import { weightFileErrorLabel, type FuzzSeed, type FuzzTarget } from '../harness';
import { BYTE_MUTATORS, mutatePickle } from '../mutate';
import { fixtureSeeds } from './common';

const record: GlobalBuilder = (args) => ({ args });

const GLOBALS = new Map<string, GlobalBuilder | null>([
  ['collections.OrderedDict', () => new Map()],
  ['torch._utils._rebuild_tensor_v2', record],
  ['torch._utils._rebuild_parameter', record],
  ['torch._utils._rebuild_tensor', record],
  ['torch.FloatStorage', null],
  ['torch.HalfStorage', null],
  ['torch.LongStorage', null],
]);

/** The hostile pickles (38 of them) stop at their forbidden global: they start a tenth as many inputs as the others. */
const HOSTILE_WEIGHT = 0.1;

function seeds(): FuzzSeed[] {
  const out = fixtureSeeds('torch', /\.pkl$/);
  for (const pth of fixtureSeeds('torch', /\.pth$/)) {
    const weight = pth.name.startsWith('torch/hostile/') ? HOSTILE_WEIGHT : 1;
    if (pth.bytes[0] !== 0x50) {
      out.push({ ...pth, weight }); // a bare pickle
      continue;
    }
    for (const [name, data] of Object.entries(unzipSync(pth.bytes))) {
      if (name.endsWith('/data.pkl')) out.push({ name: `${pth.name}:${name}`, bytes: data, weight });
    }
  }
  return out;
}

export const pickleTarget: FuzzTarget = {
  name: 'pickle',
  extension: '.pkl',
  seeds,
  mutators: [...BYTE_MUTATORS, { name: 'pickle-opcodes', weight: 12, mutate: mutatePickle }],
  async run(input, context) {
    const value: PickleValue = unpickle(input, { file: context.file, globals: GLOBALS, persistentLoad: (pid) => ({ pid }) });
    typeName(value);
  },
  typedError: weightFileErrorLabel,
};
