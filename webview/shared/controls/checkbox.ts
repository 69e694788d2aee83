/**
 * The check box.
 * A @vscode-elements/elements web component, which themes itself from VS Code's CSS variables (its styles
 * are adoptedStyleSheets, allowed by the webview's CSP). One file per component, so a panel bundles only
 * the components it uses; the class name stays on each element so selectors keep meaning.
 */
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import { el } from '../dom';

export type { VscodeCheckbox };

/** A vscode-checkbox; `label` is its visible text, or only its accessible name when `visible` is false. */
export function checkbox(className: string, label: string, checked: boolean, onChange: (checked: boolean) => void, visible = true): VscodeCheckbox {
  const box = el('vscode-checkbox', className);
  if (visible) box.label = label;
  else box.setAttribute('aria-label', label);
  box.checked = checked;
  box.addEventListener('change', () => onChange(box.checked));
  return box;
}
