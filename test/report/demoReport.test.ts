/**
 * The demo report page: one self-contained HTML file (no scripts, no external resources), images
 * embedded byte for byte as data: PNG URIs, one table row per run with its own numbers, two inline SVG
 * charts, and every piece of inserted text escaped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePng } from '../../src/core/image/codec';
import { demoReportHtml, formatPercent, type DemoReportInput, type ReportRun } from '../../src/core/report/demoReport';
import { escapeHtml, pngDataUri } from '../../src/core/report/html';
import type { MetricRecord, RunSummary } from '../../src/core/train/runFolder';

function summary(name: string, best: number, test: number, epoch: number): RunSummary {
  return {
    name,
    epochs: 3,
    epochsDone: 3,
    steps: 12,
    bestValAccuracy: best,
    bestEpoch: epoch,
    testAccuracyAtBest: test,
    last: { trainLoss: 1.234, trainAccuracy: 0.5, valLoss: 1.5, valAccuracy: best },
    durationSec: 75,
    backend: 'wasm',
    counts: { train: 100, val: 10, test: 10 },
    parameters: 1000,
    versions: {},
  };
}

function metrics(seed: number): MetricRecord[] {
  const records: MetricRecord[] = [];
  for (let epoch = 1; epoch <= 3; epoch++) {
    for (let k = 1; k <= 4; k++)
      records.push({
        step: (epoch - 1) * 4 + k,
        epoch,
        split: 'train',
        loss: 2.3 - 0.1 * epoch - 0.01 * k * seed,
        accuracy: 0.1 * epoch,
        lr: 1e-3,
        time: epoch,
      });
    records.push({ step: epoch * 4, epoch, split: 'val', loss: 2.2 - 0.1 * epoch, accuracy: 0.2 * epoch + 0.01 * seed, lr: 1e-3, time: epoch });
  }
  return records;
}

const png = (value: number) => encodePng(new Float32Array(4 * 4).fill(value), 4, 4, 1);

function input(runs: ReportRun[]): DemoReportInput {
  return {
    title: 'Demo <report>',
    createdAt: '2025-01-01 00:00:00 UTC',
    machine: '2 CPU cores',
    dataset: [['images', 'MNIST & friends']],
    reconstructions: [
      { label: 'MNIST image', png: png(0.2), alt: 'sources' },
      { label: 'its INR', detail: 'PSNR "dB"', png: png(0.4), alt: 'inrs' },
    ],
    reconstructionsCaption: 'reconstructions',
    augmentations: [{ label: 'translate', detail: 'g(x) = f(x + t) <exact>', png: png(0.6), alt: 'translate copies' }],
    augmentationsCaption: 'max|g(x) − f(Ax + t)| < 1e-6',
    training: 'both runs',
    classes: 10,
    runs,
    stages: [
      { name: 'generate INRs', seconds: 61 },
      { name: 'train', seconds: 30, note: 'reused' },
    ],
    commands: ["wslab train --config 'a b.json'"],
    vscode: ['Open it in VS Code'],
  };
}

const RUNS: ReportRun[] = [
  {
    label: 'baseline',
    augmentation: 'none',
    seeds: [{ seed: 0, dir: 'runs/baseline-seed0', summary: summary('baseline', 0.8125, 0.7, 2), metrics: metrics(1) }],
  },
  {
    label: 'augmented',
    augmentation: 'translate, mixup (each p 0.5)',
    seeds: [{ seed: 0, dir: 'runs/augmented-seed0', summary: summary('augmented', 0.6875, 0.655, 3), metrics: metrics(2) }],
  },
];

/** One configuration over three seeds with test accuracies 0.5, 0.6, 0.8 (mean 0.6333, sample std 0.1528). */
const SEEDED: ReportRun = {
  label: 'seeded',
  augmentation: 'rotate (p 0.5)',
  seeds: [0.5, 0.6, 0.8].map((test, seed) => ({
    seed,
    dir: `runs/seeded-seed${seed}`,
    summary: summary('seeded', 0.7, test, seed + 1),
    metrics: metrics(seed),
  })),
};

test('escapeHtml escapes the five markup characters and nothing else', () => {
  assert.equal(escapeHtml(`<a href="x">Tom & Jerry's</a> 1 − 2`), '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; 1 − 2');
});

test('the report has one row per run with that run’s own numbers', () => {
  const html = demoReportHtml(input(RUNS));
  for (const run of RUNS) {
    const row = html.match(new RegExp(`<tr><th scope="row">${run.label}</th>.*?</tr>`))?.[0];
    assert.ok(row, `a table row for ${run.label}`);
    const { summary } = run.seeds[0]!;
    assert.ok(row.includes(formatPercent(summary.bestValAccuracy)), `${run.label}: best val`);
    assert.ok(row.includes(formatPercent(summary.testAccuracyAtBest)), `${run.label}: test at best val`);
    assert.ok(row.includes(`${summary.bestEpoch} / ${summary.epochs}`), `${run.label}: best epoch`);
    assert.ok(row.includes(escapeHtml(run.augmentation)), `${run.label}: augmentation`);
    assert.ok(row.includes(run.seeds[0]!.dir), `${run.label}: its run folder`);
  }
  // One seed: the caveat says the spread over seeds is unknown.
  assert.match(html, /one seed \(0\), so the spread over seeds is unknown/);
  assert.equal(formatPercent(0.8125), '81.3%');
  assert.equal(formatPercent(null), '–');
});

test("a configuration trained with several seeds shows mean ± sample std over them, each seed's accuracy and folder", () => {
  const html = demoReportHtml(input([RUNS[0]!, SEEDED]));
  const row = html.match(/<tr><th scope="row">seeded<\/th>.*?<\/tr>/)?.[0];
  assert.ok(row);
  assert.ok(row.includes('63.3% ± 15.3'), row);
  assert.ok(row.includes('50.0%, 60.0%, 80.0%'), row);
  assert.ok(row.includes('1, 2, 3 / 3'), row);
  for (const seed of [0, 1, 2]) assert.ok(row.includes(`runs/seeded-seed${seed}`));
  // The baseline's caveat is about the first configuration's seeds; with several: "± is the sample standard deviation".
  assert.match(demoReportHtml(input([SEEDED])), /trained with seeds 0, 1, 2 .*± is the sample standard deviation over them/);
  assert.match(html, /The curves: seed 0 of each configuration/);
});

test('images are embedded as data: PNG URIs, byte for byte; the curves are two inline SVG charts', () => {
  const html = demoReportHtml(input(RUNS));
  const uris = [...html.matchAll(/<img src="(data:image\/png;base64,[^"]+)"/g)].map((m) => m[1]!);
  assert.deepEqual(uris, [png(0.2), png(0.4), png(0.6)].map(pngDataUri));
  assert.deepEqual(Buffer.from(uris[0]!.split(',')[1]!, 'base64'), Buffer.from(png(0.2)));
  assert.equal([...html.matchAll(/<svg /g)].length, 2);
  // Each run appears in the chart legends.
  for (const run of RUNS) assert.match(html, new RegExp(`>${run.label}: val accuracy<`));
});

test('the page is self-contained: no scripts, no external resources', () => {
  const html = demoReportHtml(input(RUNS));
  assert.doesNotMatch(html, /<script|<link|<iframe|@import|url\(/i);
  assert.doesNotMatch(html, /(src|href)="(?!data:)/i);
  assert.ok(html.startsWith('<!DOCTYPE html>'));
});

test('every inserted text is escaped', () => {
  const hostile = '<script>alert(1)</script>';
  const runs: ReportRun[] = [{ label: hostile, augmentation: '"><img src=x onerror=alert(1)>', seeds: [{ ...RUNS[0]!.seeds[0]!, dir: '<dir>' }] }];
  const html = demoReportHtml({ ...input(runs), commands: [hostile], vscode: [hostile], dataset: [[hostile, hostile]] });
  assert.doesNotMatch(html, /<script|<img src=x|<dir>/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /<title>Demo &lt;report&gt;<\/title>/);
  assert.match(html, /PSNR &quot;dB&quot;/);
});
