/** HtmlService: outputs from strings or build/<name>.html, and a minimal template (<?= name ?>, <?!= name ?>). */
import { GasException } from './errors';
import type { Scope } from './execution';
import { enumOf, registerType } from './registry';

type GasHtmlOutput = GoogleAppsScript.HTML.HtmlOutput;
const self = (v: object): GasHtmlOutput => v as unknown as GasHtmlOutput;

export class HtmlOutputFake implements Pick<
  GasHtmlOutput,
  | 'getContent'
  | 'setContent'
  | 'append'
  | 'appendUntrusted'
  | 'clear'
  | 'setTitle'
  | 'getTitle'
  | 'setWidth'
  | 'getWidth'
  | 'setHeight'
  | 'getHeight'
  | 'setXFrameOptionsMode'
  | 'addMetaTag'
  | 'setSandboxMode'
  | 'setFaviconUrl'
> {
  _xFrameOptionsMode = 'DEFAULT';
  readonly _metaTags: { name: string; content: string }[] = [];
  #title = '';
  #width: number | undefined;
  #height: number | undefined;

  constructor(private content: string) {}

  getContent(): string {
    return this.content;
  }
  setContent(content: string): GasHtmlOutput {
    this.content = String(content);
    return self(this);
  }
  append(addedContent: string): GasHtmlOutput {
    this.content += String(addedContent);
    return self(this);
  }
  appendUntrusted(addedContent: string): GasHtmlOutput {
    this.content += escapeHtml(String(addedContent));
    return self(this);
  }
  clear(): GasHtmlOutput {
    this.content = '';
    return self(this);
  }
  setTitle(title: string): GasHtmlOutput {
    this.#title = String(title);
    return self(this);
  }
  getTitle(): string {
    return this.#title;
  }
  setWidth(width: number): GasHtmlOutput {
    this.#width = Number(width);
    return self(this);
  }
  getWidth(): number {
    return this.#width as number;
  }
  setHeight(height: number): GasHtmlOutput {
    this.#height = Number(height);
    return self(this);
  }
  getHeight(): number {
    return this.#height as number;
  }
  setXFrameOptionsMode(mode: GoogleAppsScript.HTML.XFrameOptionsMode): GasHtmlOutput {
    this._xFrameOptionsMode = String(mode);
    return self(this);
  }
  addMetaTag(name: string, content: string): GasHtmlOutput {
    this._metaTags.push({ name: String(name), content: String(content) });
    return self(this);
  }
  setSandboxMode(_mode: GoogleAppsScript.HTML.SandboxMode): GasHtmlOutput {
    return self(this);
  }
  setFaviconUrl(_iconUrl: string): GasHtmlOutput {
    return self(this);
  }
}
registerType(HtmlOutputFake, 'HtmlService.HtmlOutput');

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Minimal HtmlTemplate: `<?= name ?>` (escaped) and `<?!= name ?>` (raw) print a property assigned on
 * the template (`t.name = value` in the script); other scriptlets are not evaluated.
 */
export class HtmlTemplateFake implements Pick<GoogleAppsScript.HTML.HtmlTemplate, 'evaluate' | 'getRawContent'> {
  constructor(private readonly source: string) {}

  /** The sandbox passes the template's own properties as the (hidden) last argument. */
  evaluate(props?: unknown): GasHtmlOutput {
    const vars = (props && typeof props === 'object' ? props : {}) as Record<string, unknown>;
    const html = this.source.replace(/<\?(!?)=\s*([A-Za-z_$][\w$]*)\s*;?\s*\?>/g, (_m, raw: string, name: string) => {
      const v = vars[name];
      const text = v === undefined || v === null ? '' : String(v);
      return raw ? text : escapeHtml(text);
    });
    return self(new HtmlOutputFake(html));
  }
  getRawContent(): string {
    return this.source;
  }
}
registerType(HtmlTemplateFake, 'HtmlService.HtmlTemplate', undefined, ['evaluate']);

export class HtmlServiceFake implements Pick<
  GoogleAppsScript.HTML.HtmlService,
  'createHtmlOutput' | 'createHtmlOutputFromFile' | 'createTemplate' | 'createTemplateFromFile'
> {
  constructor(private readonly scope: Scope) {}

  #file(filename: string): string {
    const text = this.scope.world.readProjectFile(String(filename));
    if (text === null) throw new GasException(`No HTML file named ${String(filename)} was found.`);
    return text;
  }

  createHtmlOutput(html?: unknown): GasHtmlOutput {
    return self(new HtmlOutputFake(html === undefined || html === null ? '' : String(html)));
  }
  createHtmlOutputFromFile(filename: string): GasHtmlOutput {
    return self(new HtmlOutputFake(this.#file(filename)));
  }
  createTemplate(html: unknown): GoogleAppsScript.HTML.HtmlTemplate {
    return new HtmlTemplateFake(String(html)) as unknown as GoogleAppsScript.HTML.HtmlTemplate;
  }
  createTemplateFromFile(filename: string): GoogleAppsScript.HTML.HtmlTemplate {
    return new HtmlTemplateFake(this.#file(filename)) as unknown as GoogleAppsScript.HTML.HtmlTemplate;
  }
}
registerType(HtmlServiceFake, 'HtmlService', {
  XFrameOptionsMode: enumOf('ALLOWALL', 'DEFAULT'),
  SandboxMode: enumOf('EMULATED', 'IFRAME', 'NATIVE'),
});
