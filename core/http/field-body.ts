// Bodies made only of fields (JSON, urlencoded) and the query string, read strictly: a
// size cap enforced while the bytes arrive, UTF-8 or nothing, and a field given twice is
// an error rather than a silent pick of the first or last value.
import type { Request } from 'express';
import { errors } from '../errors.ts';
import { duplicateKey } from './json-duplicates.ts';
import { formatBytes } from './format-bytes.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads the whole body, failing with 413 the moment it passes `limit` bytes. */
export function readWithin(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      req.pause();
      reject(errors.payloadTooLarge(`request body exceeds the ${formatBytes(limit)} limit for field bodies`));
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onClose = () => {
      if (req.complete) return;
      stop();
      reject(errors.badRequest('request aborted by the client'));
    };
    const onError = (error: Error) => {
      stop();
      reject(errors.badRequest(`request body could not be read: ${error.message}`));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onError);
  });
}

export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw errors.badRequest(`${what} is not valid UTF-8`);
  }
}

export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown;
  const text = decodeUtf8(bytes, 'JSON body');
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) throw errors.malformedJson(error.message);
    throw error;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw errors.badRequest('JSON body must be an object of fields');
  const duplicate = duplicateKey(text);
  if (duplicate) {
    const field = duplicate.path ? `${duplicate.path}.${duplicate.key}` : duplicate.key;
    throw errors.invalidField(field, 'is given twice in the JSON body; send each key once');
  }
  return value as Record<string, unknown>;
}

/**
 * `a=1&b=two` → `{ a: '1', b: 'two' }`. Percent-escapes must decode to UTF-8 (the
 * lenient parsers turn bad bytes into U+FFFD silently); a name given twice is refused.
 */
export function parseUrlEncoded(text: string, where: 'query string' | 'form body', maxFields: number): Record<string, string> {
  const out: Record<string, string> = {};
  let count = 0;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    if (++count > maxFields) throw errors.payloadTooLarge(`too many fields in the ${where}: at most ${maxFields}`);
    const eq = pair.indexOf('=');
    const [rawName, rawValue] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    const name = decodeComponent(rawName, where);
    if (name === '__proto__') throw errors.badRequest(`field name '__proto__' in the ${where} is not acceptable`);
    if (Object.hasOwn(out, name)) throw errors.badRequest(`field '${name}' was sent more than once in the ${where}`);
    out[name] = decodeComponent(rawValue, where);
  }
  return out;
}

function decodeComponent(raw: string, where: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw errors.badRequest(`the ${where} holds '${raw.slice(0, 40)}', which is not valid percent-encoded UTF-8`);
  }
}

/** The query string of the original URL, parsed strictly. */
export function strictQuery(req: Request, maxFields: number): Record<string, string> {
  const url = req.originalUrl ?? req.url;
  const mark = url.indexOf('?');
  return mark < 0 ? {} : parseUrlEncoded(url.slice(mark + 1), 'query string', maxFields);
}
