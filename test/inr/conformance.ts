/**
 * The conformance suite every SIREN fitting backend passes (the FitBackend contract in backend.ts),
 * checked through the public API only: the PSNR of returned weights is recomputed independently
 * (render.ts + psnr.ts), and early-stop points and determinism by re-running the backend itself.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FitBackend, FitOptions, FitProgress, FitResult, FitTask } from '../../src/core/inr/backend';
import { psnr } from '../../src/core/inr/psnr';
import { renderSiren } from '../../src/core/inr/render';
import { DEFAULT_SIREN, sirenWidths } from '../../src/core/inr/spec';
import type { Layer } from '../../src/core/weights/network';
import { coordsFor, makeTasks, resultBits } from './cases';

/** |backend PSNR − independent PSNR| allowed: 1e-3 dB is a relative MSE error of 2.3e-4, far above float32 summation error. */
const PSNR_TOLERANCE_DB = 1e-3;

const isAbortError = (error: unknown) => error instanceof Error && error.name === 'AbortError';

export function describeBackendConformance(label: string, create: () => Promise<FitBackend>, skip?: string): void {
  // A skipped suite as one skipped test, so the runner's "skipped" count shows it (a skipped describe counts 0).
  if (skip) {
    test(`FitBackend conformance: ${label}`, { skip }, () => undefined);
    return;
  }
  describe(`FitBackend conformance: ${label}`, () => {
    const spec = DEFAULT_SIREN;
    const coords = coordsFor(spec, 12);
    const tasks = makeTasks(spec, coords, 5, 11);
    const options: FitOptions = { spec, coords, steps: 12, targetPsnr: null };
    const independentPsnr = (task: FitTask, layers: readonly Layer[]) => psnr(renderSiren(spec, layers, coords), task.target);
    const byId = (results: readonly FitResult[]) => new Map(results.map((r) => [r.id, resultBits(r)]));
    let backend: FitBackend;

    before(async () => {
      backend = await create();
    });
    after(async () => {
      await backend?.close();
    });

    test('returns one result per task in task order, shaped like the spec, and leaves its inputs untouched', async () => {
      const inputs = () => JSON.stringify([[...coords], tasks.map((t) => [[...t.target], t.init.map((l) => [[...l.W], [...l.b]])])]);
      const before = inputs();
      const results = await backend.fit(tasks, options);
      assert.deepEqual(
        results.map((r) => r.id),
        tasks.map((t) => t.id),
      );
      const widths = sirenWidths(spec);
      for (const r of results) {
        assert.deepEqual(
          r.layers.map((l) => [l.inFeatures, l.outFeatures, l.W.length, l.b.length]),
          widths.slice(1).map((o, i) => [widths[i], o, o * widths[i]!, o]),
        );
      }
      assert.equal(inputs(), before);
    });

    test('without a target runs exactly `steps` updates and reports the PSNR of the returned weights', async () => {
      const results = await backend.fit(tasks, options);
      results.forEach((r, i) => {
        assert.equal(r.steps, options.steps);
        const independent = independentPsnr(tasks[i]!, r.layers);
        assert.ok(Math.abs(r.psnr - independent) < PSNR_TOLERANCE_DB, `${r.id}: reported ${r.psnr} dB, rendered ${independent} dB`);
        assert.ok(independent > independentPsnr(tasks[i]!, tasks[i]!.init), `${r.id}: fitting did not improve on the initial weights`);
      });
    });

    test('stops before updating as soon as the target PSNR is reached, on the same trajectory', async () => {
      const task = tasks[1]!;
      const [reference] = await backend.fit([task], { ...options, steps: 8 });
      const targetPsnr = reference!.psnr; // reached after 8 updates at the latest
      const [stopped] = await backend.fit([task], { ...options, steps: 30, targetPsnr });
      assert.ok(stopped!.steps <= 8, `stopped after ${stopped!.steps} updates`);
      assert.ok(stopped!.psnr >= targetPsnr);
      assert.ok(independentPsnr(task, stopped!.layers) >= targetPsnr - PSNR_TOLERANCE_DB);
      const [sameSteps] = await backend.fit([task], { ...options, steps: stopped!.steps });
      assert.equal(resultBits(stopped!), resultBits(sameSteps!));
      if (stopped!.steps > 0) {
        const [oneFewer] = await backend.fit([task], { ...options, steps: stopped!.steps - 1 });
        assert.ok(oneFewer!.psnr < targetPsnr, 'the target was already reached one update earlier');
      }
    });

    test('returns the initial weights untouched when they already reach the target', async () => {
      const task = tasks[2]!;
      const [result] = await backend.fit([task], { ...options, targetPsnr: independentPsnr(task, task.init) - 0.01 });
      assert.equal(result!.steps, 0);
      assert.equal(resultBits({ ...result!, psnr: 0 }), resultBits({ id: task.id, psnr: 0, steps: 0, layers: task.init }));
    });

    test('is deterministic and independent of how the tasks are split into calls', async () => {
      const all = await backend.fit(tasks, options);
      const again = await backend.fit(tasks, options);
      const split = [...(await backend.fit(tasks.slice(3), options)), ...(await backend.fit(tasks.slice(0, 3), options))];
      assert.deepEqual(again.map(resultBits), all.map(resultBits));
      assert.deepEqual(byId(split), byId(all));
    });

    test('delivers every result and progress as networks finish', async () => {
      const delivered: FitResult[] = [];
      const progress: FitProgress[] = [];
      const results = await backend.fit(tasks, options, { onResult: (r) => delivered.push(r), onProgress: (p) => progress.push(p) });
      assert.deepEqual(byId(delivered), byId(results));
      assert.deepEqual(
        progress.map((p) => [p.done, p.total]),
        tasks.map((_, i) => [i + 1, tasks.length]),
      );
      assert.equal(
        progress.at(-1)!.inrSteps,
        results.reduce((n, r) => n + r.steps, 0),
      );
      assert.ok(progress.every((p, i) => i === 0 || p.inrSteps >= progress[i - 1]!.inrSteps));
    });

    test('cancels with an AbortError; results delivered before stay valid and the backend stays usable', async () => {
      const expected = byId(await backend.fit(tasks, options));
      const controller = new AbortController();
      const delivered: FitResult[] = [];
      const fit = backend.fit(tasks, options, {
        signal: controller.signal,
        onResult: (r) => {
          delivered.push(r);
          controller.abort();
        },
      });
      await assert.rejects(fit, isAbortError);
      assert.ok(delivered.length >= 1 && delivered.length < tasks.length, `${delivered.length} results delivered`);
      for (const r of delivered) assert.equal(resultBits(r), expected.get(r.id));
      await assert.rejects(backend.fit(tasks, options, { signal: AbortSignal.abort() }), isAbortError);
      const [afterwards] = await backend.fit(tasks.slice(0, 1), options);
      assert.equal(resultBits(afterwards!), expected.get(tasks[0]!.id));
    });

    test('rejects inputs that do not fit the spec, naming the problem', async () => {
      await assert.rejects(backend.fit([{ ...tasks[0]!, target: new Float32Array(3) }], options), new RegExp(`task ${tasks[0]!.id}: target has 3 values`));
      await assert.rejects(backend.fit([{ ...tasks[0]!, init: tasks[0]!.init.slice(1) }], options), /initial layers/);
      await assert.rejects(backend.fit(tasks, { ...options, steps: 1.5 }), /steps must be a non-negative integer/);
    });
  });
}
