/**
 * The key to the charts' line styles, above them: colour says which run, style says what is drawn — train
 * solid, val dashed, the raw values thin and faint behind the smoothed line, a group's ± std as a band.
 * Only the styles on screen are listed (the splits shown; raw when smoothing is on; the band when grouped).
 * The samples are CSS borders in the text colour (media/compare.css).
 */
import { el } from '../shared/dom';
import type { CurveSplit } from './curves';

export interface LegendView {
  readonly splits: readonly CurveSplit[];
  readonly smoothing: number;
  /** Whether a group of several seeds is drawn (with its band). */
  readonly bands: boolean;
}

function entry(style: string, text: string): HTMLElement {
  const item = el('span', `legend-entry legend-${style}`);
  item.dataset.style = style;
  item.append(el('span', 'legend-sample'), el('span', undefined, text));
  return item;
}

/** Fills `legend` with the entries for `view`. */
export function renderLegend(legend: HTMLElement, view: LegendView): void {
  const entries: HTMLElement[] = [];
  if (view.splits.includes('train')) entries.push(entry('train', view.smoothing > 0 ? 'train (smoothed)' : 'train'));
  if (view.splits.includes('val')) entries.push(entry('val', view.smoothing > 0 ? 'val (smoothed)' : 'val'));
  if (view.smoothing > 0 && entries.length) entries.push(entry('raw', 'raw values (unsmoothed)'));
  if (view.bands && entries.length) entries.push(entry('band', 'mean ± std over seeds'));
  legend.replaceChildren(...entries);
}
