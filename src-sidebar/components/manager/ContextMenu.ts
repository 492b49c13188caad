/**
 * A right-click (or Shift+F10 / context-menu key) popup menu, keyboard navigable, closed by Escape.
 * Closed by Escape, Tab or a choice, it gives focus back to what opened it (or `fallbackFocus` when
 * nothing had focus, as after a right-click), so the next Escape is not taken by the dialog.
 */
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../../lib/html';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
}

export function ContextMenu({
  x,
  y,
  items,
  label,
  onClose,
  fallbackFocus,
}: {
  x: number;
  y: number;
  items: MenuItem[];
  label: string;
  onClose: () => void;
  fallbackFocus?: () => HTMLElement | null;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const active = document.activeElement as HTMLElement | null;
    opener.current = active && active !== document.body && !ref.current?.contains(active) ? active : null;
    const first = ref.current?.querySelector<HTMLElement>('[role=menuitem]');
    first?.focus();
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, []);
  /** Closes and focuses the opener; a choice that replaced or removed it leaves focus alone. */
  const closeAndReturn = () => {
    const back = opener.current?.isConnected ? opener.current : (fallbackFocus?.() ?? null);
    onClose();
    back?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      e.stopPropagation();
      closeAndReturn();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      buttons[(i + 1) % buttons.length]?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      buttons[(i - 1 + buttons.length) % buttons.length]?.focus();
    }
  };
  const left = Math.min(x, window.innerWidth - 180);
  const top = Math.min(y, window.innerHeight - items.length * 32 - 16);
  return html`<div class="menu" role="menu" aria-label=${label} ref=${ref} style=${{ left: `${left}px`, top: `${Math.max(0, top)}px` }} onKeyDown=${onKey}>
    ${items.map(
      (it) => html`<button role="menuitem" key=${it.label} class=${it.danger ? 'danger' : ''} tabIndex="-1"
      onClick=${() => {
        closeAndReturn();
        it.onSelect();
      }}>${it.label}</button>`,
    )}
  </div>`;
}
