/**
 * The parts of a run view (the comparison panel on one run, "Open Run") that a comparison lacks: above
 * the charts, the run's state, epochs and buttons — Compare with…, Resume (only when the host says the run
 * can be resumed: failed, cancelled or interrupted), Open best / last checkpoint (only those that exist);
 * under the tables, its key hyper-parameters with the whole config.json, read-only, in a <details>. Each
 * button posts one notice; the host checks it against the run's files and runs the command. Config text
 * is untrusted: it goes in through textContent only.
 */
import type { CompareToHost, FlatValue, RunViewWire } from '../../src/protocol/compare';
import { clear, el } from '../shared/dom';
import { errorBox } from '../shared/errorBox';
import { actionButton } from '../shared/controls/button';
import { configCell, keyHyperParameters } from './tables';

const STATE_TEXT: Record<RunViewWire['state'], string> = {
  running: 'running',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted (its process is gone)',
  unknown: 'unknown (no status file)',
};

export class RunViewParts {
  /** State and buttons, above the toolbar. */
  readonly header = el('section', 'run-view');
  /** Key hyper-parameters and the whole config, under the tables. */
  readonly config = el('section', 'run-config');
  private configOpen = false;

  constructor(private readonly post: (message: CompareToHost) => void) {}

  /** Shows the run as the host last described it; `flat` is its config as the runs message flattened it. */
  show(run: RunViewWire, flat: Readonly<Record<string, FlatValue>>): void {
    this.renderHeader(run);
    this.renderConfig(run, flat);
  }

  private renderHeader(run: RunViewWire): void {
    clear(this.header);
    const title = el('h1', 'run-title', run.name);
    const facts = el('p', 'run-facts');
    const state = el('span', `state state-${run.state}`, STATE_TEXT[run.state]);
    state.dataset.state = run.state;
    facts.append(state);
    if (run.epochs !== null || run.epochsDone !== null)
      facts.append(el('span', 'run-epochs', `epoch ${run.epochsDone ?? 0}${run.epochs !== null ? ` of ${run.epochs}` : ''}`));
    if (run.reason) facts.append(el('span', 'reason', run.reason));
    const actions = el('div', 'run-actions');
    actions.setAttribute('role', 'toolbar');
    const compare = actionButton('compare-with', 'Compare with…', () => this.post({ type: 'compareWith' }), true);
    compare.title = 'Pick runs to compare this one with';
    actions.append(compare);
    if (run.resumable) {
      const resume = actionButton('resume-run', 'Resume', () => this.post({ type: 'resumeRun' }));
      resume.title = 'Train on from the last finished epoch';
      actions.append(resume);
    }
    for (const [which, text, tip] of [
      ['best', 'Open best checkpoint', 'best.safetensors (the model at the best validation accuracy) in the inspector'],
      ['last', 'Open last checkpoint', 'last.safetensors (the last finished epoch, with the optimizer state) in the inspector'],
    ] as const) {
      if (!run.checkpoints[which]) continue;
      const b = actionButton(`open-checkpoint open-${which}`, text, () => this.post({ type: 'openCheckpoint', checkpoint: which }), true);
      b.title = tip;
      actions.append(b);
    }
    if (run.checkpoints.best || run.checkpoints.last) {
      const evaluate = actionButton('evaluate-run', 'Evaluate…', () => this.post({ type: 'evaluateRun' }), true);
      evaluate.title = 'Accuracy and loss of a checkpoint on a split of the dataset (wslab eval), in the background';
      actions.append(evaluate);
    } else actions.append(el('span', 'note no-checkpoint', 'No checkpoint yet (one is written after each epoch).'));
    this.header.append(title, facts, actions);
  }

  private renderConfig(run: RunViewWire, flat: Readonly<Record<string, FlatValue>>): void {
    clear(this.config);
    this.config.append(el('h2', undefined, 'Config'));
    if (run.config === null) {
      if (run.configError) this.config.append(errorBox(run.configError, 'Cannot read the config'));
      return;
    }
    const rows = keyHyperParameters(flat);
    if (rows.length) {
      const table = el('table', 'config-table');
      const body = el('tbody');
      for (const [key, value] of rows) {
        const tr = el('tr');
        const cell = el('td', undefined, key === 'dataset' && typeof value === 'string' ? lastPart(value) : configCell(key, value));
        if (key === 'dataset' && typeof value === 'string') cell.title = value;
        tr.append(el('th', undefined, key), cell);
        body.append(tr);
      }
      table.append(body);
      this.config.append(table);
    }
    const details = el('details', 'config-json');
    details.open = this.configOpen;
    details.addEventListener('toggle', () => (this.configOpen = details.open));
    details.append(el('summary', undefined, 'config.json'), el('pre', 'config-text', run.config));
    this.config.append(details);
  }
}

const lastPart = (path: string) => path.split(/[\\/]/).filter(Boolean).pop() ?? path;
