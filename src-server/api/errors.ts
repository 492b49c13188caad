/**
 * Errors of the web API. Everything the router refuses is an AppError (the same class the use cases
 * throw), so one mapping turns both into the error envelope.
 */
import { AppError, type AppErrorDto, type ChannelCheckReason } from '../app/contract';
import { formatKb } from '../app/bytes';
import { STORE_LIMIT_BYTES, VALUE_LIMIT_BYTES } from '../app/store';

export interface FieldIssue {
  path: string;
  message: string;
  /** A channel a check refused: why, as a code (domain/channels.ts). */
  reason?: ChannelCheckReason;
}

export function badRequest(message: string, details?: unknown): AppError {
  return new AppError(400, 'bad_request', message, details);
}

export function validationFailed(issues: FieldIssue[]): AppError {
  const summary = issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ');
  return new AppError(422, 'validation_failed', `Invalid request: ${summary}`, issues);
}

export function unauthorized(message: string): AppError {
  return new AppError(401, 'unauthorized', message);
}

export function forbidden(message: string): AppError {
  return new AppError(403, 'forbidden', message);
}

/**
 * Platform exceptions with a known meaning, answered with their own clear envelope instead of a bare
 * 500: a write past the Script Properties budgets, a script lock that could not be had. Their texts
 * are Apps Script's (emulator/services/errors.ts keeps the same).
 */
const PLATFORM_ERRORS: readonly { pattern: RegExp; dto: AppErrorDto }[] = [
  {
    pattern: /exceeded the property storage quota/i,
    dto: {
      status: 413,
      code: 'store_full',
      message: `The script properties store is full (its limit is ${formatKb(STORE_LIMIT_BYTES)}): the change was not saved. Delete unused jobs to make room.`,
      details: { limit_bytes: STORE_LIMIT_BYTES },
    },
  },
  {
    pattern: /^Argument too large: value/,
    dto: {
      status: 413,
      code: 'store_full',
      message: `A stored value would exceed the ${formatKb(VALUE_LIMIT_BYTES)} limit per property: the change was not saved. Make it smaller.`,
      details: { limit_bytes: VALUE_LIMIT_BYTES },
    },
  },
  {
    pattern: /^Lock timeout/,
    dto: { status: 503, code: 'busy', message: 'The scheduler is busy (another execution holds the lock); try again in a few seconds.' },
  },
];

/** Anything that is not an AppError or a known platform error becomes a 500 without its message (it may hold internals). */
export function toErrorDto(err: unknown): AppErrorDto {
  if (err instanceof AppError) return err.toDto();
  // Duck-typed: a platform exception need not be an Error of this realm.
  const message =
    err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string'
      ? (err as { message: string }).message
      : null;
  const known = message === null ? undefined : PLATFORM_ERRORS.find((p) => p.pattern.test(message));
  if (known) return { ...known.dto };
  // A use case bundled separately may throw an AppError-shaped object of another class instance.
  if (err && typeof err === 'object' && 'toDto' in err && typeof (err as { toDto: unknown }).toDto === 'function') {
    const dto = (err as { toDto(): AppErrorDto }).toDto();
    if (Number.isInteger(dto.status) && dto.status >= 400 && dto.status <= 599 && typeof dto.code === 'string') return dto;
  }
  return { status: 500, code: 'internal', message: 'Internal error: the request could not be completed.' };
}

// ---------------------------------------------------------------- zod issues -> field messages

interface ZodLikeIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: unknown;
  values?: unknown[];
  minimum?: unknown;
  maximum?: unknown;
  keys?: string[];
  origin?: string;
  format?: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function describe(issue: ZodLikeIssue): string {
  // zod/mini ships no message locale: its default message is "Invalid input", so say it ourselves.
  if (issue.message && issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${String(issue.expected)}`;
    case 'invalid_value':
      return `must be one of ${(issue.values ?? []).map((v) => String(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `must have at least ${String(issue.minimum)} ${issue.origin === 'string' ? 'characters' : 'items'}`
        : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `must have at most ${String(issue.maximum)} ${issue.origin === 'string' ? 'characters' : 'items'}`
        : `must be at most ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `unknown field${(issue.keys ?? []).length === 1 ? '' : 's'}: ${(issue.keys ?? []).join(', ')}`;
    case 'invalid_format':
      return `must be a valid ${issue.format ?? 'value'}`;
    default:
      return 'is invalid';
  }
}

export function issuesToFields(issues: readonly ZodLikeIssue[]): FieldIssue[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: describe(issue) }));
}
