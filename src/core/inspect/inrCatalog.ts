/**
 * Finds the INRs of a weight file from its header alone: the MLP families `mlpView` recognises whose
 * first layer takes 2 inputs (an image's (x, y)), or 3 inputs with 1 output (a signed distance in 3-D). A file is one INR when it has one such family, and a
 * dataset shard when every family is `<id>/…` (then the ids name the INRs). Shapes are checked on
 * stand-in tensors of the right size, so nothing of the file's data is read; tensors too big for an
 * INR layer get an empty stand-in and make their family fail the check instead.
 */
import type { TensorInfo } from '../formats/format';
import { elementCount } from '../tensor/dtype';
import { mlpFamilies, mlpView } from '../weights/mlp';
import { WeightSet } from '../weights/weightSet';
import type { InrCatalog } from './reportTypes';

/** Layers with more values than this are not INR layers (the largest SIRENs in use have ~10⁵ per layer). */
const MAX_INR_LAYER_VALUES = 1 << 20;

/** The catalog, or null when the file holds no MLP with 2-D input or 3-D input and one output. */
export function inrCatalog(tensors: readonly TensorInfo[]): InrCatalog | null {
  const standIns = standInSet(tensors);
  const families = mlpFamilies(standIns);
  const inrs: { family: string; widths: readonly number[] }[] = [];
  for (const family of families) {
    try {
      const view = mlpView(standIns, family);
      const { widths } = view;
      const isInr = widths[0] === 2 || (widths[0] === 3 && widths[widths.length - 1] === 1);
      if (isInr && view.layers.length >= 2) inrs.push({ family, widths });
    } catch {
      // Not an MLP (e.g. a convolution's 4-D weights named like a layer): not an INR either.
    }
  }
  if (inrs.length === 0) return null;
  const ids = inrs.map((i) => shardId(i.family));
  const isShard = inrs.length > 1 && ids.every((id) => id !== undefined);
  return {
    kind: isShard ? 'shard' : 'single',
    names: isShard ? (ids as string[]) : inrs.map((i) => i.family),
    families: inrs.map((i) => i.family),
    widths: inrs[0]!.widths,
  };
}

/**
 * The tensors as zero-filled stand-ins with their shapes (an empty one for tensors too big for an INR
 * layer): enough for `mlpView` to check a family's shapes and name its layers' tensors.
 */
export function standInSet(tensors: readonly TensorInfo[]): WeightSet {
  return new WeightSet(
    tensors.map((t) => {
      const n = elementCount(t.shape);
      const fits = n <= MAX_INR_LAYER_VALUES;
      return { name: t.name, dtype: t.dtype, shape: fits ? [...t.shape] : [0], data: new Float32Array(fits ? n : 0) };
    }),
  );
}

/** `img409-v0/seq.{i}` → 'img409-v0'; undefined for a family without an `<id>/` prefix. */
function shardId(family: string): string | undefined {
  const slash = family.indexOf('/');
  return slash > 0 ? family.slice(0, slash) : undefined;
}
