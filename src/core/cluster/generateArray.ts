/**
 * Everything before a generation job array is submitted, for `wslab slurm generate` and the extension
 * alike: open the images and plan the dataset (so bad options fail now rather than in every task),
 * choose the number of tasks (one per shard, at most 1,000, unless given), claim the output folder
 * (dataset.json: another run with other settings is refused there, as for `wslab generate`), and build
 * the script and the job record.
 */
import { datasetSettings, planFromSettings } from '../dataset/generate';
import { generateArgv, planOptions, type GenerationRequest } from '../dataset/generationRequest';
import { claimDatasetDir } from '../dataset/manifest';
import { openSource, sirenForSource } from '../dataset/openSource';
import { groupByShard } from '../dataset/plan';
import { checkTaskCount } from './arrayTasks';
import { defaultGenerateJobName, generateJobScript, generateLogPattern, generateScriptPath } from './generateJob';
import { JOB_RECORD_VERSION, type JobRecord } from './jobRecord';
import type { PreparedJob } from './preparedJob';
import { checkJobName, type WslabArrayOptions } from './sbatchScript';

/** Slurm arrays are limited by MaxArraySize (1001 by default). */
export const MAX_DEFAULT_TASKS = 1000;

export interface GenerateArrayOptions extends Omit<WslabArrayOptions, 'name'> {
  /** What every task generates (its dataset as the tasks will be given it, an absolute output folder); workers null: --cpus-per-task. */
  readonly request: GenerationRequest;
  /** Array tasks; default one per shard (at most MAX_DEFAULT_TASKS). */
  readonly tasks?: number;
  /** Job name; default wslab-gen-<output folder name>. */
  readonly name?: string;
  /** Where the script goes; default OUT/slurm/generate.sbatch. */
  readonly script?: string;
}

export interface PreparedGenerateArray extends PreparedJob {
  readonly shardCount: number;
}

export async function prepareGenerateArray(o: GenerateArrayOptions): Promise<PreparedGenerateArray> {
  const out = o.request.out;
  const name = o.name ?? defaultGenerateJobName(out);
  checkJobName(name);
  const source = await openSource(o.request.dataset);
  const settings = datasetSettings({ ...planOptions(o.request), source, spec: sirenForSource(source, o.request.hidden) });
  const shardCount = groupByShard(planFromSettings(settings)).length;
  const tasks = o.tasks ?? Math.min(shardCount, MAX_DEFAULT_TASKS);
  checkTaskCount(tasks, shardCount);

  await claimDatasetDir(out, settings);
  const generateArgs = generateArgv({ ...o.request, workers: o.request.workers ?? o.cpusPerTask });
  const script = generateJobScript({ ...o, out, generateArgs, name, tasks });
  const record: JobRecord = {
    version: JOB_RECORD_VERSION,
    kind: 'generate',
    jobId: null,
    name,
    tasks,
    out,
    script: o.script ?? generateScriptPath(out),
    log: generateLogPattern(out),
    submitted: null,
  };
  const perTask = Math.ceil(shardCount / tasks);
  const what = `${tasks} task(s) × ${o.cpusPerTask} CPU(s), ${shardCount.toLocaleString('en-US')} shard(s) (≤ ${perTask} per task)`;
  return { script, record, what, after: `, then wslab merge ${out}`, shardCount };
}
