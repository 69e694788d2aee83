/**
 * Measures the inspector on a large file (not part of the test suite; run by hand):
 *   node --import tsx test/inspect/largeFile.measure.ts [GiB] [tensors]
 * writes a safetensors file of square F32 matrices (default 16, 1 GiB in all) to the temp folder, then measures
 * what the extension host does — reading the header for the table — and what the worker thread does —
 * statistics of every tensor, one tensor's histogram/heatmap/norms — with the host's event-loop delay and
 * the process's peak RSS (host and worker share the process) meanwhile. Deletes the file at the end.
 */
import { createWriteStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';
import { inspectHeader } from '../../src/core/inspect/header';
import { openWeightFile } from '../../src/core/formats/registry';
import { InspectWorkerClient } from '../../src/extension/panels/inspector/workerClient';

const gib = Number(process.argv[2] ?? 1);
const TENSORS = Number(process.argv[3] ?? 16);
const side = Math.round(Math.sqrt((gib * 2 ** 30) / 4 / TENSORS));
const file = join(tmpdir(), `wslab-inspect-large-${process.pid}.safetensors`);

async function writeLarge(): Promise<void> {
  const header: Record<string, unknown> = { __metadata__: { note: 'inspector measurement' } };
  const bytes = side * side * 4;
  for (let i = 0; i < TENSORS; i++) header[`layers.${i}.weight`] = { dtype: 'F32', shape: [side, side], data_offsets: [i * bytes, (i + 1) * bytes] };
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const out = createWriteStream(file);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  out.write(length);
  out.write(json);
  const chunk = new Float32Array(side * 1024);
  let seed = 1;
  for (let t = 0; t < TENSORS; t++) {
    for (let row = 0; row < side; row += 1024) {
      const rows = Math.min(1024, side - row);
      for (let k = 0; k < rows * side; k++) {
        seed = (seed * 1664525 + 1013904223) >>> 0;
        chunk[k] = (seed / 2 ** 32 - 0.5) * 0.1;
      }
      if (!out.write(Buffer.from(chunk.buffer, 0, rows * side * 4))) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  }
  out.end();
  await finished(out);
}

const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<void> {
  await writeLarge();
  try {
    const rssStart = process.memoryUsage().rss;
    let peak = rssStart;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

    const t0 = performance.now();
    const reader = await openWeightFile(file);
    const header = inspectHeader(reader);
    await reader.close();
    const headerMs = performance.now() - t0;
    console.log(`file: ${TENSORS} × [${side}, ${side}] F32 = ${mib(TENSORS * side * side * 4)}`);
    console.log(`header (what the table needs): ${headerMs.toFixed(1)} ms, ${header.tensors.length} tensors`);

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const elu = performance.eventLoopUtilization();
    // The built worker bundle, as the extension runs it (build first).
    const client = new InspectWorkerClient(file, join(__dirname, '..', '..', 'dist', 'inspect-worker.js'));
    const t1 = performance.now();
    let firstStats = 0;
    for (const t of header.tensors) {
      await client.request('stats', { name: t.name });
      firstStats ||= performance.now() - t1;
    }
    const statsMs = performance.now() - t1;
    const t2 = performance.now();
    await client.request('values', { name: header.tensors[0]!.name, bins: 64 });
    const valuesMs = performance.now() - t2;
    delay.disable();
    const busy = performance.eventLoopUtilization(elu);
    client.dispose();
    clearInterval(sampler);
    console.log(
      `worker: first tensor's statistics ${firstStats.toFixed(0)} ms, all ${TENSORS} ${(statsMs / 1000).toFixed(1)} s; histogram+heatmap+norms of one tensor ${valuesMs.toFixed(0)} ms`,
    );
    console.log(
      `host event loop meanwhile: busy ${(busy.utilization * 100).toFixed(2)}% of ${(busy.idle / 1000 + busy.active / 1000).toFixed(1)} s; ` +
        `max delay ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms (a loaded machine adds scheduling delay)`,
    );
    console.log(`RSS (host + worker): ${mib(rssStart)} before, peak ${mib(peak)}`);
  } finally {
    rmSync(file, { force: true });
  }
}

void main();
