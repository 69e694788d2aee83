/**
 * `wslab augment` and `wslab preview` on a small real MNIST INR dataset (10 images, splits 6/2/2):
 * the augmented dataset has the same format (loadInr and render read it), every item can be rebuilt
 * from its parent, partner and recorded draws, partners stay in their split, reruns are identical;
 * preview copy c is exactly augment item ID-a{c}, and for a warp it shows the digit moved (the law, in
 * the PNG pixels), with the function-preservation error printed.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import type { AugmentedManifest } from '../../src/core/augment/augmentDataset';
import { mixNetworks } from '../../src/core/augment/mixup';
import { permuteNeurons } from '../../src/core/augment/permutation';
import { cellOrigin, gridLayout } from '../../src/core/augment/previewGrid';
import { hardLabel } from '../../src/core/augment/targets';
import { identityMap, mapPoints, warpInput } from '../../src/core/augment/warps';
import { loadInr } from '../../src/core/dataset/loadInr';
import { decodeImage } from '../../src/core/image/codec';
import { renderSiren } from '../../src/core/inr/render';
import { pixelGrid } from '../../src/core/inr/spec';
import { mlpToWeightSet } from '../../src/core/weights/mlp';
import { writeWeightSet } from '../../src/core/formats/registry';
import { fitMnistInrs, sameBits, snapshot, type FittedDataset } from './helpers';

let data: FittedDataset;
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `wslab-augcli-${name}-`));

before(async () => {
  data = await fitMnistInrs(10, 200, { seed: 3, valFraction: 0.2, testFraction: 0.2 });
});

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

function files(dir: string): Map<string, Buffer> {
  const all = new Map<string, Buffer>();
  for (const name of ['dataset.json', 'manifest.json']) all.set(name, readFileSync(join(dir, name)));
  for (const name of readdirSync(join(dir, 'shards'))) all.set(`shards/${name}`, readFileSync(join(dir, 'shards', name)));
  return all;
}

const readManifestJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as AugmentedManifest;

test('augment writes K copies per INR that loadInr and render read, each rebuilt exactly from parent, partner and draws', async () => {
  const out = tmp('mix');
  const args = ['augment', '--in', data.dir, '--aug', 'translate+mixup-aligned', '--copies', '2', '--seed', '4', '--out', out, '--shard-size', '7'];
  const result = await run(args);
  assert.equal(result.code, 0, result.stderr);
  const manifest = readManifestJson(out);
  assert.equal(manifest.items.length, 20);
  assert.equal(readdirSync(join(out, 'shards')).length, 3);
  assert.equal(manifest.augment.aug, 'translate:scale=0.25+mixup-aligned:min=0,max=1,iterations=100');
  const parents = new Map(data.manifest.items.map((i) => [i.id, i]));
  for (const item of manifest.items) {
    const parent = parents.get(item.parent)!;
    const partner = parents.get(item.partner!)!;
    assert.match(item.id, new RegExp(`^${item.parent}-a[01]$`));
    assert.notEqual(partner.id, parent.id);
    assert.equal(partner.split, parent.split, 'the partner comes from the same split');
    assert.equal(item.split, parent.split);
    assert.deepEqual(
      item.aug.map((a) => a.name),
      ['translate', 'mixup-aligned'],
    );
    const [{ params: translate }, { params: mix }] = item.aug as unknown as readonly [
      { params: { t: number[] } },
      { params: { alpha: number; perms: number[][] } },
    ];
    // Rebuild from the records alone: warp the parent, align the partner by the recorded permutations, mix with α.
    const parentNet = (await loadInr(`${data.dir}#${parent.id}`)).layers;
    const partnerNet = (await loadInr(`${data.dir}#${partner.id}`)).layers;
    const rebuilt = mixNetworks(warpInput(parentNet, { A: identityMap(2).A, t: translate.t }), permuteNeurons(partnerNet, mix.perms), mix.alpha);
    const stored = await loadInr(`${out}#${item.id}`);
    assert.ok(sameBits(snapshot(stored.layers), snapshot(rebuilt)), `${item.id} differs from what its records describe`);
    assert.deepEqual(stored.spec, (await loadInr(`${data.dir}#${parent.id}`)).spec);
    const target = parent.label === partner.label ? undefined : item.target!;
    if (target) {
      assert.ok(Math.abs(target[parent.label]! - mix.alpha) < 1e-12 && Math.abs(target[partner.label]! - (1 - mix.alpha)) < 1e-12);
      assert.equal(item.label, hardLabel(target));
    } else {
      assert.equal(item.label, parent.label);
    }
  }
  const png = join(out, 'one.png');
  const rendered = await run(['render', `${out}#${manifest.items[5]!.id}`, '--out', png]);
  assert.equal(rendered.code, 0, rendered.stderr);
  // A rerun gives the same files; other settings into the same folder are refused.
  const before = files(out);
  assert.equal((await run(args)).code, 0);
  assert.deepEqual(files(out), before);
  const refused = await run(['augment', '--in', data.dir, '--aug', 'rotate', '--out', out]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /other settings \(augment\.aug/);
});

test('augment with exact symmetries preserves every INR’s rendering; --split keeps to the chosen split', async () => {
  const out = tmp('exact');
  const result = await run(['augment', '--in', data.dir, '--aug', 'siren-negation+siren-bias+permute', '--copies', '1', '--split', 'train', '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  const manifest = readManifestJson(out);
  assert.deepEqual(
    manifest.items.map((i) => i.parent),
    data.manifest.items.filter((i) => i.split === 'train').map((i) => i.id),
  );
  for (const item of manifest.items) {
    const [parent, augmented] = [await loadInr(`${data.dir}#${item.parent}`), await loadInr(`${out}#${item.id}`)];
    const f = renderSiren(parent.spec, parent.layers, pixelGrid(28));
    const g = renderSiren(augmented.spec, augmented.layers, pixelGrid(28));
    // float32 precision of a fitted default SIREN (test/augment/helpers.ts bounds it ≈ 1e-4; measured ≤ 1e-6).
    assert.ok(
      f.every((v, p) => Math.abs(v - g[p]!) < 1e-5),
      item.id,
    );
    assert.equal(item.target, undefined, 'the label stays hard');
    assert.equal(item.partner, undefined);
  }
});

test('an augmented dataset can be augmented again: soft labels carry over, nothing else is inherited, provenance is kept', async () => {
  const [first, second] = [tmp('first'), tmp('second')];
  assert.equal((await run(['augment', '--in', data.dir, '--aug', 'mixup', '--seed', '1', '--out', first])).code, 0);
  const again = await run(['augment', '--in', first, '--aug', 'permute', '--out', second]);
  assert.equal(again.code, 0, again.stderr);
  const parents = new Map(readManifestJson(first).items.map((i) => [i.id, i]));
  const manifest = readManifestJson(second);
  assert.equal(manifest.augment.previous?.aug, 'mixup:min=0,max=1');
  for (const item of manifest.items) {
    const parent = parents.get(item.parent)!;
    assert.equal(item.partner, undefined, 'a permutation has no partner, whatever the parent had');
    assert.deepEqual(item.target, parent.target, 'the soft label carries over');
    assert.equal(item.label, parent.label);
    assert.deepEqual(
      item.aug.map((a) => a.name),
      ['permute'],
    );
  }
  assert.ok(
    manifest.items.some((i) => i.target !== undefined),
    'some parents had soft labels',
  );
});

test('augment usage errors name the bad token (exit 2)', async () => {
  const out = tmp('bad');
  const cases: [string[], RegExp][] = [
    [['--aug', 'translate:scale=abc'], /--aug: translate:scale: "abc" is not a number/],
    [['--aug', 'rotat'], /unknown augmentation "rotat" \(did you mean "rotate"\?\)/],
    [['--aug', 'relu-scaling'], /relu-scaling needs a ReLU network; this network is sine/],
    [['--aug', 'translate', '--split', 'training'], /unknown split "training"/],
    [['--aug', 'translate', '--copies', '0'], /--copies must be an integer ≥ 1/],
  ];
  for (const [extra, pattern] of cases) {
    const result = await run(['augment', '--in', data.dir, '--out', out, ...extra]);
    assert.equal(result.code, 2, `${extra.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
  }
});

test('preview copy c is augment item ID-a{c}; for a translation the PNG shows the digit moved by exactly t, error printed', async () => {
  const id = data.manifest.items[0]!.id;
  const out = tmp('preview');
  assert.equal((await run(['augment', '--in', data.dir, '--aug', 'translate', '--copies', '3', '--seed', '9', '--out', join(out, 'aug')])).code, 0);
  const grid = join(out, 'grid.png');
  const size = 56;
  const result = await run([
    'preview',
    '--in',
    `${data.dir}#${id}`,
    '--aug',
    'translate',
    '--copies',
    '3',
    '--seed',
    '9',
    '--size',
    String(size),
    '--out',
    grid,
  ]);
  assert.equal(result.code, 0, result.stderr);
  const errors = [...result.stdout.matchAll(/max\|g\(x\) − f\(Ax\+t\)\| = (\S+)/g)].map((m) => Number(m[1]));
  assert.equal(errors.length, 3);
  assert.ok(
    errors.every((e) => e < 1e-5),
    `errors ${errors}`,
  );
  const image = decodeImage(readFileSync(grid), grid);
  const captions = ['orig', ...errors.map((e) => e.toExponential(1))];
  const layout = gridLayout(captions, size);
  assert.deepEqual([image.width, image.height], [layout.width, layout.height]);
  const cell = (k: number) => {
    const { x, y } = cellOrigin(layout, k);
    return Float32Array.from({ length: size * size }, (_, p) => image.rgb[((y + Math.floor(p / size)) * image.width + x + (p % size)) * 3]!);
  };
  const parent = await loadInr(`${data.dir}#${id}`);
  const coords = pixelGrid(size);
  const quantised = (a: Float32Array, b: Float32Array) => a.every((v, p) => Math.abs(v - Math.min(1, Math.max(0, b[p]!))) <= 0.5 / 255 + 1e-6);
  assert.ok(quantised(cell(0), renderSiren(parent.spec, parent.layers, coords)), 'cell 0 is the original');
  const items = readManifestJson(join(out, 'aug')).items.filter((i) => i.parent === id);
  for (let c = 0; c < 3; c++) {
    const item = items.find((i) => i.id === `${id}-a${c}`)!;
    const t = (item.aug[0]!.params as { t: number[] }).t;
    const augmented = await loadInr(`${join(out, 'aug')}#${item.id}`);
    assert.ok(quantised(cell(c + 1), renderSiren(augmented.spec, augmented.layers, coords)), `cell ${c + 1} is augment item ${item.id}`);
    // The law in pixels: the cell is the original digit evaluated at x + t — moved, not noise.
    assert.ok(quantised(cell(c + 1), renderSiren(parent.spec, parent.layers, mapPoints({ A: identityMap(2).A, t }, coords))), `cell ${c + 1}: not f(x + t)`);
    const moved = cell(c + 1).reduce((s, v, p) => s + Math.abs(v - cell(0)[p]!), 0) / (size * size);
    assert.ok(moved > 0.01, `cell ${c + 1} barely differs from the original (t = ${t})`);
  }
});

test('preview of a MixUp draws partners from the dataset split, or takes --partner; without one a bare file is refused', async () => {
  const item = data.manifest.items.find((i) => i.split === 'val')!;
  const out = tmp('preview-mix');
  const result = await run(['preview', '--in', `${data.dir}#${item.id}`, '--aug', 'mixup-aligned', '--copies', '2', '--out', join(out, 'mix.png')]);
  assert.equal(result.code, 0, result.stderr);
  const partners = [...result.stdout.matchAll(/\(partner (\S+)\)/g)].map((m) => m[1]!);
  assert.equal(partners.length, 2);
  for (const p of partners) assert.equal(data.manifest.items.find((i) => i.id === p)!.split, 'val');
  const file = join(out, 'inr.safetensors');
  await writeWeightSet(file, mlpToWeightSet(data.networks[0]!));
  const refused = await run(['preview', '--in', file, '--aug', 'mixup', '--out', join(out, 'x.png')]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /mixup needs a partner: pass --partner/);
  const other = join(out, 'other.safetensors');
  await writeWeightSet(other, mlpToWeightSet(data.networks[1]!));
  const withPartner = await run(['preview', '--in', file, '--partner', other, '--aug', 'mixup', '--copies', '1', '--out', join(out, 'y.png')]);
  assert.equal(withPartner.code, 0, withPartner.stderr);
});
