/**
 * Small DOM helpers every panel uses. Text from files, runs and messages is untrusted: it only ever goes
 * in through textContent, never innerHTML.
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Removes every child of `node`. */
export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
