// The inspector's engine on real files: the header first (no data read), statistics per tensor equal to
// the full report, drawable values, INRs found by name and shape, reconstructions equal to the
// independent loadInr + renderSiren path, labels from a shard's metadata or a sample's dataset, diffs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InspectEngine } from '../../src/core/inspect/engine';
import { toErrorInfo } from '../../src/core/labError';
import { inrCatalog } from '../../src/core/inspect/inrCatalog';
import { inspectWeightFile } from '../../src/core/inspect/report';
import { loadInr } from '../../src/core/dataset/loadInr';
import { readManifest } from '../../src/core/dataset/manifest';
import { readWeightSet, writeWeightSet } from '../../src/core/formats/registry';
import { renderSiren } from '../../src/core/inr/render';
import { pixelGrid } from '../../src/core/inr/spec';
import { findDatasetSample, writeDatasetSample } from '../../src/core/workspace/datasetSample';
import { WeightSet } from '../../src/core/weights/weightSet';
import { WeightFileError } from '../../src/core/errors';
import { fixturePath } from '../helpers/fixtures';

const SIREN = fixturePath('safetensors', 'siren.safetensors');
const SIREN_PTH = fixturePath('torch', 'siren.pth');
const TINY = fixturePath('dataset', 'tiny');
const SHARD = join(TINY, 'shards', '00000.safetensors');
const tmp = mkdtempSync(join(tmpdir(), 'wslab-inspect-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function withEngine<T>(path: string, body: (engine: InspectEngine) => Promise<T>): Promise<T> {
  const engine = await InspectEngine.open(path);
  try {
    return await body(engine);
  } finally {
    await engine.close();
  }
}

test('the header lists every tensor with its parameter count, and finds the SIREN', async () => {
  await withEngine(SIREN, async (engine) => {
    const h = engine.header;
    assert.equal(h.format, 'safetensors');
    assert.deepEqual(
      h.tensors.map((t) => t.name),
      ['seq.0.weight', 'seq.0.bias', 'seq.1.weight', 'seq.1.bias', 'seq.2.weight', 'seq.2.bias'],
    );
    assert.equal(
      h.tensors.reduce((n, t) => n + t.params, 0),
      1185,
    );
    assert.deepEqual(h.inrs, { kind: 'single', names: ['seq.{i}'], families: ['seq.{i}'], widths: [2, 32, 32, 1] });
  });
});

test('statistics on request equal the full report, and are cached', async () => {
  const report = await inspectWeightFile(SIREN_PTH);
  await withEngine(SIREN_PTH, async (engine) => {
    for (const t of report.tensors) {
      const { name: _n, dtype: _d, shape: _s, ...stats } = t;
      assert.deepEqual(await engine.tensorStats(t.name), stats, t.name);
    }
    assert.equal(await engine.tensorStats('seq.0.weight'), await engine.tensorStats('seq.0.weight'));
    await assert.rejects(engine.tensorStats('nope'), (e: unknown) => e instanceof WeightFileError && e.code === 'no-such-tensor');
  });
});

test('tensor values: histogram over every value, the matrix as stored, norms per row and column', async () => {
  const set = await readWeightSet(SIREN);
  await withEngine(SIREN, async (engine) => {
    const v = await engine.tensorValues('seq.1.weight', 16);
    const data = set.get('seq.1.weight').data;
    assert.equal(v.histogram.counts.length, 16);
    assert.equal(
      v.histogram.counts.reduce((a, b) => a + b, 0),
      1024,
    );
    assert.deepEqual([v.matrix.rows, v.matrix.cols, v.matrix.sourceRows, v.matrix.sourceCols], [32, 32, 32, 32]);
    assert.deepEqual(Array.from(v.matrix.values), Array.from(data));
    assert.equal(v.norms.rows.length, 32);
    assert.ok(Math.abs(v.norms.rows[3]! - Math.hypot(...data.subarray(96, 128))) < 1e-5);
    const bias = await engine.tensorValues('seq.1.bias');
    assert.deepEqual([bias.matrix.rows, bias.matrix.cols], [1, 32]);
  });
});

test('INR catalog: a shard lists its ids; files without a 2-D-input MLP have none', async () => {
  await withEngine(SHARD, async (engine) => {
    assert.deepEqual(engine.header.inrs, {
      kind: 'shard',
      names: ['img409-v0', 'img9564-v0'],
      families: ['img409-v0/seq.{i}', 'img9564-v0/seq.{i}'],
      widths: [2, 32, 32, 1],
    });
  });
  await withEngine(fixturePath('numpy', 'v1_float32.npy'), async (engine) => assert.equal(engine.header.inrs, null));
  const info = (name: string, shape: number[]) => ({ name, shape, dtype: 'F32' as const });
  // An MLP with 3 inputs and 1 output is a 3-D INR (a signed distance); with 2 outputs or 4 inputs it is no INR; nor is a 4-D "weight" named like a layer.
  assert.deepEqual(inrCatalog([info('seq.0.weight', [8, 3]), info('seq.1.weight', [1, 8])])?.widths, [3, 8, 1]);
  assert.equal(inrCatalog([info('seq.0.weight', [8, 3]), info('seq.1.weight', [2, 8])]), null);
  assert.equal(inrCatalog([info('seq.0.weight', [8, 4]), info('seq.1.weight', [1, 8])]), null);
  assert.equal(inrCatalog([info('0.weight', [8, 2, 3, 3]), info('1.weight', [1, 8])]), null);
  // A single linear layer has no hidden layer: not a SIREN.
  assert.equal(inrCatalog([info('seq.0.weight', [1, 2])]), null);
  // Huge tensors are never materialised (a stand-in of size 0): no crash, no INR.
  assert.equal(inrCatalog([info('seq.0.weight', [1 << 16, 1 << 15]), info('seq.1.weight', [1, 1 << 16])]), null);
});

test('reconstruction equals loadInr + renderSiren, with the label of the file', async () => {
  const inr = await loadInr(SIREN);
  const expected = renderSiren(inr.spec, inr.layers, pixelGrid(28));
  await withEngine(SIREN, async (engine) => {
    const r = await engine.reconstruct(0, 28);
    assert.deepEqual([r.width, r.height, r.channels, r.name], [28, 28, 1, 'seq.{i}']);
    assert.deepEqual(Array.from(r.pixels), Array.from(expected));
    assert.equal(r.label, '7');
    await assert.rejects(engine.reconstruct(1, 28), RangeError);
    await assert.rejects(engine.reconstruct(0, 3), RangeError);
    await assert.rejects(engine.reconstruct(0, 513), RangeError);
  });
  await withEngine(fixturePath('numpy', 'v1_float32.npy'), async (engine) => {
    await assert.rejects(engine.reconstruct(0, 28), /holds no INR/);
  });
});

test('a shard: each INR renders as its dataset says (spec, label from the shard metadata)', async () => {
  const manifest = await readManifest(TINY);
  await withEngine(SHARD, async (engine) => {
    for (const [index, id] of ['img409-v0', 'img9564-v0'].entries()) {
      const inr = await loadInr(`${TINY}#${id}`);
      const r = await engine.reconstruct(index, 16);
      assert.equal(r.name, id);
      assert.deepEqual(Array.from(r.pixels), Array.from(renderSiren(inr.spec, inr.layers, pixelGrid(16))));
      assert.equal(r.label, String(manifest.items.find((i) => i.id === id)!.label));
    }
  });
});

test('a dataset sample file gets its label from its dataset manifest', async () => {
  const sample = await findDatasetSample(TINY, 'img8176-v0');
  const out = join(tmp, 'sample.safetensors');
  await writeDatasetSample(TINY, sample, out);
  await withEngine(out, async (engine) => {
    assert.equal(engine.header.inrs?.kind, 'single');
    assert.equal((await engine.reconstruct(0, 8)).label, '8');
  });
});

test('diff: a file against itself is zero; a changed copy shows where and how much', async () => {
  const set = await readWeightSet(SIREN);
  const changed = set.tensors
    .filter((t) => t.name !== 'seq.2.bias')
    .map((t) => {
      if (t.name === 'seq.0.weight') {
        const data = t.data.slice();
        data[3] += 0.5;
        return { ...t, data };
      }
      if (t.name === 'seq.1.bias') return { ...t, shape: [2, 16] };
      return t;
    });
  const other = join(tmp, 'changed.safetensors');
  await writeWeightSet(other, new WeightSet([...changed, { name: 'extra', shape: [1], dtype: 'F32', data: Float32Array.of(1) }]));
  await withEngine(SIREN, async (engine) => {
    const self = await InspectEngine.open(SIREN);
    const same = await engine.diff(self);
    await self.close();
    assert.ok(same.tensors.every((t) => t.status === 'compared' && t.l2 === 0 && t.maxAbs === 0));
    const copy = await InspectEngine.open(other);
    const diff = await engine.diff(copy);
    await copy.close();
    const byName = new Map(diff.tensors.map((t) => [t.name, t]));
    const w0 = byName.get('seq.0.weight')!;
    assert.equal(w0.status, 'compared');
    assert.ok(Math.abs(w0.maxAbs! - 0.5) < 1e-6 && Math.abs(w0.l2! - 0.5) < 1e-6);
    assert.equal(byName.get('seq.1.weight')!.l2, 0);
    assert.equal(byName.get('seq.1.bias')!.status, 'shape-mismatch');
    assert.equal(byName.get('seq.2.bias')!.status, 'only-in-file');
    assert.equal(byName.get('extra')!.status, 'only-in-other');
    assert.deepEqual(diff.tensors.map((t) => t.name).slice(-1), ['extra']);
  });
});

test('errorInfo: typed codes for weight-file errors, bad requests and everything else', () => {
  assert.deepEqual(toErrorInfo(new WeightFileError('truncated', '/a.safetensors', 'ends early'), '/x'), {
    code: 'truncated',
    file: '/a.safetensors',
    message: '/a.safetensors: ends early',
  });
  assert.equal(toErrorInfo(new RangeError('bad index'), '/x').code, 'invalid-request');
  assert.deepEqual(toErrorInfo('boom', '/x'), { code: 'internal', file: '/x', message: 'boom' });
});
