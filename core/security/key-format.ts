// What an API key looks like: `hub_<id>_<secret>`. The id is public (it names the key in
// lists and logs) and finds the row; the 256-bit secret is what proves possession. Only
// the SHA-256 of the whole key is stored: with 256 bits of entropy a fast hash is enough
// (slow hashes guard low-entropy passwords), and it keeps authentication cheap per request.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY_PATTERN = /^hub_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedKey {
  readonly id: string;
  /** The full key, shown once and never stored. */
  readonly key: string;
  readonly hash: Buffer;
}

export function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function generateKey(): GeneratedKey {
  const id = randomBytes(8).toString('hex');
  const key = `hub_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, hash: hashKey(key) };
}

/** The id inside a well-formed key, or undefined for anything else. */
export function keyIdOf(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

/** Constant-time equality of two digests (both SHA-256, so equal length). */
export function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
