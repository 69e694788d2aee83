/**
 * Soft labels ("targets"): a probability vector over the C classes of a dataset, one-hot for a hard
 * label. Any number of classes; C comes from the vector's length, never from a constant.
 */
import { AugmentError } from './params';

export function oneHot(label: number, classes: number): number[] {
  if (!Number.isInteger(classes) || classes < 1) throw new AugmentError(`the number of classes must be a positive integer, got ${classes}`);
  if (!Number.isInteger(label) || label < 0 || label >= classes) throw new AugmentError(`label ${label} is outside 0…${classes - 1}`);
  return Array.from({ length: classes }, (_, c) => (c === label ? 1 : 0));
}

/** α·a + (1−α)·b; undefined when either is missing. */
export function mixTargets(a: readonly number[] | undefined, b: readonly number[] | undefined, alpha: number): number[] | undefined {
  if (!a || !b) return undefined;
  if (a.length !== b.length) throw new AugmentError(`cannot mix labels over ${a.length} and ${b.length} classes`);
  return a.map((v, c) => alpha * v + (1 - alpha) * b[c]!);
}

/** (1−ε)·target + ε/C. */
export function smoothTarget(target: readonly number[], epsilon: number): number[] {
  return target.map((v) => (1 - epsilon) * v + epsilon / target.length);
}

/** The most likely class (the first on ties). */
export function hardLabel(target: readonly number[]): number {
  let best = 0;
  for (let c = 1; c < target.length; c++) if (target[c]! > target[best]!) best = c;
  return best;
}

/** True when the target is exactly one-hot. */
export function isOneHot(target: readonly number[]): boolean {
  return target.every((v) => v === 0 || v === 1) && target.filter((v) => v === 1).length === 1;
}
