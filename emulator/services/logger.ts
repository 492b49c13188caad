/** Logger: lines go to the execution's log (console.* is captured by the sandbox itself). */
import type { Scope } from './execution';
import { registerType } from './registry';

function show(v: unknown): string {
  if (v instanceof Date) return v.toString();
  if (v !== null && typeof v === 'object') {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}

export class LoggerFake implements Pick<GoogleAppsScript.Base.Logger, 'log' | 'getLog' | 'clear'> {
  constructor(private readonly scope: Scope) {}

  log(data: unknown, ...values: unknown[]): GoogleAppsScript.Base.Logger {
    let text = show(data);
    if (typeof data === 'string' && values.length) {
      let i = 0;
      text = data.replace(/%s/g, () => (i < values.length ? show(values[i++]) : '%s'));
    }
    this.scope.exec.logs.push(text);
    return this as unknown as GoogleAppsScript.Base.Logger;
  }
  getLog(): string {
    return this.scope.exec.logs.join('\n');
  }
  clear(): void {
    this.scope.exec.logs.length = 0;
  }
}
registerType(LoggerFake, 'Logger');
