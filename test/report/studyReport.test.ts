/** The study report: one self-contained page (no scripts, no network) with the plot, the table and the data-equivalents. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineChartSvg } from '../../src/core/report/lineChart';
import { equivalentText, studyReportHtml } from '../../src/core/report/studyReport';
import { resolveStudy } from '../../src/core/study/studyConfig';
import { runStudy } from '../../src/core/study/studyRunner';
import { fakeLauncher, STUDY } from '../study/fakeStudy';

test('the report holds every point and data-equivalent, escapes text, and loads nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-study-report-'));
  const study = await resolveStudy({ ...STUDY, description: 'sizes <img src=x onerror=alert(1)>' }, join(dir, 'r.study.wslab.json'));
  const result = await runStudy({ study, out: join(dir, 'r'), launch: fakeLauncher([]) });
  const html = studyReportHtml(result, { setup: [['dataset', '/data/<none>']] });
  assert.doesNotMatch(html, /<(script|img|link|iframe)\b|\s(src|href)="/i);
  assert.match(html, /sizes &lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(html, /\/data\/&lt;none&gt;/);
  assert.match(html, /<svg[^>]*aria-label="r: test accuracy at best validation epoch"/);
  for (const curve of result.curves) {
    for (const p of curve.points) assert.ok(html.includes(`${(100 * p.mean!).toFixed(1)} ± ${(100 * p.std!).toFixed(1)}`), `${curve.key} at ${p.size}`);
    for (const q of curve.equivalents)
      assert.ok(html.includes(equivalentText(q.equivalent, q.size).replace('>', '&gt;').replace('<', '&lt;')), `${curve.key} equivalent at ${q.size}`);
    for (const run of curve.points.flatMap((p) => p.runs)) assert.ok(html.includes(`<code>${run.name}</code>`));
  }
  assert.match(html, /complete: 18 runs/);
});

test('a log x axis spaces sizes by their ratio: 100, 400, 1,600 are evenly spaced; whiskers span ± the error', () => {
  const svg = lineChartSvg([{ name: 'a', color: '#000', markers: true, points: [100, 400, 1600].map((x) => ({ x, y: 0.5, error: 0.1 })) }], {
    title: 't',
    xLabel: 'x',
    yLabel: 'y',
    xScale: 'log',
    yRange: [0, 1],
  });
  const xs = [...svg.matchAll(/<circle cx="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.equal(xs.length, 3);
  assert.ok(Math.abs(xs[1]! - xs[0]! - (xs[2]! - xs[1]!)) < 0.05, xs.join(' '));
  assert.deepEqual(
    [...svg.matchAll(/>(100|400|1600)</g)].map((m) => m[1]),
    ['100', '400', '1600'],
  );
  const whiskers = [...svg.matchAll(/<path d="M([\d.]+) ([\d.]+) L[\d.]+ ([\d.]+) M/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
  assert.equal(whiskers.length, 3);
  const circleY = Number(/<circle cx="[\d.]+" cy="([\d.]+)"/.exec(svg)![1]);
  for (const [, top, bottom] of whiskers) assert.ok(Math.abs(circleY - top! - (bottom! - circleY)) < 0.05 && bottom! > top!);
});
