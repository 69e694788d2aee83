/**
 * "Weight Space Lab: Evaluate Run…": a run's best (or last) checkpoint on a split of its dataset, in a
 * worker (what `wslab eval RUN` prints); the finished task's message gives accuracy, loss and count.
 * Arguments: a run folder (absolute or workspace-relative), a tree node of a run, its Uri,
 * `{ run, split?, checkpoint? }` (no picks), or nothing (pick the run, then the split and checkpoint).
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { RUN_FILES } from '../../core/train/runFolder';
import type { EvalJob } from '../../protocol/worker';
import type { Lab } from '../lab';
import type { TaskInfo } from '../tasks/taskManager';
import { refuseWhenUntrusted, type Refusal } from '../trust';
import { UserError } from '../userError';
import { optionsOf, pathOfArgument, pick } from './common';
import { chooseRunFolder } from './runChoices';

export interface EvaluateArgs {
  /** The run folder (absolute or workspace-relative). */
  readonly run: string;
  readonly split?: EvalJob['split'];
  readonly checkpoint?: EvalJob['checkpoint'];
}

const TITLE = 'Evaluate Run';

export async function evaluateRunCommand(lab: Lab, arg?: unknown): Promise<TaskInfo | Refusal | undefined> {
  const refusal = refuseWhenUntrusted('Evaluating a run');
  if (refusal) return refusal;
  const root = lab.requireRoot();
  const given = optionsOf<EvaluateArgs>(arg, 'run');
  const runDir = await chooseRunFolder(lab, root, given?.run ?? pathOfArgument(arg), TITLE, 'evaluate');
  if (runDir === undefined) return undefined;
  const available = (['best', 'last'] as const).filter((c) => existsSync(join(runDir, RUN_FILES[c])));
  if (available.length === 0) throw new UserError(`${basename(runDir)} has no checkpoint yet: one is written after its first epoch.`);
  const split =
    given?.split ??
    (await pick(`${TITLE} (1/2)`, 'On which split of its dataset?', [
      { label: 'test', description: 'the held-out split, for reporting', value: 'test' as const },
      { label: 'val', description: 'the split that chose the best epoch', value: 'val' as const },
      { label: 'train', value: 'train' as const },
    ]));
  if (split === undefined) return undefined;
  const checkpoint =
    given?.checkpoint ??
    (available.length === 1
      ? available[0]
      : await pick(`${TITLE} (2/2)`, 'Which checkpoint?', [
          { label: 'best', description: 'best.safetensors: the epoch with the best validation accuracy', value: 'best' as const },
          { label: 'last', description: 'last.safetensors: the last finished epoch', value: 'last' as const },
        ]));
  if (checkpoint === undefined) return undefined;
  if (!available.includes(checkpoint)) throw new UserError(`${basename(runDir)} has no ${RUN_FILES[checkpoint]}`);
  return lab.startTask({
    title: `Evaluate ${basename(runDir)} (${checkpoint}, ${split})`,
    job: { kind: 'eval', runDir, split, checkpoint },
    target: undefined,
  });
}
