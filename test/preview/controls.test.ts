// The preview webview's logic without the DOM (webview/preview/controls.ts): controls generated from the
// registry's real parameter specs, values read back with the registry's own range check, a saved selection
// restored only where the host still offers it, and seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUGMENTATIONS } from '../../src/core/augment/registry';
import { augmentationInfos } from '../../src/extension/panels/preview/session';
import type { PreviewSelection } from '../../src/protocol/preview';
import {
  drawSeed,
  errorNote,
  errorText,
  groupByKind,
  openScrollIndex,
  paramControls,
  paramsFor,
  readParam,
  readSeed,
  restoreSelection,
  stepFor,
} from '../../webview/preview/controls';

const infos = augmentationInfos();
const info = (name: string) => infos.find((a) => a.name === name)!;

test('every parameter of every augmentation gets a control with its range, default, and a step that lands on the default', () => {
  let count = 0;
  for (const augmentation of AUGMENTATIONS) {
    const controls = paramControls(augmentation.params);
    assert.deepEqual(
      controls.map((c) => c.name),
      augmentation.params.map((p) => p.name),
      augmentation.name,
    );
    for (const [k, spec] of augmentation.params.entries()) {
      const c = controls[k]!;
      count++;
      assert.deepEqual([c.min, c.max, c.value, c.integer], [spec.min, spec.max, spec.default, spec.integer === true], `${augmentation.name}:${spec.name}`);
      assert.ok(c.help.includes(spec.description) && c.help.includes(`[${spec.min}, ${spec.max}]`), c.help);
      const positions = (spec.max - spec.min) / c.step;
      if (spec.integer) assert.equal(c.step, 1);
      else assert.ok(positions >= 10 && positions <= 1000, `${augmentation.name}:${spec.name}: ${positions} slider positions`);
      const offset = (spec.default - spec.min) / c.step;
      assert.ok(Math.abs(offset - Math.round(offset)) < 1e-6, `${augmentation.name}:${spec.name}: default ${spec.default} is off the step ${c.step}`);
    }
  }
  assert.ok(count >= 20, `only ${count} parameters in the registry?`);
  assert.deepEqual(paramControls(AUGMENTATIONS.find((a) => a.name === 'permute')!.params), []);
});

test('stepFor picks round steps', () => {
  assert.equal(stepFor({ name: 'x', description: '', default: 0, min: 0, max: 1 }), 0.01);
  assert.equal(stepFor({ name: 'x', description: '', default: 30, min: 0, max: 180 }), 2);
  assert.equal(stepFor({ name: 'x', description: '', default: 15, min: 0, max: 180 }), 0.2);
  assert.equal(stepFor({ name: 'x', description: '', default: 3, min: 1, max: 64, integer: true }), 1);
});

test('controls show given values only where the spec accepts them', () => {
  const specs = info('mixup-aligned').params;
  const controls = paramControls(specs, { min: 0.2, max: 7, iterations: 2.5 });
  assert.deepEqual(
    controls.map((c) => c.value),
    [0.2, 1, 100],
  );
  assert.deepEqual(paramsFor(info('rotate'), { degrees: 45, other: 1 }), { degrees: 45 });
  assert.deepEqual(paramsFor(info('rotate')), { degrees: 30 });
});

test('readParam accepts exactly what the registry accepts, naming the parameter otherwise', () => {
  const degrees = info('rotate').params[0]!;
  const kmax = info('siren-bias').params[0]!;
  assert.deepEqual(readParam(degrees, ' 12.5 '), { value: 12.5 });
  assert.deepEqual(readParam(degrees, '181'), { problem: 'degrees must be a number in [0, 180], got 181' });
  assert.deepEqual(readParam(degrees, 'abc'), { problem: 'degrees: "abc" is not a number' });
  assert.deepEqual(readParam(degrees, ''), { problem: 'degrees: "" is not a number' });
  assert.deepEqual(readParam(kmax, '2.5'), { problem: 'kmax must be an integer in [1, 64], got 2.5' });
  assert.deepEqual(readParam(kmax, '7'), { value: 7 });
  // Every value readParam accepts, the host's parser accepts too.
  for (const a of AUGMENTATIONS)
    for (const p of a.params) {
      const read = readParam(p, String(p.max));
      assert.ok('value' in read);
      assert.doesNotThrow(() => a.resolve({ [p.name]: read.value }), `${a.name}:${p.name}`);
    }
});

test('seeds: typed ones are 32-bit unsigned integers; Resample stays in range', () => {
  assert.equal(readSeed('42'), 42);
  assert.equal(readSeed('4294967295'), 4294967295);
  for (const bad of ['', '-1', '4294967296', '1.5', 'x', '1e99']) assert.equal(readSeed(bad), undefined, bad);
  assert.equal(
    drawSeed(() => 0),
    0,
  );
  assert.equal(
    drawSeed(() => 0.999999999999),
    4294967295,
  );
  assert.equal(
    drawSeed(() => 0.5),
    2 ** 31,
  );
});

test('restoreSelection keeps a saved selection only where the host still offers it', () => {
  const inrs = [
    { id: 'a', label: 'a' },
    { id: 'b', label: 'b' },
  ];
  const offered: PreviewSelection = { inrId: 'a', augmentation: 'translate', params: { scale: 0.25 }, seed: 0, count: 1, partnerId: null };
  const saved: PreviewSelection = { inrId: 'b', augmentation: 'mixup', params: { min: 0.2, max: 0.4 }, seed: 9, count: 8, partnerId: 'a' };
  assert.deepEqual(restoreSelection(saved, offered, infos, inrs), saved);
  assert.equal(restoreSelection(undefined, offered, infos, inrs), offered);
  assert.equal(restoreSelection({ ...saved, inrId: 'gone' }, offered, infos, inrs), offered);
  assert.equal(restoreSelection({ ...saved, augmentation: 'renamed' }, offered, infos, inrs), offered);
  assert.equal(restoreSelection({ ...saved, partnerId: 'gone' }, offered, infos, inrs).partnerId, null);
  assert.equal(restoreSelection({ ...saved, partnerId: 'b' }, offered, infos, inrs).partnerId, null); // itself
  assert.deepEqual(restoreSelection({ ...saved, params: { min: -3, max: 0.4, junk: 1 } }, offered, infos, inrs).params, { min: 0, max: 0.4 });
  assert.equal(restoreSelection({ ...saved, seed: -5 }, offered, infos, inrs).seed, 0);
  assert.equal(restoreSelection({ ...saved, count: 3 as 1 }, offered, infos, inrs).count, 1);
});

test('errorText says what the error was measured against; groupByKind keeps every augmentation once', () => {
  assert.equal(errorText(1.234e-7, true), 'max |g − f| = 1.23e-7 (against the warped original f(A x + t))');
  assert.equal(errorText(0.5, false), 'max |g − f| = 5.00e-1 (against the original)');
  assert.match(errorText(null, false), /not finite/);
  assert.equal(errorText(3e-8), 'max |g − f| = 3.00e-8');
  assert.match(errorNote(true), /warped original/);
  assert.doesNotMatch(errorNote(false), /warped/);
  const groups = groupByKind(infos);
  assert.deepEqual(groups.flatMap((g) => g.items.map((a) => a.name)).sort(), AUGMENTATIONS.map((a) => a.name).sort());
  assert.deepEqual(
    groups[0]!.items.map((a) => a.name),
    ['translate', 'rotate', 'scale'],
  );
});

test('openScrollIndex: the picker opens at the selected option’s group header, unless that would hide the option', () => {
  // The picker's list as the panel builds it: each group's header, then its augmentations.
  const isHeader = groupByKind(infos).flatMap((g) => [true, ...g.items.map(() => false)]);
  const headers = isHeader.flatMap((h, i) => (h ? [i] : []));
  assert.equal(openScrollIndex(isHeader, 2, 10), 0, 'rotate: its group starts the list');
  assert.equal(openScrollIndex(isHeader, headers[1]! + 1, 10), headers[1], 'the first symmetry: its header first');
  // A long group: the selected option stays the last visible row.
  const long = [true, ...Array<boolean>(20).fill(false)];
  assert.equal(openScrollIndex(long, 15, 10), 6);
  assert.equal(openScrollIndex(long, 9, 10), 0);
  assert.equal(openScrollIndex(isHeader, -1, 10), 0, 'nothing selected: the top');
});
