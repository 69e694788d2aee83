/**
 * The action button.
 * A @vscode-elements/elements web component, which themes itself from VS Code's CSS variables (its styles
 * are adoptedStyleSheets, allowed by the webview's CSP). One file per component, so a panel bundles only
 * the components it uses; the class name stays on each element so selectors keep meaning.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import { el } from '../dom';

export type { VscodeButton };

/** A vscode-button; `secondary` for every action but the page's main one. Clicks while disabled are ignored. */
export function actionButton(className: string, label: string, onClick: (b: VscodeButton) => void, secondary = false): VscodeButton {
  const b = el('vscode-button', className, label);
  b.secondary = secondary;
  b.addEventListener('click', () => {
    if (!b.disabled) onClick(b);
  });
  return b;
}
