/**
 * Everything the commands need, as one module: scripts/build.mjs bundles it into
 * dist/extension-commands.js, which extension.ts loads the first time a command runs or a weight file
 * opens — so activation compiles only the small main bundle (views, status bar, task plumbing).
 */
export { inspectWeightFileCommand } from './inspect';
export { generateDatasetCommand } from './generate';
export { newExperimentConfigCommand } from './newConfig';
export { trainExperimentCommand } from './train';
export { augmentDatasetCommand } from './augment';
export { previewAugmentationsCommand } from './preview';
export { compareRunsCommand } from './compare';
export { openStudyCommand, runStudyCommand } from './study';
export { cancelTaskCommand, resumeCommand, showLogCommand } from './tasks';
export { deleteItemCommand, openDatasetSampleCommand, refreshExperimentsCommand, revealInExplorerCommand } from './items';
export { cancelSlurmJobCommand, mergeSlurmDatasetCommand, showSlurmLogCommand, slurmJobStatus, submitToSlurmCommand } from './slurm';
export { resolveInspector } from '../inspectorEditor';
