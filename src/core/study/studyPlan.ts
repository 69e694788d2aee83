/**
 * The runs of a study: every curve (condition × model × axis values, first listed slowest) at every
 * training-set size, for every seed. Each run is the base experiment with a few keys set on top
 * (trainLimit, seed, augment, model, the axes' keys) and a readable name, unique in the study:
 * `<condition>[-<model>][-<axis parts>]-n<size>-seed<S>`. Every run's config is validated up front, so a
 * bad key fails the study before anything trains, naming the run.
 */
import { sanitizeRunName } from '../cluster/sweepPlan';
import { ConfigError, resolveConfig, setKey, type ExperimentConfig } from '../train/experimentConfig';
import { StudyError, type StudyConfig } from './studyConfig';

/** One curve of the study: the runs that differ only in size and seed. */
export interface StudySeries {
  /** Unique in the study; also the run names' prefix. */
  readonly key: string;
  /** For legends: `none`, `mixup · gnn · epochs 40`. */
  readonly label: string;
  readonly condition: string | null;
  readonly model: string | null;
  /** Axis key → value. */
  readonly axes: Readonly<Record<string, unknown>>;
  /** The curves that differ from this one only in the condition share a group: data-equivalents compare within it. */
  readonly group: string;
  readonly settings: readonly (readonly [string, unknown])[];
}

export interface StudyRun {
  readonly name: string;
  readonly series: string;
  readonly size: number;
  readonly seed: number;
  /** Keys set on the base experiment, in order: [dotted key, value]. */
  readonly settings: readonly (readonly [string, unknown])[];
}

export interface StudyPlan {
  readonly series: readonly StudySeries[];
  readonly runs: readonly StudyRun[];
}

const valueText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** `optimizer.epochs` = 40 → `epochs40`; a word value → `kind-gnn`. */
function namePart(key: string, value: unknown): string {
  const short = key.split('.').at(-1)!;
  const text = valueText(value);
  return /^[-+.\d]/.test(text) ? `${short}${text}` : `${short}-${text}`;
}

export function planStudy(study: StudyConfig): StudyPlan {
  type Choice = { part: string | null; label: string | null; settings: [string, unknown][] };
  const conditions: { name: string | null; choice: Choice }[] = study.conditions
    ? study.conditions.map((c) => ({ name: c.name, choice: { part: c.name, label: c.name, settings: [['augment', c.augment]] } }))
    : [{ name: null, choice: { part: null, label: null, settings: [] } }];
  const models: { name: string | null; choice: Choice }[] = study.models
    ? study.models.map((m) => ({ name: m.name, choice: { part: m.name, label: m.name, settings: [['model', m.model]] } }))
    : [{ name: null, choice: { part: null, label: null, settings: [] } }];
  let axisCombos: { values: Record<string, unknown>; choice: Choice }[] = [{ values: {}, choice: { part: null, label: null, settings: [] } }];
  for (const axis of study.axes) {
    axisCombos = axisCombos.flatMap((combo) =>
      axis.values.map((value) => ({
        values: { ...combo.values, [axis.key]: value },
        choice: {
          part: [combo.choice.part, namePart(axis.key, value)].filter(Boolean).join('-'),
          label: [combo.choice.label, `${axis.key.split('.').at(-1)} ${valueText(value)}`].filter(Boolean).join(' · '),
          settings: [...combo.choice.settings, [axis.key, value] as [string, unknown]],
        },
      })),
    );
  }

  const series: StudySeries[] = [];
  for (const condition of conditions) {
    for (const model of models) {
      for (const combo of axisCombos) {
        const parts = [condition.choice, model.choice, combo.choice];
        const groupKey = [model.choice.part, combo.choice.part].filter(Boolean).join('-') || 'all';
        series.push({
          key: sanitizeRunName(
            parts
              .map((c) => c.part)
              .filter(Boolean)
              .join('-') || study.name,
          ),
          label:
            parts
              .map((c) => c.label)
              .filter(Boolean)
              .join(' · ') || study.name,
          condition: condition.name,
          model: model.name,
          axes: combo.values,
          group: groupKey,
          settings: parts.flatMap((c) => c.settings),
        });
      }
    }
  }
  const keys = series.map((s) => s.key);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice !== undefined)
    throw new StudyError(
      `${study.file}: two curves would share the run names "${twice}-…": give conditions, models and axis values names that differ after replacing characters other than letters, digits, . _ -`,
    );

  const runs: StudyRun[] = [];
  for (const s of series) {
    for (const size of study.sizes) {
      for (const seed of study.seeds) {
        const name = `${s.key}-n${size}-seed${seed}`;
        runs.push({ name, series: s.key, size, seed, settings: [...s.settings, ['trainLimit', size], ['seed', seed]] });
      }
    }
  }
  return { series, runs };
}

/** A run's keys as `wslab train --set` takes them: `key=<JSON value>`. */
export function runSettings(run: StudyRun): string[] {
  return run.settings.map(([key, value]) => `${key}=${JSON.stringify(value)}`);
}

/** The experiment config (JSON) of one run: the base with the run's keys set, named after the run. */
export function runExperiment(study: StudyConfig, run: StudyRun): Record<string, unknown> {
  const raw = structuredClone(study.base) as Record<string, unknown>;
  for (const [key, value] of run.settings) setKey(raw, key, structuredClone(value));
  raw.name = run.name;
  return raw;
}

/** Every run's config, checked against the experiment schema; the first bad one fails, naming the run. */
export function validatePlan(study: StudyConfig, plan: StudyPlan): Map<string, ExperimentConfig> {
  const configs = new Map<string, ExperimentConfig>();
  for (const run of plan.runs) {
    try {
      configs.set(run.name, resolveConfig(runExperiment(study, run), study.baseFile));
    } catch (e) {
      if (e instanceof ConfigError) throw new StudyError(`${study.file}: run ${run.name}: ${e.message}`);
      throw e;
    }
  }
  return configs;
}
