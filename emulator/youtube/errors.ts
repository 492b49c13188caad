/**
 * Errors shaped as the YouTube advanced service throws them: an Error named
 * GoogleJsonResponseException whose message is "API call to youtube.<method> failed with error: <message>"
 * and whose `details` carry the HTTP code and reasons.
 *
 * `details` is undocumented: the advanced-services guide
 * (https://developers.google.com/apps-script/guides/services/advanced#how_advanced_services_work)
 * only says errors surface as exceptions, and the reference of GoogleJsonResponseException is not
 * published. It is observed on real executions (err.details.code / err.details.errors[0].reason) but
 * nothing promises it, so the fake can also throw without it (`withoutDetails()`, the fault option
 * `details: false`, or `YouTubeFake.errorDetails = false`): callers must classify from the message
 * text too. The messages below are the API's own (https://developers.google.com/youtube/v3/docs/errors).
 */
import type { YouTubeMethodName } from './quota';

export interface YouTubeErrorDetails {
  code: number;
  message: string;
  errors: { message: string; domain: string; reason: string }[];
}

export class YouTubeServiceError extends Error {
  readonly details?: YouTubeErrorDetails;

  constructor(method: YouTubeMethodName, code: number, reason: string, domain: string, message: string, withDetails = true) {
    super(`API call to youtube.${method} failed with error: ${message}`);
    this.name = 'GoogleJsonResponseException';
    if (withDetails) this.details = { code, message, errors: [{ message, domain, reason }] };
  }

  /** The same error with only its name and message (no `details` property at all). */
  withoutDetails(): YouTubeServiceError {
    const copy = Object.create(YouTubeServiceError.prototype) as YouTubeServiceError;
    Object.defineProperty(copy, 'message', { value: this.message, writable: true, configurable: true });
    Object.defineProperty(copy, 'name', { value: this.name, writable: true, configurable: true });
    Object.defineProperty(copy, 'stack', { value: this.stack, writable: true, configurable: true });
    return copy;
  }
}

type ErrorFactory = (method: YouTubeMethodName, detail?: string) => YouTubeServiceError;

const make =
  (code: number, reason: string, domain: string, fallback: string): ErrorFactory =>
  (method, detail) =>
    new YouTubeServiceError(method, code, reason, domain, detail ?? fallback);

export const youtubeErrors = {
  quotaExceeded: make(
    403,
    'quotaExceeded',
    'youtube.quota',
    'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.',
  ),
  playlistNotFound: make(
    404,
    'playlistNotFound',
    'youtube.playlistItem',
    "The playlist identified with the request's <code>playlistId</code> parameter cannot be found.",
  ),
  backendError: make(500, 'backendError', 'global', 'Backend Error'),
  forbidden: make(403, 'forbidden', 'global', 'Access forbidden. The request may not be properly authorized.'),
  rateLimitExceeded: make(403, 'rateLimitExceeded', 'usageLimits', 'Rate Limit Exceeded'),
  missingRequiredParameter: make(400, 'missingRequiredParameter', 'youtube.parameter', 'No filter selected.'),
  incompatibleParameters: make(400, 'incompatibleParameters', 'youtube.parameter', 'Incompatible parameters specified in the request.'),
  invalidFilters: make(400, 'invalidFilters', 'youtube.parameter', 'Invalid filter parameters.'),
  invalidPageToken: make(400, 'invalidPageToken', 'youtube.parameter', 'The request specifies an invalid page token.'),
  invalidParameter: make(400, 'invalidParameter', 'global', 'Invalid parameter.'),
  unknownPart: make(400, 'unknownPart', 'youtube.part', 'Unknown part.'),
};
