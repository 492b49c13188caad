/** A right-click (or Shift+F10 / context-menu key) popup menu, keyboard navigable, closed by Escape. */
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../../lib/html';

export interface MenuItem { label: string; onSelect: () => void; danger?: boolean }

export function ContextMenu({ x, y, items, label, onClose }: { x: number; y: number; items: MenuItem[]; label: string; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>('[role=menuitem]');
    first?.focus();
    const onDown = (e: MouseEvent) => { if (!ref.current?.contains(e.target as Node)) onClose(); };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, []);
  const onKey = (e: KeyboardEvent) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape' || e.key === 'Tab') { e.preventDefault(); onClose(); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); buttons[(i + 1) % buttons.length]?.focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); buttons[(i - 1 + buttons.length) % buttons.length]?.focus(); }
  };
  const left = Math.min(x, window.innerWidth - 180);
  const top = Math.min(y, window.innerHeight - items.length * 32 - 16);
  return html`<div class="menu" role="menu" aria-label=${label} ref=${ref} style=${{ left: `${left}px`, top: `${Math.max(0, top)}px` }} onKeyDown=${onKey}>
    ${items.map((it) => html`<button role="menuitem" key=${it.label} class=${it.danger ? 'danger' : ''} tabIndex="-1"
      onClick=${() => { onClose(); it.onSelect(); }}>${it.label}</button>`)}
  </div>`;
}
