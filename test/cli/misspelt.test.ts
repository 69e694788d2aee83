/**
 * Misspellings get an answer that helps: an option names the closest real one and shows the command's usage
 * (exit 2); a dataset name that is neither a folder nor a built-in dataset lists the built-in ones; a file
 * that is not an INR (a classifier checkpoint) says so, with the file and what to use instead.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { MODEL_DEFAULTS } from '../../src/core/models/modelConfig';
import { initTf } from '../../src/core/models/tf';
import { createModel } from '../../src/core/models/weightSpaceModel';
import { saveCheckpoint } from '../../src/core/train/checkpoint';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

test('a misspelt option suggests the closest one and prints the usage', async () => {
  const r = await run(['generate', '--dataset', 'mnist', '--out', '/nonexistent/x', '--limt', '10']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^wslab generate: unknown option --limt \(did you mean --limit\?\)\nusage: wslab generate --dataset/);
  const t = await run(['train', '--confg', 'x.json']);
  assert.equal(t.code, 2);
  assert.match(t.stderr, /unknown option --confg \(did you mean --config\?\)/);
});

test('an option far from every known one gets no suggestion, still the usage', async () => {
  const r = await run(['render', 'x#y', '--out', 'a.png', '--zzzzzzzz']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^wslab render: unknown option --zzzzzzzz\nusage: wslab render /);
});

test('a dataset that is neither a folder nor a built-in name lists the built-in datasets, with the closest', async () => {
  const r = await run(['generate', '--dataset', 'mnsit', '--out', '/nonexistent/x']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /mnsit: no such folder, and not a built-in dataset \(did you mean "mnist"\?\); built-in: mnist, fashion-mnist/);
});

test('rendering a classifier checkpoint names the file, says it is not an INR and what to use instead', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'wslab-render-ckpt-')), 'last.safetensors');
  await initTf('cpu');
  const model = createModel(MODEL_DEFAULTS.mlp, [2, 8, 1], 10, 1);
  await saveCheckpoint(file, model, { mean: new Float32Array(33), std: new Float32Array(33).fill(1), signs: 'as-is', widths: [2, 8, 1] });
  model.params.dispose();
  const r = await run(['render', file, '--out', join(tmpdir(), 'never.png')]);
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(`${file}: not an INR but a classifier checkpoint of wslab train: evaluate it with \`wslab eval RUN\``), r.stderr);
});
