/** ContentService: text outputs with a MIME type (what doGet/doPost return for the JSON API). */
import { GasException } from './errors';
import { enumOf, registerType } from './registry';

type GasTextOutput = GoogleAppsScript.Content.TextOutput;
const self = (v: object): GasTextOutput => v as unknown as GasTextOutput;

export const MIME_TYPES: Record<string, string> = {
  ATOM: 'application/atom+xml',
  CSV: 'text/csv',
  ICAL: 'text/calendar',
  JAVASCRIPT: 'application/javascript',
  JSON: 'application/json',
  RSS: 'application/rss+xml',
  TEXT: 'text/plain',
  VCARD: 'text/vcard',
  XML: 'application/xml',
};

export class TextOutputFake implements Pick<
  GasTextOutput,
  'getContent' | 'setContent' | 'append' | 'clear' | 'getMimeType' | 'setMimeType' | 'downloadAsFile' | 'getFileName'
> {
  #mimeType = 'TEXT';
  #fileName: string | null = null;
  constructor(private content: string) {}

  getContent(): string {
    return this.content;
  }
  setContent(content: string): GasTextOutput {
    this.content = String(content);
    return self(this);
  }
  append(addedContent: string): GasTextOutput {
    this.content += String(addedContent);
    return self(this);
  }
  clear(): GasTextOutput {
    this.content = '';
    return self(this);
  }
  getMimeType(): GoogleAppsScript.Content.MimeType {
    return this.#mimeType as unknown as GoogleAppsScript.Content.MimeType;
  }
  setMimeType(mimeType: GoogleAppsScript.Content.MimeType): GasTextOutput {
    const m = String(mimeType);
    if (!(m in MIME_TYPES)) throw new GasException('Invalid argument: mimeType');
    this.#mimeType = m;
    return self(this);
  }
  downloadAsFile(filename: string): GasTextOutput {
    this.#fileName = String(filename);
    return self(this);
  }
  getFileName(): string {
    return this.#fileName as string;
  }
}
registerType(TextOutputFake, 'ContentService.TextOutput');

export class ContentServiceFake implements Pick<GoogleAppsScript.Content.ContentService, 'createTextOutput'> {
  createTextOutput(content?: string): GasTextOutput {
    return self(new TextOutputFake(content === undefined || content === null ? '' : String(content)));
  }
}
registerType(ContentServiceFake, 'ContentService', { MimeType: enumOf(...(Object.keys(MIME_TYPES) as [string, ...string[]])) });
