/**
 * Names the extension picks so a researcher never has to type one: dataset folders ("mnist-1000",
 * "mnist-1000-2v"), config files, run folders — each made unique against what exists ("-2", "-3", …) —
 * and the shard size of a generation. Pure functions.
 */

/** `base`, or `base-2`, `base-3`, … : the first for which `exists` is false. */
export function uniqueName(base: string, exists: (name: string) => boolean): string {
  if (!exists(base)) return base;
  for (let i = 2; ; i++) {
    const name = `${base}-${i}`;
    if (!exists(name)) return name;
  }
}

/** A folder-friendly name: letters, digits, ".", "_" and "-" only. */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'dataset';
}

/** "mnist-1000", "fashion-mnist-all-2v", "photos-256-300s" (steps when not the default). */
export function datasetFolderName(o: { source: string; limit: number | null; views: number; steps: number; defaultSteps: number }): string {
  const parts = [slug(o.source), o.limit === null ? 'all' : String(o.limit)];
  if (o.views > 1) parts.push(`${o.views}v`);
  if (o.steps !== o.defaultSteps) parts.push(`${o.steps}s`);
  return parts.join('-');
}

/**
 * INRs per shard: small shards for small datasets, so a cancelled or crashed generation keeps most of
 * its work (a shard is the unit that is written, and kept); the CLI's 256 for large ones.
 */
export function shardSizeFor(total: number): number {
  return total <= 256 ? 16 : total <= 2048 ? 64 : 256;
}

/** "translate+siren-negation" → "translate-siren-negation", shortened for a folder name. */
export function chainSlug(chain: string): string {
  return slug(chain.replace(/:[^+]*/g, '').replace(/\+/g, '-')).slice(0, 40);
}
