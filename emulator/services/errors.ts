/** Errors as Apps Script raises them from services: name 'Exception', message without the prefix. */
export class GasException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Exception';
  }
}

/**
 * Messages Apps Script uses. Verified against: the quotas page's troubleshooting list
 * (https://developers.google.com/apps-script/guides/services/quotas: "Exceeded maximum execution
 * time", "Service invoked too many times for one day: email.", "Service using too much computer time
 * for one day") and, for messages the reference does not print, texts reported verbatim from real
 * executions in public projects (trigger limit, lock timeout, Range.setValues dimensions,
 * "Argument too large: key|value", the property storage quota).
 */
export const MESSAGES = {
  timeout: 'Exceeded maximum execution time',
  lockTimeout: 'Lock timeout: another process was holding the lock for too long.',
  emailQuota: 'Service invoked too many times for one day: email.',
  triggerRuntime: 'Service using too much computer time for one day',
  tooManyTriggers: 'This script has too many triggers. Triggers must be deleted from the script before more can be added.',
  propertyStoreFull: 'You have exceeded the property storage quota. Please remove some properties and try again.',
  argumentTooLarge: (what: string) => `Argument too large: ${what}`,
  rowsMismatch: (data: number, range: number) =>
    `The number of rows in the data does not match the number of rows in the range. The data has ${data} but the range has ${range}.`,
  columnsMismatch: (data: number, range: number) =>
    `The number of columns in the data does not match the number of columns in the range. The data has ${data} but the range has ${range}.`,
  noUiContext: (method: string) => `Cannot call ${method}() from this context.`,
};

/**
 * Thrown by a fake when the call would have to wait for another execution (a held lock) and the
 * execution runs on a worker: the worker path parks the call instead of answering it.
 */
export class WouldBlock {
  constructor(
    readonly scope: string,
    readonly timeoutMs: number,
    readonly onTimeout: 'throw' | 'false',
  ) {}
}
