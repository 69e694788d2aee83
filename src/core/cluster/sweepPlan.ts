/**
 * The plan of a training sweep: the cartesian product of `--grid key=v1,v2` axes (first axis slowest,
 * seeds fastest), one array task per point. Each point gets a readable run name, unique in the sweep,
 * and the `wslab train` arguments that select it (`--set key=value …`, `--name NAME`).
 */
import { ClusterError } from './errors';

export interface GridAxis {
  /** Dotted config key, e.g. `optimizer.lr`. */
  readonly key: string;
  readonly values: readonly string[];
}

export interface SweepPoint {
  readonly task: number;
  /** Run folder name: letters, digits, `.`, `_`, `-`. */
  readonly name: string;
  /** `key=value` settings, as `wslab train --set` takes them (the seed included when seeds are swept). */
  readonly settings: readonly string[];
}

/** `optimizer.lr=0.001,0.003` → { key: 'optimizer.lr', values: ['0.001', '0.003'] }. */
export function parseGridAxis(text: string): GridAxis {
  const eq = text.indexOf('=');
  const key = eq < 0 ? '' : text.slice(0, eq);
  const values =
    eq < 0
      ? []
      : text
          .slice(eq + 1)
          .split(',')
          .map((v) => v.trim());
  if (!/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(key) || values.some((v) => v === '')) {
    throw new ClusterError(`--grid ${text}: expected key=v1,v2,… with a dotted config key, e.g. optimizer.lr=0.001,0.003`);
  }
  if (new Set(values).size !== values.length) throw new ClusterError(`--grid ${text}: a value is given twice`);
  return { key, values };
}

/** The name part of one setting: `lr0.003` for a number, `kind-nfn-np` for a word. */
function namePart(key: string, value: string): string {
  const short = key.split('.').at(-1)!;
  return /^[-+.\d]/.test(value) ? `${short}${value}` : `${short}-${value}`;
}

export function sanitizeRunName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** Every point of the grid × seeds, in task order. Without seeds, each point runs the config's own seed. */
export function expandSweep(base: string, axes: readonly GridAxis[], seeds?: readonly number[]): SweepPoint[] {
  const keys = axes.map((a) => a.key);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice !== undefined) throw new ClusterError(`--grid ${twice} is given twice`);
  if (seeds && keys.includes('seed')) throw new ClusterError('give the seeds either with --seeds or with --grid seed=…, not both');
  if (seeds && new Set(seeds).size !== seeds.length) throw new ClusterError(`--seeds ${seeds.join(',')}: a seed is given twice`);
  let combos: [string, string][][] = [[]];
  for (const axis of axes) combos = combos.flatMap((c) => axis.values.map((v): [string, string][] => [...c, [axis.key, v]]));
  const withSeeds = seeds ? combos.flatMap((c) => seeds.map((s): [string, string][] => [...c, ['seed', String(s)]])) : combos;
  const names = withSeeds.map((c) => sanitizeRunName([base, ...c.map(([k, v]) => namePart(k, v))].join('-')));
  return withSeeds.map((c, task) => ({
    task,
    // Distinct values can sanitise to one name (a/b, a_b): then the task number tells them apart.
    name: names.indexOf(names[task]!) === names.lastIndexOf(names[task]!) ? names[task]! : `${names[task]}-t${task}`,
    settings: c.map(([k, v]) => `${k}=${v}`),
  }));
}

/** The `wslab train` arguments that select point `p` (besides --config, --runs, --resume). */
export function pointArgs(p: SweepPoint): string[] {
  return [...p.settings.flatMap((s) => ['--set', s]), '--name', p.name];
}
