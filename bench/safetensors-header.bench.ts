/**
 * Listing the tensors of a 1 GiB safetensors file must not read its data (target: < 300 ms).
 * Measures `openWeightFile` + listing (header only) against the naive baseline in the same run —
 * reading the whole file into memory and parsing the same header — and prints both and their ratio.
 * The file is made sparse with truncate, so building it is quick and the data reads as zeros.
 *
 *   npm run bench:header [-- --size-mib 1024 --tensors 4096 --repeats 7]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openWeightFile } from '../src/core/formats/registry';
import { safetensorsFormat } from '../src/core/formats/safetensors';
import { MemoryByteSource } from '../src/core/io/byteSource';

const { values } = parseArgs({
  options: { 'size-mib': { type: 'string', default: '1024' }, tensors: { type: 'string', default: '4096' }, repeats: { type: 'string', default: '7' } },
});
const sizeBytes = Number(values['size-mib']) * 2 ** 20;
const tensorCount = Number(values.tensors);
const repeats = Number(values.repeats);

async function makeFile(path: string): Promise<void> {
  const perTensor = Math.floor(sizeBytes / tensorCount / 4) * 4;
  const header: Record<string, unknown> = { __metadata__: { made: 'bench' } };
  for (let i = 0; i < tensorCount; i++) {
    header[`layers.${i}.weight`] = { dtype: 'F32', shape: [perTensor / 4], data_offsets: [i * perTensor, (i + 1) * perTensor] };
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.byteLength));
  const handle = await open(path, 'w');
  await handle.write(length);
  await handle.write(json);
  await handle.truncate(8 + json.byteLength + perTensor * tensorCount);
  await handle.close();
}

async function headerOnly(path: string): Promise<number> {
  const reader = await openWeightFile(path);
  const n = reader.tensors.length;
  await reader.close();
  return n;
}

async function wholeFile(path: string): Promise<number> {
  const bytes = await readFile(path);
  const reader = await safetensorsFormat.open(new MemoryByteSource(bytes, path));
  return reader.tensors.length;
}

async function time(fn: () => Promise<number>): Promise<number> {
  const start = process.hrtime.bigint();
  const n = await fn();
  if (n !== tensorCount) throw new Error(`listed ${n} tensors, expected ${tensorCount}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wslab-bench-'));
  const path = join(dir, 'big.safetensors');
  try {
    await makeFile(path);
    const ours: number[] = [];
    const naive: number[] = [];
    for (let r = 0; r < repeats; r++) {
      // Interleaved so both see the same machine noise and page-cache state.
      ours.push(await time(() => headerOnly(path)));
      naive.push(await time(() => wholeFile(path)));
    }
    const [a, b] = [median(ours), median(naive)];
    console.log(`file: ${(sizeBytes / 2 ** 30).toFixed(2)} GiB, ${tensorCount} tensors, ${repeats} interleaved repeats (median)`);
    console.log(`list tensors, header only (ours)      ${a.toFixed(1)} ms`);
    console.log(`read whole file + parse (baseline)    ${b.toFixed(1)} ms`);
    console.log(`speed-up                              ${(b / a).toFixed(1)}x`);
    console.log(`target < 300 ms: ${a < 300 ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
