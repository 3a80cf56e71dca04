// A path whose segments are not well-formed is the client's mistake, refused with 400
// before any route sees it: an invalid percent-escape (`%ff`, which the router's
// decodeURIComponent would throw on), a segment that decodes to `.` or `..` or holds a
// slash, a backslash or a control character (ids never do; paths built from them must not
// climb), or a segment longer than any id this hub hands out.
import type { RequestHandler } from 'express';
import { errors } from '../errors.ts';

/** Longest path segment accepted: ids here are UUIDs, key ids and names of at most 64 characters. */
export const MAX_SEGMENT_CHARS = 256;

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f/\\]/;

// Paths with no escape, backslash or control character and no dot segment need no
// per-segment decoding: nearly every request, checked by two regular expressions.
// eslint-disable-next-line no-control-regex
const NEEDS_DECODING = /[%\\\u0000-\u001f\u007f]/;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/** Why `path` (without its query) is malformed, or undefined when it is fine. */
export function pathProblem(path: string): string | undefined {
  if (path.length <= MAX_SEGMENT_CHARS && !NEEDS_DECODING.test(path) && !DOT_SEGMENT.test(path)) return undefined;
  for (const raw of path.split('/')) {
    if (raw.length > MAX_SEGMENT_CHARS) return `a path segment is longer than ${MAX_SEGMENT_CHARS} characters`;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return `path segment '${raw.slice(0, 64)}' is not valid percent-encoding`;
    }
    if (segment === '.' || segment === '..') return 'a path segment may not be . or ..';
    if (FORBIDDEN.test(segment)) return `path segment '${raw.slice(0, 64)}' holds a slash, a backslash or a control character`;
  }
  return undefined;
}

/**
 * Refuses malformed paths with 400. `skip` lists the prefixes of surfaces that answer
 * errors in a shape of their own; they mount this check first in their own router.
 */
export function rejectMalformedPath(options: { skip?: readonly string[] } = {}): RequestHandler {
  const skip = options.skip ?? [];
  return function malformedPath(req, _res, next) {
    const path = req.path;
    if (skip.some((prefix) => path === prefix || path.startsWith(prefix + '/'))) return next();
    const problem = pathProblem(path);
    next(problem ? errors.badRequest(`malformed URL: ${problem}`) : undefined);
  };
}
