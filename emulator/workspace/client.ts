/**
 * The workspace page's script: polls /__workspace/state, draws the menu bar, the tabs and the active
 * grid, and opens sidebars/dialogs/alerts the script shows (iframes of /__workspace/ui/<n>).
 * Cell text and titles are set with textContent only.
 */
export {};

interface MenuEntry {
  caption?: string;
  functionName?: string;
  separator?: boolean;
  items?: MenuEntry[];
}
interface State {
  now: string;
  spreadsheet: {
    id: string;
    name: string;
    activeTab?: string | null;
    tabs: {
      name: string;
      hidden: boolean;
      rowCount: number;
      frozenRows?: number;
      align?: string[];
      values: (string | number | boolean)[][];
    }[];
  } | null;
  menus: { caption: string; items: MenuEntry[] }[];
  eventCount: number;
  events: { index: number; kind: string; title: string; message: string; width: number | null; height: number | null }[];
}

const $ = (id: string) => document.getElementById(id) as HTMLElement;
const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) node.append(c);
  return node;
};

let seenEvents = -1;
let activeTab = '';
/** The runtime's active sheet as last seen: when it changes (a script activated a tab, or the page was reloaded) the page follows. */
let serverActive = '';
let lastGridKey = '';
let lastMenusKey = '';
const lastRowCounts: Record<string, number> = {};
let polling = false;
/** A tab selection still on its way to the runtime: menu actions wait for it. */
let pendingActivation: Promise<unknown> = Promise.resolve();

/** The user the page acts as: sent with every execution; surfaces opened by this user keep calling as them. */
let actingUser = '';

async function json<T>(url: string, body?: unknown): Promise<T> {
  const res = await fetch(
    url,
    body === undefined
      ? { cache: 'no-store' }
      : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
  );
  return (await res.json()) as T;
}

function status(text: string): void {
  const s = $('status');
  s.textContent = text;
  s.classList.add('on');
  clearTimeout((status as unknown as { t?: number }).t);
  (status as unknown as { t?: number }).t = window.setTimeout(() => s.classList.remove('on'), 2500);
}

async function runMenuItem(fn: string, caption: string): Promise<void> {
  closeMenus();
  await pendingActivation;
  status(`Running “${caption}”…`);
  const result = await json<{ ok: boolean; error?: { message: string } | null }>('/__emulator/run', {
    fn,
    args: [],
    ...(actingUser ? { user: actingUser } : {}),
  });
  status(result.ok ? `“${caption}” finished` : `Script error: ${result.error?.message ?? 'unknown'}`);
  await refresh();
}

function closeMenus(): void {
  document.querySelectorAll('.dropdown').forEach((d) => d.remove());
  document.querySelectorAll('.menubar [aria-expanded=true]').forEach((b) => b.setAttribute('aria-expanded', 'false'));
}

function drawMenus(state: State): void {
  const key = JSON.stringify(state.menus);
  if (key === lastMenusKey) return;
  lastMenusKey = key;
  const bar = $('menubar');
  bar.replaceChildren(
    ...['File', 'Edit', 'View', 'Insert', 'Format', 'Data', 'Tools', 'Extensions', 'Help'].map((n) =>
      el('span', { className: 'top-item fake', textContent: n }),
    ),
  );
  for (const l of bar.querySelectorAll('span')) {
    l.setAttribute('style', 'padding:3px 7px;font-size:14px');
  }
  for (const menu of state.menus) {
    const wrap = el('div', { className: 'm' });
    const button = el('button', { className: 'top-item', type: 'button', textContent: menu.caption });
    button.setAttribute('aria-haspopup', 'menu');
    button.setAttribute('aria-expanded', 'false');
    button.addEventListener('click', (e) => {
      e.stopPropagation();
      const open = button.getAttribute('aria-expanded') === 'true';
      closeMenus();
      if (open) return;
      button.setAttribute('aria-expanded', 'true');
      const list = el('div', { className: 'dropdown' });
      list.setAttribute('role', 'menu');
      for (const item of menu.items) {
        if (item.separator) {
          list.append(el('hr'));
          continue;
        }
        if (!item.functionName) continue;
        const b = el('button', { type: 'button', textContent: item.caption ?? '' });
        b.setAttribute('role', 'menuitem');
        b.addEventListener('click', () => {
          lastOpener = button;
          void runMenuItem(item.functionName!, item.caption ?? '');
        });
        list.append(b);
      }
      list.addEventListener('keydown', (ev) => {
        const items = [...list.querySelectorAll('button')];
        const i = items.indexOf(document.activeElement as HTMLButtonElement);
        if (ev.key === 'ArrowDown') {
          ev.preventDefault();
          items[(i + 1) % items.length]?.focus();
        }
        if (ev.key === 'ArrowUp') {
          ev.preventDefault();
          items[(i - 1 + items.length) % items.length]?.focus();
        }
        if (ev.key === 'Escape') {
          closeMenus();
          button.focus();
        }
      });
      wrap.append(list);
      list.querySelector('button')?.focus();
    });
    wrap.append(button);
    bar.insertBefore(wrap, bar.children[bar.children.length - 1] ?? null);
  }
}

function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function drawTabs(state: State): void {
  const tabs = (state.spreadsheet?.tabs ?? []).filter((t) => !t.hidden);
  const active = state.spreadsheet?.activeTab ?? '';
  if (active && active !== serverActive) {
    serverActive = active;
    if (tabs.some((t) => t.name === active)) {
      activeTab = active;
      lastGridKey = '';
    }
  }
  if (!tabs.some((t) => t.name === activeTab)) activeTab = tabs[0]?.name ?? '';
  const bar = $('tabs');
  const key = tabs.map((t) => t.name).join('\u0000') + '|' + activeTab;
  if (bar.dataset.key !== key) {
    bar.dataset.key = key;
    bar.replaceChildren(
      ...tabs.map((t) => {
        const b = el('button', { type: 'button', textContent: t.name });
        b.setAttribute('role', 'tab');
        b.setAttribute('aria-selected', String(t.name === activeTab));
        b.addEventListener('click', () => {
          activeTab = t.name;
          serverActive = t.name;
          lastGridKey = '';
          draw(lastState!);
          pendingActivation = json('/__workspace/activate', { tab: t.name }).catch(() => undefined);
        });
        return b;
      }),
    );
  }
  const tab = tabs.find((t) => t.name === activeTab);
  const gridKey = `${activeTab}|${tab?.rowCount}|${tab?.frozenRows ?? 0}|${JSON.stringify(tab?.values.slice(0, 3))}|${JSON.stringify(tab?.values[tab.values.length - 1] ?? null)}`;
  if (gridKey === lastGridKey) return;
  lastGridKey = gridKey;
  const grid = $('grid');
  if (!tab) {
    grid.replaceChildren(el('div', { className: 'empty-sheet', textContent: 'No visible tab.' }));
    return;
  }
  const before = lastRowCounts[tab.name] ?? tab.rowCount;
  lastRowCounts[tab.name] = tab.rowCount;
  const width = Math.max(8, ...tab.values.map((r) => r.length));
  const rows = Math.max(30, tab.values.length + 5);
  const table = el('table', { className: 'sheet' });
  table.setAttribute('aria-label', tab.name);
  const head = el('tr', {}, el('th', { className: 'rh' }));
  for (let c = 0; c < width; c++) head.append(el('th', { textContent: columnName(c) }));
  const body = el('tbody');
  for (let r = 0; r < rows; r++) {
    const values = tab.values[r] ?? [];
    // Rows the sheet freezes (the header row a job asks for) stay in view while the grid scrolls.
    const frozen = r < (tab.frozenRows ?? 0);
    const classes = [
      r >= before && r < tab.rowCount && r > 0 ? 'fresh' : '',
      frozen ? 'frozen' : '',
      frozen && r === (tab.frozenRows ?? 0) - 1 ? 'frozen-last' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const tr = el('tr', classes ? { className: classes } : {}, el('th', { className: 'rh', textContent: String(r + 1) }));
    const align = tab.align?.[r] ?? '';
    for (let c = 0; c < width; c++) {
      const v = values[c];
      tr.append(
        el('td', {
          className: typeof v === 'number' || align[c] === 'r' ? 'num' : '',
          textContent: v === undefined ? '' : String(v),
          title: v === undefined ? '' : String(v),
        }),
      );
    }
    body.append(tr);
  }
  table.append(el('thead', {}, head), body);
  const note =
    tab.rowCount > tab.values.length
      ? el('div', { className: 'empty-sheet', textContent: `Showing the first ${tab.values.length} of ${tab.rowCount} rows.` })
      : '';
  grid.replaceChildren(table, note);
}

// ---------------------------------------------------------------- sidebars, dialogs, alerts

const frames = new Map<Window, { kind: 'sidebar' | 'dialog'; close(): void; frame: HTMLIFrameElement; keep?(): void }>();

function openSidebar(index: number, title: string): void {
  const side = $('sidebar');
  side.querySelector('iframe')?.remove();
  side.hidden = false;
  $('sidebar-title').textContent = title || 'Sidebar';
  const frame = el('iframe', { src: `/__workspace/ui/${index}${userQuery()}`, title: title || 'Sidebar' });
  side.append(frame);
  const close = () => {
    side.hidden = true;
    frame.remove();
  };
  $('sidebar-close').onclick = close;
  frame.addEventListener('load', () => {
    if (frame.contentWindow) frames.set(frame.contentWindow, { kind: 'sidebar', close, frame });
  });
}

/**
 * What opened the next modal when focus cannot tell: a menu item's dropdown is gone by the time the
 * script's dialog arrives, so focus returns to the menu's button.
 */
let lastOpener: HTMLElement | null = null;
/** Open modals, the top one last: everything outside the top one is inert. */
const modalStack: HTMLElement[] = [];

const TABBABLE =
  'button:not([disabled]), iframe, a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function tabbables(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(TABBABLE)].filter((n) => !n.classList.contains('focus-guard') && !n.closest('[inert]'));
}

/** Focuses the first or last tabbable element of the dialog; inside a same-origin iframe when it is one. */
function focusEdge(box: HTMLElement, edge: 'first' | 'last'): void {
  const list = tabbables(box);
  const target = edge === 'first' ? list[0] : list[list.length - 1];
  if (!target) return;
  target.focus();
  if (target instanceof HTMLIFrameElement) {
    try {
      const inner = target.contentDocument ? tabbables(target.contentDocument) : [];
      (edge === 'first' ? inner[0] : inner[inner.length - 1])?.focus();
    } catch {
      // another origin: the frame itself has focus
    }
  }
}

/** Makes the page outside the top modal inert (no focus, no clicks), or live again when none is open. */
function updateInert(): void {
  const top = modalStack[modalStack.length - 1] ?? null;
  for (const child of [...document.body.children]) {
    if (child.id === 'modal-root' || child.tagName === 'SCRIPT') continue;
    child.toggleAttribute('inert', top !== null);
  }
  for (const backdrop of modalStack) backdrop.toggleAttribute('inert', backdrop !== top);
}

/**
 * A modal like Sheets': focus moves into it, Tab and Shift+Tab cycle inside it (guards at both ends
 * send focus round), Escape or ✕ closes it, and focus returns to what opened it.
 */
function openModal(title: string, content: HTMLElement, onClose?: () => void, requestClose?: (close: () => void) => void): () => void {
  const active = document.activeElement as HTMLElement | null;
  const opener = active && active !== document.body && active.isConnected ? active : lastOpener;
  lastOpener = null;
  const backdrop = el('div', { className: 'backdrop' });
  const box = el('div', { className: 'dialog' });
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-modal', 'true');
  box.setAttribute('aria-label', title);
  const x = el('button', { type: 'button', className: 'x', textContent: '✕' });
  x.setAttribute('aria-label', 'Close');
  const guard = (edge: 'first' | 'last') => {
    const g = el('span', { className: 'focus-guard', tabIndex: 0 });
    g.setAttribute('aria-hidden', 'true');
    g.addEventListener('focus', () => focusEdge(box, edge));
    return g;
  };
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    backdrop.remove();
    modalStack.splice(modalStack.indexOf(backdrop), 1);
    updateInert();
    onClose?.();
    const back = opener?.isConnected ? opener : (modalStack[modalStack.length - 1] ?? null);
    if (back) {
      if (back.classList.contains('backdrop')) focusEdge(back, 'first');
      else back.focus();
    }
  };
  // ✕ (and Escape outside the surface) may be answered by the surface first (requestClose).
  const userClose = () => (requestClose ? requestClose(close) : close());
  x.addEventListener('click', userClose);
  backdrop.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      userClose();
    }
  });
  // The end guard sends focus to the first element, the start guard (Shift+Tab) to the last.
  box.append(guard('last'), el('div', { className: 'dialog-head' }, el('span', { textContent: title }), x), content, guard('first'));
  backdrop.append(box);
  $('modal-root').append(backdrop);
  modalStack.push(backdrop);
  updateInert();
  x.focus(); // focus is in the dialog at once; a dialog's surface takes it when loaded
  return close;
}

function openDialog(index: number, title: string, width: number | null, height: number | null): void {
  const frame = el('iframe', { src: `/__workspace/ui/${index}${userQuery()}`, title: title || 'Dialog' });
  frame.style.width = `${width ?? 600}px`;
  frame.style.height = `${height ?? 500}px`;
  let pending: ReturnType<typeof setTimeout> | undefined;
  // A loaded surface is asked (its shim answers "close" or "close-kept"); one that never answers is closed.
  const requestClose = (closeNow: () => void) => {
    const target = frame.contentWindow;
    if (!target || !frames.has(target)) {
      closeNow();
      return;
    }
    clearTimeout(pending);
    pending = setTimeout(closeNow, 1500);
    target.postMessage({ source: 'y2s-workspace', type: 'close-request' }, '*');
  };
  const close = openModal(
    title,
    frame,
    () => {
      clearTimeout(pending);
      void refresh();
    },
    requestClose,
  );
  frame.addEventListener('load', () => {
    if (frame.contentWindow)
      frames.set(frame.contentWindow, {
        kind: 'dialog',
        close,
        frame,
        keep: () => {
          clearTimeout(pending);
          frame.focus();
        },
      });
    // Into the surface, unless the user has moved on from the close button meanwhile.
    const active = document.activeElement;
    if (frame.isConnected && (active === document.body || active?.classList.contains('x'))) frame.focus();
  });
}

function openAlert(title: string, message: string): void {
  const ok = el('button', { type: 'button', textContent: 'OK' });
  const body = el('div', {}, el('div', { className: 'alert-body', textContent: message }), el('div', { className: 'alert-foot' }, ok));
  const close = openModal(title || 'YouTube2Sheets', body);
  ok.addEventListener('click', close);
  ok.focus();
}

window.addEventListener('message', (e: MessageEvent) => {
  const data = e.data as { source?: string; type?: string; value?: number } | null;
  if (!data || data.source !== 'y2s-surface') return;
  const owner = e.source ? frames.get(e.source as Window) : undefined;
  if (data.type === 'ran') void refresh();
  if (data.type === 'close') owner?.close();
  if (data.type === 'close-kept') owner?.keep?.();
  // Escape inside a dialog's surface that the surface did not handle itself (the shim forwards it).
  if (data.type === 'escape' && owner?.kind === 'dialog') owner.close();
  if (data.type === 'setHeight' && owner && typeof data.value === 'number') owner.frame.style.height = `${data.value}px`;
  if (data.type === 'setWidth' && owner && typeof data.value === 'number') owner.frame.style.width = `${data.value}px`;
});
document.addEventListener('click', () => closeMenus());

// ---------------------------------------------------------------- loop

let lastState: State | null = null;

function draw(state: State): void {
  lastState = state;
  $('ss-name').textContent = state.spreadsheet?.name ?? 'Spreadsheet';
  $('clock').textContent = `Virtual time ${state.now.replace('T', ' ').slice(0, 19)} UTC`;
  drawMenus(state);
  drawTabs(state);
}

async function refresh(): Promise<void> {
  if (polling) return;
  polling = true;
  try {
    const state = await json<State>(`/__workspace/state?events=${Math.max(0, seenEvents)}`);
    if (seenEvents >= 0) {
      for (const e of state.events) {
        if (e.kind === 'sidebar') openSidebar(e.index, e.title);
        else if (e.kind === 'modal' || e.kind === 'modeless') openDialog(e.index, e.title, e.width, e.height);
        else if (e.kind === 'alert') openAlert(e.title, e.message);
        else if (e.kind === 'toast') status(e.message);
      }
    }
    seenEvents = state.eventCount;
    draw(state);
  } catch {
    $('clock').textContent = 'Disconnected from the local runtime';
  } finally {
    polling = false;
  }
}

function userQuery(): string {
  return actingUser ? `?user=${encodeURIComponent(actingUser)}` : '';
}

/** Opening the spreadsheet as the acting user runs the simple trigger onOpen (LIMITED), which builds the menu. */
async function openAsUser(): Promise<void> {
  await json('/__emulator/open', actingUser ? { user: actingUser } : {}).catch(() => undefined);
  await refresh();
}

/** The acting-user switch: like another editor opening the spreadsheet in their own browser. */
async function setupUserSwitch(): Promise<void> {
  const select = $('user') as HTMLSelectElement;
  const { users } = await json<{ users: string[] }>('/__emulator/users').catch(() => ({ users: [] as string[] }));
  if (users.length === 0) {
    (select.parentElement as HTMLElement).hidden = true;
    return;
  }
  const saved = sessionStorage.getItem('y2s-user');
  actingUser = saved && users.includes(saved) ? saved : users[0]!;
  for (const u of users) select.append(el('option', { value: u, textContent: u }));
  select.value = actingUser;
  select.addEventListener('change', () => {
    actingUser = select.value;
    sessionStorage.setItem('y2s-user', actingUser);
    // Another user's session: their own sidebar, opened by them.
    ($('sidebar-close') as HTMLButtonElement).click();
    status(`Acting as ${actingUser}`);
    void openAsUser();
  });
}

async function start(): Promise<void> {
  await refresh(); // past UI events are not replayed
  await setupUserSwitch();
  await openAsUser();
  setInterval(() => {
    if (document.visibilityState === 'visible') void refresh();
  }, 1500);
}

void start();
