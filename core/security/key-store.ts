// API keys in the embedded database: created (the key is returned once), listed, revoked,
// and checked on every request. Rows hold the key's digest, never the key.
import { migrate, type Db } from '../store/database.ts';
import { generateKey, hashKey, keyIdOf, sameDigest } from './key-format.ts';

export const ROLES = ['admin', 'user'] as const;
export type Role = (typeof ROLES)[number];

export interface KeyLimits {
  readonly perMinute?: number;
  readonly perHour?: number;
}

export interface KeyRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly limits: KeyLimits;
}

export interface NewKey {
  readonly name: string;
  readonly role: Role;
  readonly expiresAt?: Date;
  readonly limits?: KeyLimits;
}

export type KeyCheck =
  | { readonly ok: true; readonly record: KeyRecord }
  | { readonly ok: false; readonly reason: 'unknown' | 'revoked' | 'expired' };

export interface KeyStore {
  create(input: NewKey): { record: KeyRecord; key: string };
  list(): KeyRecord[];
  get(id: string): KeyRecord | undefined;
  /** Marks the key revoked; false when no key has that id. */
  revoke(id: string): boolean;
  /** Finds the key a client presented; compares digests in constant time. */
  check(presented: string, now?: Date): KeyCheck;
  /** Records use (at most once a minute per key, to keep writes off the hot path). */
  touch(id: string, now?: Date): void;
  hasActiveAdmin(now?: Date): boolean;
}

const MIGRATIONS = [
  {
    id: 1,
    sql: `CREATE TABLE api_keys (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('admin', 'user')),
      hash BLOB NOT NULL,
      created_at TEXT NOT NULL,
      last_used_at TEXT,
      expires_at TEXT,
      revoked_at TEXT,
      per_minute INTEGER CHECK (per_minute IS NULL OR per_minute > 0),
      per_hour INTEGER CHECK (per_hour IS NULL OR per_hour > 0)
    )`,
  },
];

interface Row {
  id: string;
  name: string;
  role: Role;
  hash: Buffer;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  per_minute: number | null;
  per_hour: number | null;
}

const toRecord = (row: Row): KeyRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  limits: { ...(row.per_minute ? { perMinute: row.per_minute } : {}), ...(row.per_hour ? { perHour: row.per_hour } : {}) },
});

const TOUCH_INTERVAL_MS = 60_000;
/** Compared against when the id is unknown, so both paths do the same work. */
const DUMMY_DIGEST = hashKey('no such key');

export function makeKeyStore(deps: { db: Db }): KeyStore {
  const { db } = deps;
  migrate(db, 'keys', MIGRATIONS);
  const insert = db.prepare(
    'INSERT INTO api_keys (id, name, role, hash, created_at, expires_at, per_minute, per_hour) VALUES (@id, @name, @role, @hash, @created_at, @expires_at, @per_minute, @per_hour)',
  );
  const byId = db.prepare<[string], Row>('SELECT * FROM api_keys WHERE id = ?');
  const all = db.prepare<[], Row>('SELECT * FROM api_keys ORDER BY created_at, id');
  const markRevoked = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const markUsed = db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?');
  const activeAdmins = db
    .prepare<[string], number>("SELECT COUNT(*) FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)")
    .pluck();
  const lastTouched = new Map<string, number>();

  return {
    create(input) {
      const generated = generateKey();
      insert.run({
        id: generated.id,
        name: input.name,
        role: input.role,
        hash: generated.hash,
        created_at: new Date().toISOString(),
        expires_at: input.expiresAt?.toISOString() ?? null,
        per_minute: input.limits?.perMinute ?? null,
        per_hour: input.limits?.perHour ?? null,
      });
      return { record: toRecord(byId.get(generated.id)!), key: generated.key };
    },
    list: () => all.all().map(toRecord),
    get(id) {
      const row = byId.get(id);
      return row && toRecord(row);
    },
    revoke(id) {
      if (!byId.get(id)) return false;
      markRevoked.run(new Date().toISOString(), id);
      return true;
    },
    check(presented, now = new Date()) {
      const id = keyIdOf(presented);
      const row = id === undefined ? undefined : byId.get(id);
      const matches = sameDigest(hashKey(presented), row?.hash ?? DUMMY_DIGEST);
      if (!row || !matches) return { ok: false, reason: 'unknown' };
      if (row.revoked_at) return { ok: false, reason: 'revoked' };
      if (row.expires_at && row.expires_at <= now.toISOString()) return { ok: false, reason: 'expired' };
      return { ok: true, record: toRecord(row) };
    },
    touch(id, now = new Date()) {
      const last = lastTouched.get(id) ?? 0;
      if (now.getTime() - last < TOUCH_INTERVAL_MS) return;
      lastTouched.set(id, now.getTime());
      markUsed.run(now.toISOString(), id);
    },
    hasActiveAdmin: (now = new Date()) => activeAdmins.get(now.toISOString())! > 0,
  };
}
