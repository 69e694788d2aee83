/**
 * `wslab demo` end to end with tiny sizes (40 INRs, 20 fitting steps, 2 epochs, 2 seeds): it writes the
 * dataset, the run folders of the three configurations (the StatNN sanity baseline, the DWSNet without and
 * with augmentation) per seed and one report that holds every configuration's row (each seed's numbers from
 * its summary.json, their mean ± std), chance level, the reconstruction and augmentation images and the two charts; it prints each
 * stage, the report's path and the VS Code hint. A rerun reuses the dataset and retrains the runs from
 * scratch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { formatPercent } from '../../src/core/report/demoReport';
import { readMetrics, readSummary } from '../../src/core/train/runFolder';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const TINY = ['--inrs', '40', '--steps', '20', '--epochs', '2', '--seeds', '2', '--progress', 'none'];

test('wslab demo writes the dataset, the three runs and a self-contained report with every run, chance level and the images; a rerun reuses the dataset', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'wslab-demo-')), 'demo');
  const first = await run(['demo', ...TINY, '--out', out]);
  assert.equal(first.code, 0, first.stderr);
  for (const stage of ['[1/5]', '[2/5]', '[3/5]', '[4/5]', '[5/5]']) assert.ok(first.stdout.includes(stage), `stage ${stage} is printed`);
  assert.match(first.stdout, /Report: .*report\.html/);
  assert.match(first.stdout, /In VS Code: /);

  const reportPath = join(out, 'report.html');
  assert.ok(existsSync(reportPath));
  const html = readFileSync(reportPath, 'utf8');
  assert.equal(JSON.parse(readFileSync(join(out, 'datasets', 'mnist', 'manifest.json'), 'utf8')).items.length, 40);
  for (const name of ['statnn', 'baseline', 'augmented']) {
    const row = html.match(new RegExp(`<tr><th scope="row">${name}</th>.*?</tr>`))?.[0];
    assert.ok(row, `the report has a row for ${name}`);
    // Seeds 0 and 1, each its own run with its own seed; the row holds each one's accuracy and their mean ± std.
    const summaries = await Promise.all([0, 1].map(async (seed) => (await readSummary(join(out, 'runs', `${name}-seed${seed}`)))!));
    const seeds = await Promise.all([0, 1].map(async (seed) => JSON.parse(readFileSync(join(out, 'runs', `${name}-seed${seed}`, 'config.json'), 'utf8')).seed));
    assert.deepEqual(seeds, [0, 1]);
    for (const summary of summaries) assert.equal(summary.epochsDone, 2);
    assert.ok(row.includes(summaries.map((s) => formatPercent(s.testAccuracyAtBest)).join(', ')), `${name}: each seed's test accuracy`);
    const tests = summaries.map((s) => s.testAccuracyAtBest!);
    const mean = (tests[0]! + tests[1]!) / 2;
    assert.ok(row.includes(`${formatPercent(mean)} ± ${(100 * Math.abs(tests[0]! - tests[1]!) / Math.SQRT2).toFixed(1)}`), `${name}: mean ± std over the seeds: ${row}`);
    assert.ok(existsSync(join(out, 'configs', `${name}.wslab.json`)));
  }
  assert.match(html, /trained with seeds 0, 1 .*± is the sample standard deviation over them/);
  assert.equal(JSON.parse(readFileSync(join(out, 'configs', 'statnn.wslab.json'), 'utf8')).model.kind, 'statnn');
  assert.match(html, /Chance is 10\.0% \(10 classes\)/);
  // A training stage's wall time and the run's training time are told apart, not shown as two times for one thing.
  assert.match(html, /<tr><td>train baseline<\/td><td class="num">[^<]+<\/td><td>2 runs: training itself [^<]+ of it \(the table shows the mean per run\)/);
  assert.match(first.stdout, /Chance is 10\.0% \(10 classes\)/);
  // 2 reconstruction rows + one row per augmentation of the augmented run and one for its whole chain.
  const augmentations = JSON.parse(readFileSync(join(out, 'configs', 'augmented.wslab.json'), 'utf8')).augment.length;
  assert.ok(augmentations > 0);
  assert.equal([...html.matchAll(/<img src="data:image\/png;base64,/g)].length, 2 + augmentations + 1);
  assert.equal([...html.matchAll(/<svg /g)].length, 2);
  assert.doesNotMatch(html, /<script/i);

  // The report's Reproduce block runs as pasted, right after the demo (npx wslab = this CLI).
  const reproduce = html.match(/<h2>5\. Reproduce<\/h2>\s*<pre>([\s\S]*?)<\/pre>/)?.[1];
  assert.ok(reproduce, 'the report has a Reproduce block');
  const steps = reproduce.split('\n').filter((line) => !line.startsWith('#'));
  assert.ok(steps.length >= 6 && steps.every((line) => line.startsWith('npx wslab ')), reproduce);
  for (const line of steps) {
    const r = await run(line.slice('npx wslab '.length).split(' ').map((a) => a.replace(/&#39;/g, "'").replace(/^'(.*)'$/, '$1')));
    assert.equal(r.code, 0, `${line}\n${r.stderr}`);
  }
  for (const seed of [0, 1]) assert.equal((await readSummary(join(out, 'reproduced', 'runs', `augmented-seed${seed}`)))?.epochsDone, 2);

  const second = await run(['demo', ...TINY, '--out', out]);
  assert.equal(second.code, 0, second.stderr);
  const rerun = readFileSync(reportPath, 'utf8');
  assert.match(rerun, /reused the finished dataset/);
  const validation = (await readMetrics(join(out, 'runs', 'baseline-seed0'))).filter((r) => r.split === 'val');
  assert.deepEqual(validation.map((r) => r.epoch), [1, 2], 'retrained from scratch, not appended to the first run');
});

test('wslab demo refuses bad options with exit code 2', async () => {
  for (const [args, pattern] of [
    [['--inrs', '5'], /--inrs must be an integer ≥ 20/],
    [['--epochs', 'many'], /--epochs must be an integer/],
    [['--progress', 'json'], /--progress must be bar or none/],
  ] as const) {
    const result = await run(['demo', ...args, '--out', join(tmpdir(), 'wslab-demo-never')]);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
  }
});
