/** htm bound to Preact's h: every component writes `html\`...\``; text is always escaped by Preact. */
import { h, render, type ComponentChildren, type FunctionComponent } from 'preact';
import htm from 'htm';
import '../styles.css';

export const html = htm.bind(h);
export { h, render };
export type { ComponentChildren };

/** Mounts a surface's root component into #app and names the document. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function mount(title: string, root: FunctionComponent<any>): void {
  document.title = title;
  const start = () => render(h(root, {}), document.getElementById('app') as HTMLElement);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
