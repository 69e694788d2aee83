/**
 * Everything the commands need, as one module: scripts/build.mjs bundles it into
 * dist/extension-commands.js, which extension.ts loads the first time a command runs or a weight file
 * opens — so activation compiles only the small main bundle (views, status bar, task plumbing).
 */
import type { CommandId } from '../commandIds';
import type { Lab } from '../lab';
import { inspectWeightFileCommand } from './inspect';
import { generateDatasetCommand } from './generate';
import { newExperimentConfigCommand } from './newConfig';
import { trainExperimentCommand } from './train';
import { augmentDatasetCommand } from './augment';
import { previewAugmentationsCommand } from './preview';
import { compareRunsCommand } from './compare';
import { openRunCommand } from './openRun';
import { evaluateRunCommand } from './evaluate';
import { openStudyCommand, runStudyCommand } from './study';
import { cancelTaskCommand, resumeCommand, showLogCommand } from './tasks';
import { deleteItemCommand, openDatasetSampleCommand, refreshExperimentsCommand, revealInExplorerCommand } from './items';
import { cancelSlurmJobCommand, mergeSlurmDatasetCommand, showSlurmLogCommand, submitToSlurmCommand } from './slurm';

export { slurmJobStatus } from './slurm';
export { InspectorDocument, resolveInspector } from '../panels/inspector/panel';

/** A command's handler: the Lab, then whatever VS Code passes (a tree node, a Uri, an options object). */
export type CommandHandler = (lab: Lab, ...args: never[]) => unknown;

/** One handler per contributed command id (the type checks that none is missing or extra). */
export const COMMAND_HANDLERS: Readonly<Record<CommandId, CommandHandler>> = {
  'weightSpaceLab.inspectWeightFile': inspectWeightFileCommand,
  'weightSpaceLab.generateDataset': generateDatasetCommand,
  'weightSpaceLab.newExperimentConfig': newExperimentConfigCommand,
  'weightSpaceLab.trainExperiment': trainExperimentCommand,
  'weightSpaceLab.augmentDataset': augmentDatasetCommand,
  'weightSpaceLab.previewAugmentations': previewAugmentationsCommand,
  'weightSpaceLab.compareRuns': compareRunsCommand,
  'weightSpaceLab.openRun': openRunCommand,
  'weightSpaceLab.evaluateRun': evaluateRunCommand,
  'weightSpaceLab.runStudy': runStudyCommand,
  'weightSpaceLab.openStudy': openStudyCommand,
  'weightSpaceLab.cancelTask': cancelTaskCommand,
  'weightSpaceLab.showLog': showLogCommand,
  'weightSpaceLab.resume': resumeCommand,
  'weightSpaceLab.openDatasetSample': openDatasetSampleCommand,
  'weightSpaceLab.revealInExplorer': revealInExplorerCommand,
  'weightSpaceLab.deleteItem': deleteItemCommand,
  'weightSpaceLab.refreshExperiments': refreshExperimentsCommand,
  'weightSpaceLab.submitToSlurm': submitToSlurmCommand,
  'weightSpaceLab.cancelSlurmJob': cancelSlurmJobCommand,
  'weightSpaceLab.showSlurmLog': showSlurmLogCommand,
  'weightSpaceLab.mergeSlurmDataset': mergeSlurmDatasetCommand,
};
