/**
 * Saving a file from a dialog, and the ways out when that cannot work. Apps Script shows dialogs in
 * sandboxed iframes (HtmlService's IFRAME mode); a browser refuses downloads from a sandboxed frame
 * whose sandbox lacks `allow-downloads`, silently (a console message, no exception). So a surface never
 * relies on the download alone: it says what it could tell, and offers the file itself (Copy) and a
 * copy written to a new tab of the spreadsheet.
 */

/**
 * 'allowed': no frame above us is sandboxed without allow-downloads (or we are the top page).
 * 'blocked': one is, or the browser lacks blob downloads: the download cannot work.
 * 'unknown': a frame above us belongs to another origin (Google's own frames), so nobody can tell.
 */
export type DownloadSupport = 'allowed' | 'blocked' | 'unknown';

export function downloadSupport(win: Window = window): DownloadSupport {
  if (typeof URL.createObjectURL !== 'function' || !('download' in HTMLAnchorElement.prototype)) return 'blocked';
  let current: Window = win;
  for (let depth = 0; depth < 16; depth++) {
    if (current.parent === current) return 'allowed';
    let frame: Element | null;
    try {
      frame = current.frameElement;
    } catch {
      return 'unknown';
    }
    if (!frame) return 'unknown'; // the parent is cross-origin (or the frame has an opaque origin)
    const sandbox = frame.getAttribute('sandbox');
    if (sandbox !== null && !sandbox.split(/\s+/).includes('allow-downloads')) return 'blocked';
    current = current.parent;
  }
  return 'unknown';
}

export interface FileToSave {
  filename: string;
  content_type: string;
  body: string;
}

/** What a save attempt did: 'downloaded' (nothing stood in the way), 'started' (cannot tell), 'blocked'. */
export type SaveOutcome = 'downloaded' | 'started' | 'blocked';

/** Starts the download unless it surely cannot work; never throws. */
export function saveFile(file: FileToSave, win: Window = window): SaveOutcome {
  const support = downloadSupport(win);
  if (support === 'blocked') return 'blocked';
  try {
    const url = URL.createObjectURL(new Blob([file.body], { type: file.content_type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file.filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } catch {
    return 'blocked';
  }
  return support === 'allowed' ? 'downloaded' : 'started';
}

/** 'copied' to the clipboard, or only 'selected' in `field` for the user to press Ctrl+C. */
export type CopyOutcome = 'copied' | 'selected';

/**
 * Copies text: the async clipboard first (a permissions policy may refuse it inside frames), then
 * execCommand('copy') on the selected field, else the text is left selected.
 */
export async function copyText(text: string, field: HTMLTextAreaElement | null): Promise<CopyOutcome> {
  try {
    if (navigator.clipboard && typeof navigator.clipboard.writeText === 'function') {
      await navigator.clipboard.writeText(text);
      return 'copied';
    }
  } catch {
    /* refused: fall back to the selection */
  }
  if (field) {
    field.focus();
    field.select();
    try {
      if (document.execCommand('copy')) return 'copied';
    } catch {
      /* unsupported */
    }
  }
  return 'selected';
}

export const COPY_MESSAGES: Record<CopyOutcome, string> = {
  copied: 'Copied to the clipboard.',
  selected: 'The browser refused to copy: the text is selected, press Ctrl+C (⌘C on a Mac) to copy it.',
};
