/**
 * The message a finished task leaves: its result in one line and the natural next steps as buttons —
 * a dataset: preview its augmentations, write a config for it, look at one INR; a run: open it, compare
 * runs; an evaluation: its accuracy, then open the run; an augmented dataset: preview, write a config; a study: open its view. Pure, so it is tested
 * without VS Code (taskUi.ts shows it).
 */
import { basename } from 'node:path';
import type { NextStep } from '../nextStep';
import type { TaskInfo } from './taskManager';

const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(2)}%`);

export function doneMessage(task: Pick<TaskInfo, 'title' | 'job' | 'result'>): { readonly text: string; readonly next: readonly NextStep[] } {
  const r = task.result;
  switch (r?.kind) {
    case 'generate':
    case 'augment': {
      const partial = r.kind === 'generate' && !r.complete;
      const text = `${task.title}: ${r.items} ${r.kind === 'augment' ? 'augmented ' : ''}INRs${partial ? ' (partial)' : ''} in ${basename(r.out)}.`;
      return {
        text,
        next: [
          { label: 'Preview Augmentations', command: 'weightSpaceLab.previewAugmentations', args: [{ dataset: r.out }] },
          { label: 'New Experiment Config…', command: 'weightSpaceLab.newExperimentConfig', args: [r.out] },
          { label: 'Open an INR', command: 'weightSpaceLab.openDatasetSample', args: [r.out] },
        ],
      };
    }
    case 'train':
      return {
        text: `${task.title}: best val ${pct(r.bestValAccuracy)}${r.bestEpoch !== null ? ` (epoch ${r.bestEpoch})` : ''}, test at best val ${pct(r.testAccuracyAtBest)}.`,
        next: [
          { label: 'Open Run', command: 'weightSpaceLab.openRun', args: [r.runDir] },
          { label: 'Compare Runs…', command: 'weightSpaceLab.compareRuns' },
        ],
      };
    case 'eval':
      return {
        text: `${task.title}: ${r.split} accuracy ${pct(r.accuracy)}, loss ${r.loss.toFixed(4)} over ${r.count} INRs.`,
        next: [{ label: 'Open Run', command: 'weightSpaceLab.openRun', args: [r.runDir] }],
      };
    case 'study':
      return {
        text: `${task.title}: ${r.runsFinished}/${r.runsTotal} runs finished.`,
        next: task.job.kind === 'study' ? [{ label: 'Open Study View', command: 'weightSpaceLab.openStudy', args: [{ file: task.job.file }] }] : [],
      };
    default:
      return { text: `${task.title}: done.`, next: [] };
  }
}
