/**
 * Hostile PyTorch files (test/fixtures/torch/hostile, written by scripts/fixtures/make_hostile_pickles.py):
 * os.system, subprocess, builtins.eval/exec/getattr/__import__, __reduce__ payloads in protocols 0–5
 * (bare and inside a torch.save archive), pickles run by other pickles (pickle.loads,
 * torch.storage._load_from_bytes, the legacy format's later pickles), INST/OBJ/NEWOBJ/NEWOBJ_EX,
 * STACK_GLOBAL with strings built on the stack or hidden in the memo, and dotted names. Each is refused,
 * opened as `wslab inspect` opens it, with a forbidden-global error naming the first global CPython's
 * own unpickler would import (recorded by the script's spy unpickler, not by hand), and nothing runs:
 * no /tmp/wslab-pwned-* marker appears.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { openWeightFile } from '../../src/core/formats/registry';
import { unpickle } from '../../src/core/formats/pickle';
import { WeightFileError } from '../../src/core/errors';
import { fixturePath, readExpected } from '../helpers/fixtures';
import { rejectsWith } from '../helpers/errors';

interface Hostile {
  readonly forbidden: string;
  readonly what: string;
}

const expected = readExpected<Record<string, Hostile>>('torch', 'hostile', 'expected.json');

function pwnedMarkers(): string[] {
  return readdirSync('/tmp').filter((f) => f.startsWith('wslab-pwned-'));
}

const quote = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

for (const [file, { forbidden, what }] of Object.entries(expected)) {
  test(`hostile ${file} (${what}): refused as naming ${forbidden}, and nothing runs`, async () => {
    const path = fixturePath('torch', 'hostile', file);
    await rejectsWith(openWeightFile(path), 'forbidden-global', path, new RegExp(`refusing to load: the pickle references the global "${quote(forbidden)}"`));
    assert.deepEqual(pwnedMarkers(), [], 'no /tmp/wslab-pwned-* marker exists');
  });
}

test('the hostile fixtures cover every protocol, bare and archived, and each attack family', () => {
  const names = Object.keys(expected);
  for (let p = 0; p <= 5; p++) {
    assert.ok(names.includes(`reduce-os-system-p${p}.pth`), `bare protocol ${p}`);
    assert.ok(names.includes(`zip-os-system-p${p}.pth`), `archived protocol ${p}`);
  }
  for (const family of [
    'subprocess',
    'builtins-eval',
    'builtins-exec',
    'pickle-loads',
    'torch-load-from-bytes',
    'legacy-chain',
    'inst',
    'obj',
    'newobj',
    'stack-global',
    'memo',
    'dotted',
  ]) {
    assert.ok(
      names.some((n) => n.startsWith(family)),
      `a fixture for ${family}`,
    );
  }
  const onDisk = readdirSync(fixturePath('torch', 'hostile')).filter((f) => f.endsWith('.pth'));
  assert.deepEqual(onDisk.sort(), names.sort(), 'expected.json lists exactly the files there');
});

test('a forbidden global is refused when its opcode is read, before the rest of the pickle', () => {
  // GLOBAL os system, then a truncated argument: the refusal names os.system, not the truncation.
  const bytes = new TextEncoder().encode("cos\nsystem\n(S'touch /tmp/wslab-pwned-early");
  assert.throws(
    () => unpickle(bytes, { file: 'early.pkl', globals: new Map() }),
    (e: unknown) => e instanceof WeightFileError && e.code === 'forbidden-global' && /"os\.system"/.test(e.message),
  );
});

test('a protocol-0 pickle named .pth with no magic bytes is still scanned and refused by name', async () => {
  const path = fixturePath('torch', 'hostile', 'reduce-os-system-p0.pth');
  assert.notEqual(readFileSync(path)[0], 0x80, 'protocol 0 starts with no PROTO opcode');
  await rejectsWith(openWeightFile(path), 'forbidden-global', path, /posix\.system/);
});
