// The read-only workspace helpers of the extension, in core: the starter config, the comparison table,
// dataset summaries and samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveConfig } from '../../src/core/train/experimentConfig';
import { COMMENT_WIDTH, starterConfig, STARTER_COMMENT } from '../../src/core/workspace/starterConfig';
import { readComparedRun } from '../../src/core/workspace/compareRuns';
import { summarizeDataset } from '../../src/core/workspace/datasetSummary';
import { findDatasetSample, sampleIds, writeDatasetSample } from '../../src/core/workspace/datasetSample';
import { readWeightSet } from '../../src/core/formats/registry';
import { readShardItem } from '../../src/core/dataset/shard';
import { MODEL_KINDS } from '../../src/core/models/modelConfig';

const TINY = resolve(__dirname, '../fixtures/dataset/tiny');

test('the starter config validates against the schema as written, for every model', () => {
  for (const model of MODEL_KINDS) {
    const text = starterConfig({ dataset: 'datasets/mnist-1000', model, epochs: 7 });
    const config = resolveConfig(JSON.parse(text), '/w/mnist-1000-dwsnet.wslab.json');
    assert.equal(config.model.kind, model);
    assert.equal(config.optimizer.epochs, 7);
    assert.equal(config.dataset, '/w/datasets/mnist-1000');
    assert.equal(config.name, 'mnist-1000-dwsnet');
    assert.deepEqual(
      config.augment.map((a) => a.name),
      ['translate', 'siren-negation'],
    );
  }
  assert.deepEqual(JSON.parse(starterConfig({ dataset: 'd', model: 'mlp' })).$comment, STARTER_COMMENT);
  const long = STARTER_COMMENT.filter((line) => line.length > COMMENT_WIDTH);
  assert.deepEqual(long, [], 'every comment line fits an editor beside the sidebar');
  // The schema still refuses unknown keys next to the comment.
  assert.throws(() => resolveConfig({ ...JSON.parse(starterConfig({ dataset: 'd', model: 'mlp' })), comment: 'x' }, 'a.wslab.json'), /unknown key "comment"/);
});

function runFolder(root: string, name: string, summary: Record<string, unknown> | undefined, status: Record<string, unknown>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      name: 'exp',
      model: { kind: 'dwsnet', hidden: 16, layers: 2 },
      augment: [
        { name: 'translate', p: 0.5 },
        { name: 'permute', p: 1 },
      ],
      trainLimit: null,
      seed: 3,
    }),
  );
  writeFileSync(join(dir, 'status'), JSON.stringify({ updated: 'now', ...status }));
  if (summary) writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
  return dir;
}

test('a run folder reads as its status, summary and config; files a run does not have yet are undefined', async () => {
  const root = mkdtempSync(join(tmpdir(), 'wslab-compare-'));
  const base = { epochs: 20, epochsDone: 20, steps: 400, bestEpoch: 12, last: {}, durationSec: 95, backend: 'wasm', counts: {}, parameters: 1, versions: {} };
  const a = await readComparedRun(runFolder(root, 'a', { ...base, name: 'a', bestValAccuracy: 0.9312, testAccuracyAtBest: 0.925 }, { state: 'done' }));
  assert.equal(a.name, 'a');
  assert.equal(a.status?.state, 'done');
  assert.equal(a.summary?.bestValAccuracy, 0.9312);
  assert.equal(a.config?.model?.kind, 'dwsnet');
  assert.equal(a.config?.seed, 3);
  const c = await readComparedRun(runFolder(root, 'c', undefined, { state: 'failed', error: 'loss is NaN' }));
  assert.equal(c.summary, undefined);
  assert.deepEqual([c.status?.state, c.status?.error], ['failed', 'loss is NaN']);
});

test('dataset summary: counts, PSNR statistics, state; problems named instead of thrown', async () => {
  const summary = await summarizeDataset(TINY);
  assert.equal(summary.state, 'complete');
  assert.equal(summary.items, 3);
  assert.equal(summary.planned, 3);
  assert.equal(summary.source, 'mnist');
  assert.ok(summary.psnr && summary.psnr.min <= summary.psnr.mean && summary.psnr.mean <= summary.psnr.max);
  const limited = await summarizeDataset(TINY, 100);
  assert.equal(limited.items, null, 'a manifest over the limit is not parsed');
  const broken = mkdtempSync(join(tmpdir(), 'wslab-broken-'));
  writeFileSync(join(broken, 'dataset.json'), '{');
  const result = await summarizeDataset(broken);
  assert.equal(result.state, 'broken');
  assert.match(result.error!, /dataset\.json: .*JSON/);
});

test('a dataset sample is one INR as a weight file of its own, equal to its tensors in the shard', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'wslab-sample-')), 'tiny');
  cpSync(TINY, dir, { recursive: true });
  const ids = await sampleIds(dir);
  assert.ok(ids.length >= 1 && ids.every((id) => /^img\d+-v\d+$/.test(id)), ids.join());
  const sample = await findDatasetSample(dir);
  assert.equal(sample.id, ids[0]);
  const out = join(dir, '..', 'sample.safetensors');
  await writeDatasetSample(dir, sample, out);
  const written = await readWeightSet(out);
  const expected = await readShardItem(sample.shard, sample.id);
  assert.deepEqual(
    written.tensors.map((t) => [t.name, t.shape, Array.from(t.data as Float32Array)]),
    expected.tensors.map((t) => [t.name, t.shape, Array.from(t.data as Float32Array)]),
  );
  assert.equal(written.metadata['wslab.id'], sample.id);
  await assert.rejects(findDatasetSample(dir, 'img0-v9'), /no INR with id "img0-v9"/);
});
