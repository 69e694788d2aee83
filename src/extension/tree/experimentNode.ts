/** An item of the Experiments tree as pure data (experimentModel.ts builds them, experimentTreeProvider.ts shows them). */

export type NodeKind = 'group' | 'config' | 'dataset' | 'runGroup' | 'run' | 'study' | 'hint' | 'slurmJob' | 'slurmTask';

/** A codicon and, optionally, the theme colour to draw it in. */
export interface NodeIcon {
  readonly id: string;
  readonly color?: string;
}

export interface ExperimentNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon: NodeIcon;
  /** For menus' `viewItem` clauses: "config", "dataset.complete", "run.done", … */
  readonly contextValue: string;
  /** The file or folder the node stands for. */
  readonly path?: string;
  /** The file a click opens. */
  readonly open?: string;
  /** A command a click runs: bare for a hint, with the node as its argument otherwise (a run, a study). */
  readonly command?: string;
  readonly children?: readonly ExperimentNode[];
  readonly expanded?: boolean;
}
