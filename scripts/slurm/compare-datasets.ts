/**
 * node --import tsx scripts/slurm/compare-datasets.ts A B — exits 0 when two INR datasets are the same:
 * equal settings, the same items in the same order (ids, labels, splits, seeds, shards, PSNR, steps),
 * bit-identical weights for every INR, and byte-identical files. Prints what differs otherwise.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest, firstDifference, shardPath, SHARDS_DIR } from '../../src/core/dataset/manifest';
import { readShardItem } from '../../src/core/dataset/shard';

async function compare(a: string, b: string): Promise<string[]> {
  const [ma, mb] = [await readManifest(a), await readManifest(b)];
  const problems: string[] = [];
  if (!ma.complete || !mb.complete) problems.push(`not complete: ${a} ${ma.complete}, ${b} ${mb.complete}`);
  const ids = (m: typeof ma) => m.items.map((i) => i.id).join(',');
  if (ids(ma) !== ids(mb)) problems.push('the items differ (ids or order)');
  const labels = (m: typeof ma) => m.items.map((i) => `${i.id}:${i.label}:${i.split}`).join(',');
  if (labels(ma) !== labels(mb)) problems.push('labels or splits differ');
  const difference = firstDifference(JSON.parse(JSON.stringify(ma)), JSON.parse(JSON.stringify(mb)));
  if (difference) problems.push(`manifests differ at ${difference}`);
  if (problems.length > 0) return problems;

  let tensors = 0;
  for (const item of ma.items) {
    const [wa, wb] = [await readShardItem(shardPath(a, item.shard), item.id), await readShardItem(shardPath(b, item.shard), item.id)];
    for (const ta of wa.tensors) {
      const tb = wb.tensors.find((t) => t.name === ta.name);
      const bytes = (t: typeof ta) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      if (!tb || ta.dtype !== tb.dtype || !bytes(ta).equals(bytes(tb))) problems.push(`${item.id}/${ta.name}: weights differ`);
      tensors++;
    }
    if (wa.tensors.length !== wb.tensors.length) problems.push(`${item.id}: ${wa.tensors.length} vs ${wb.tensors.length} tensors`);
  }
  const files = (dir: string) => [
    'dataset.json',
    'manifest.json',
    ...readdirSync(join(dir, SHARDS_DIR))
      .filter((f) => !f.startsWith('.'))
      .sort()
      .map((f) => join(SHARDS_DIR, f)),
  ];
  if (files(a).join() !== files(b).join()) problems.push(`different files: ${files(a).join(' ')} vs ${files(b).join(' ')}`);
  else for (const f of files(a)) if (!readFileSync(join(a, f)).equals(readFileSync(join(b, f)))) problems.push(`${f}: bytes differ`);
  if (problems.length === 0)
    console.log(`same dataset: ${ma.items.length} INRs (same ids, labels, splits), ${tensors} tensors bit-identical, ${files(a).length} files byte-identical`);
  return problems;
}

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: compare-datasets.ts DATASET_A DATASET_B');
  process.exit(2);
}
compare(a, b).then(
  (problems) => {
    if (problems.length > 0) {
      console.error(`${a} and ${b} differ:\n  ${problems.slice(0, 20).join('\n  ')}`);
      process.exit(1);
    }
  },
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
