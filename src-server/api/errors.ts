/**
 * Errors of the web API. Everything the router refuses is an AppError (the same class the use cases
 * throw), so one mapping turns both into the error envelope.
 */
import { AppError, type AppErrorDto } from '../app/contract';

export interface FieldIssue {
  path: string;
  message: string;
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

/** Anything that is not an AppError becomes a 500 without its message (it may hold internals). */
export function toErrorDto(err: unknown): AppErrorDto {
  if (err instanceof AppError) return err.toDto();
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
