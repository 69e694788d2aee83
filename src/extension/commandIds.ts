/**
 * The extension's commands: the ids package.json contributes (test/extension/activation.test.ts checks
 * that activate() registers exactly these), known to the main bundle without loading the commands' bundle,
 * whose COMMAND_HANDLERS (commands/index.ts) must have one handler per id.
 */
export const COMMAND_IDS = [
  'weightSpaceLab.inspectWeightFile',
  'weightSpaceLab.generateDataset',
  'weightSpaceLab.newExperimentConfig',
  'weightSpaceLab.trainExperiment',
  'weightSpaceLab.augmentDataset',
  'weightSpaceLab.previewAugmentations',
  'weightSpaceLab.compareRuns',
  'weightSpaceLab.openRun',
  'weightSpaceLab.evaluateRun',
  'weightSpaceLab.runStudy',
  'weightSpaceLab.openStudy',
  'weightSpaceLab.cancelTask',
  'weightSpaceLab.showLog',
  'weightSpaceLab.resume',
  'weightSpaceLab.openDatasetSample',
  'weightSpaceLab.revealInExplorer',
  'weightSpaceLab.deleteItem',
  'weightSpaceLab.refreshExperiments',
  'weightSpaceLab.submitToSlurm',
  'weightSpaceLab.cancelSlurmJob',
  'weightSpaceLab.showSlurmLog',
  'weightSpaceLab.mergeSlurmDataset',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
