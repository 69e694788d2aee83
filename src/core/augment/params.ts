/**
 * Parameters of an augmentation: each a number with a default and an inclusive range (integers where
 * marked). Resolving fills in defaults and refuses unknown names and out-of-range values, with messages
 * that name the augmentation and the parameter.
 */
import { LabError } from '../labError';

export interface ParamSpec<K extends string = string> {
  readonly name: K;
  readonly description: string;
  readonly default: number;
  /** Inclusive bounds. */
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
}

/** Resolved parameter values, by name (K: an augmentation's parameter names). */
export type ParamValues<K extends string = string> = Readonly<Record<K, number>>;

/** A wrong augmentation name, parameter, value, or an input the augmentation cannot take. */
export class AugmentError extends LabError {
  override readonly name = 'AugmentError';
  constructor(message: string) {
    super('augment', message);
  }
}

export function describeRange(spec: ParamSpec): string {
  return `${spec.integer ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}]`;
}

/** Checks one value against its spec; returns the problem, or undefined when it is valid. */
export function paramProblem(spec: ParamSpec, value: number): string | undefined {
  if (!Number.isFinite(value) || value < spec.min || value > spec.max || (spec.integer && !Number.isInteger(value))) {
    return `must be ${describeRange(spec)}, got ${value}`;
  }
  return undefined;
}

/** Defaults plus `given`, checked. `owner` names the augmentation in messages. */
export function resolveParams(owner: string, specs: readonly ParamSpec[], given: Readonly<Record<string, number>> = {}): ParamValues {
  const values: Record<string, number> = {};
  for (const key of Object.keys(given)) {
    if (!specs.some((s) => s.name === key)) {
      const known = specs.length > 0 ? specs.map((s) => s.name).join(', ') : 'none';
      throw new AugmentError(`${owner} has no parameter "${key}" (parameters: ${known})`);
    }
  }
  for (const spec of specs) {
    const value = given[spec.name] ?? spec.default;
    const problem = paramProblem(spec, value);
    if (problem) throw new AugmentError(`${owner}:${spec.name} ${problem}`);
    values[spec.name] = value;
  }
  return values;
}

/** Refuses bounds in the wrong order (the bounds of a drawn value, e.g. α of MixUp). */
export function checkOrdered<K extends string>(owner: string, values: ParamValues<K>, lo: K, hi: K): void {
  if (values[lo] > values[hi]) throw new AugmentError(`${owner}: ${lo} (${values[lo]}) must not exceed ${hi} (${values[hi]})`);
}
