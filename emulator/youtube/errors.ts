/**
 * Errors shaped as the YouTube advanced service throws them: an Error named
 * GoogleJsonResponseException whose message is "API call to youtube.<method> failed with error: <message>"
 * and whose `details` carry the HTTP code and reasons. Code classifies by details.code and
 * details.errors[0].reason, never by the message text.
 */
import type { YouTubeMethodName } from './quota';

export interface YouTubeErrorDetails {
  code: number;
  message: string;
  errors: { message: string; domain: string; reason: string }[];
}

export class YouTubeServiceError extends Error {
  readonly details: YouTubeErrorDetails;

  constructor(method: YouTubeMethodName, code: number, reason: string, domain: string, message: string) {
    super(`API call to youtube.${method} failed with error: ${message}`);
    this.name = 'GoogleJsonResponseException';
    this.details = { code, message, errors: [{ message, domain, reason }] };
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
  missingRequiredParameter: make(400, 'missingRequiredParameter', 'youtube.parameter', 'No filter selected.'),
  incompatibleParameters: make(400, 'incompatibleParameters', 'youtube.parameter', 'Incompatible parameters specified in the request.'),
  invalidFilters: make(400, 'invalidFilters', 'youtube.parameter', 'Invalid filter parameters.'),
  invalidPageToken: make(400, 'invalidPageToken', 'youtube.parameter', 'The request specifies an invalid page token.'),
  invalidParameter: make(400, 'invalidParameter', 'global', 'Invalid parameter.'),
  unknownPart: make(400, 'unknownPart', 'youtube.part', 'Unknown part.'),
};
