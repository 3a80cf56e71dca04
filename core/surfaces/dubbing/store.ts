// Dubs, dubbing voices, presigned upload slots and per-key credits in the hub's SQLite
// database. Every read and change takes the owner (the key id): a key sees only what it
// made. Credits change only inside one SQLite transaction with the status change they pay
// for (`UPDATE … WHERE credits >= cost`), so concurrent calls can never spend a credit twice.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { migrate, type Db } from '../../store/database.ts';

export const DUB_STATUSES = ['new', 'preprocessing', 'preprocessed', 'queued', 'starting', 'processing', 'finalizing', 'done', 'error'] as const;
export type DubStatus = (typeof DUB_STATUSES)[number];
export const VOICE_STATUSES = ['new', 'queued', 'starting', 'processing', 'finalizing', 'done', 'error'] as const;
export type VoiceStatus = (typeof VOICE_STATUSES)[number];

export interface DubRow {
  readonly id: string;
  readonly owner: string;
  readonly voice_id: string | null;
  readonly link: string | null;
  readonly separate: number;
  readonly status: DubStatus;
  readonly input_duration: number | null;
  readonly input_source: 'upload' | 'link';
  readonly pitch_shift: number;
  readonly error_code: string | null;
  readonly error_message: string | null;
  readonly api_credits_used: number;
  readonly api_credits_left: number | null;
  readonly required_credits: number | null;
  readonly completed_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  /** Folder of this dub's files (input, stems, result), relative to the dubbing data folder. */
  readonly folder: string;
  /** How the vocals were separated ('none', a plugin name, or the weight-free fallback's name) and which converter ran. */
  readonly separation: string | null;
  readonly engine: string | null;
  readonly result_format: string | null;
  /** The hub task now (or last) working on it: progress at /ws/progress/{task_id} and /api/tasks/{task_id}/events. */
  readonly task_id: string | null;
}

export interface VoiceRow {
  readonly id: string;
  readonly owner: string;
  readonly name: string;
  readonly status: VoiceStatus;
  readonly separate: number;
  readonly max_minutes: number;
  readonly error_code: string | null;
  readonly error_message: string | null;
  readonly api_credits_used: number;
  readonly api_credits_left: number | null;
  readonly required_credits: number;
  readonly completed_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly folder: string;
  readonly separation: string | null;
  /** Seconds of reference audio stored, once cloned. */
  readonly reference_seconds: number | null;
  /** Public catalogue: set when an operator publishes the voice. */
  readonly seq: number | null;
  readonly languages: string;
  readonly genres: string;
  readonly styles: string;
  readonly task_id: string | null;
}

export interface UploadSlot {
  readonly target: 'dub' | 'voice';
  readonly target_id: string;
  readonly owner: string;
  readonly slot: number;
  readonly file: string | null;
  readonly format: string | null;
}

const MIGRATIONS = [
  {
    id: 1,
    sql: `
      CREATE TABLE dubbing_credits (owner TEXT PRIMARY KEY, credits INTEGER NOT NULL CHECK (credits >= 0));
      CREATE TABLE dubbing_dubs (
        id TEXT PRIMARY KEY, owner TEXT NOT NULL, voice_id TEXT, link TEXT, separate INTEGER NOT NULL,
        status TEXT NOT NULL, input_duration INTEGER, input_source TEXT NOT NULL, pitch_shift INTEGER NOT NULL,
        error_code TEXT, error_message TEXT, api_credits_used INTEGER NOT NULL DEFAULT 0, api_credits_left INTEGER,
        required_credits INTEGER, completed_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        folder TEXT NOT NULL, separation TEXT, engine TEXT, result_format TEXT, task_id TEXT
      );
      CREATE INDEX dubbing_dubs_owner ON dubbing_dubs (owner, created_at);
      CREATE TABLE dubbing_voices (
        id TEXT PRIMARY KEY, owner TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, separate INTEGER NOT NULL,
        max_minutes INTEGER NOT NULL, error_code TEXT, error_message TEXT, api_credits_used INTEGER NOT NULL DEFAULT 0,
        api_credits_left INTEGER, required_credits INTEGER NOT NULL, completed_at TEXT, created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL, folder TEXT NOT NULL, separation TEXT, reference_seconds REAL,
        seq INTEGER UNIQUE, languages TEXT NOT NULL DEFAULT '[]', genres TEXT NOT NULL DEFAULT '[]', styles TEXT NOT NULL DEFAULT '[]', task_id TEXT
      );
      CREATE INDEX dubbing_voices_owner ON dubbing_voices (owner, created_at);
      CREATE TABLE dubbing_uploads (
        token_hash TEXT PRIMARY KEY, target TEXT NOT NULL, target_id TEXT NOT NULL, owner TEXT NOT NULL,
        slot INTEGER NOT NULL, file TEXT, format TEXT, expires_at INTEGER NOT NULL, UNIQUE (target, target_id, slot)
      );
    `,
  },
] as const;

const now = () => new Date().toISOString();
export const digestToken = (token: string) => createHash('sha256').update(token).digest('hex');

export type Spend = { ok: true; left: number } | { ok: false; balance: number };

export function makeDubbingStore(db: Db, options: { initialCredits: number; uploadTtlSeconds: number }) {
  migrate(db, 'dubbing', MIGRATIONS);

  const ensureAccount = db.prepare('INSERT OR IGNORE INTO dubbing_credits (owner, credits) VALUES (?, ?)');
  const balanceOf = db.prepare('SELECT credits FROM dubbing_credits WHERE owner = ?').pluck();
  const debit = db.prepare('UPDATE dubbing_credits SET credits = credits - ? WHERE owner = ? AND credits >= ?');
  const credit = db.prepare('UPDATE dubbing_credits SET credits = credits + ? WHERE owner = ?');
  const getDub = db.prepare('SELECT * FROM dubbing_dubs WHERE id = ? AND owner = ?');
  const getVoice = db.prepare('SELECT * FROM dubbing_voices WHERE id = ? AND owner = ?');

  function credits(owner: string): number {
    ensureAccount.run(owner, options.initialCredits);
    return balanceOf.get(owner) as number;
  }

  /** Takes `cost` from the owner's credits and moves the row from `from` to `to`, or neither. */
  function spendAndMove(table: 'dubbing_dubs' | 'dubbing_voices', id: string, owner: string, from: string, to: string, cost: number): Spend | { ok: false; moved: false } {
    return db.transaction(() => {
      ensureAccount.run(owner, options.initialCredits);
      const row = db.prepare(`SELECT status FROM ${table} WHERE id = ? AND owner = ?`).get(id, owner) as { status: string } | undefined;
      if (!row || row.status !== from) return { ok: false as const, moved: false as const };
      if (debit.run(cost, owner, cost).changes === 0) return { ok: false as const, balance: balanceOf.get(owner) as number };
      const left = balanceOf.get(owner) as number;
      db.prepare(`UPDATE ${table} SET status = ?, api_credits_used = ?, api_credits_left = ?, updated_at = ? WHERE id = ? AND status = ?`).run(to, cost, left, now(), id, from);
      return { ok: true as const, left };
    }).immediate();
  }

  function newUploadSlots(target: 'dub' | 'voice', targetId: string, owner: string, count: number): string[] {
    const insert = db.prepare('INSERT INTO dubbing_uploads (token_hash, target, target_id, owner, slot, expires_at) VALUES (?, ?, ?, ?, ?, ?)');
    const tokens: string[] = [];
    for (let slot = 0; slot < count; slot++) {
      const token = randomBytes(24).toString('base64url');
      insert.run(digestToken(token), target, targetId, owner, slot, Date.now() + options.uploadTtlSeconds * 1000);
      tokens.push(token);
    }
    return tokens;
  }

  return {
    credits,
    setCredits(owner: string, value: number) {
      ensureAccount.run(owner, value);
      db.prepare('UPDATE dubbing_credits SET credits = ? WHERE owner = ?').run(value, owner);
    },

    createDub(row: { owner: string; voiceId: string; link: string | null; separate: boolean; pitchShift: number }): { dub: DubRow; uploadToken: string | null } {
      const id = randomUUID();
      const at = now();
      return db.transaction(() => {
        db.prepare(
          `INSERT INTO dubbing_dubs (id, owner, voice_id, link, separate, status, input_source, pitch_shift, created_at, updated_at, folder)
           VALUES (?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?)`,
        ).run(id, row.owner, row.voiceId, row.link, row.separate ? 1 : 0, row.link ? 'link' : 'upload', row.pitchShift, at, at, `dubs/${id}`);
        const uploadToken = row.link ? null : newUploadSlots('dub', id, row.owner, 1)[0]!;
        return { dub: getDub.get(id, row.owner) as DubRow, uploadToken };
      })();
    },
    dub: (id: string, owner: string) => getDub.get(id, owner) as DubRow | undefined,
    /** A dub by id whoever owns it (for the admin role). */
    anyDub: (id: string) => db.prepare('SELECT * FROM dubbing_dubs WHERE id = ?').get(id) as DubRow | undefined,
    /** Changes a dub's fields; with `from`, only while it is in that status (returns whether it changed). */
    updateDub(id: string, fields: Partial<Omit<DubRow, 'id' | 'owner'>>, from?: DubStatus | readonly DubStatus[]): boolean {
      return update('dubbing_dubs', id, fields, from);
    },
    spendOnDub: (id: string, owner: string, cost: number) => spendAndMove('dubbing_dubs', id, owner, 'preprocessed', 'queued', cost),

    createVoice(row: { owner: string; name: string; numberOfFiles: number; maxMinutes: number; separate: boolean; requiredCredits: number }): { voice: VoiceRow; uploadTokens: string[] } {
      const id = randomUUID();
      const at = now();
      return db.transaction(() => {
        db.prepare(
          `INSERT INTO dubbing_voices (id, owner, name, status, separate, max_minutes, required_credits, created_at, updated_at, folder)
           VALUES (?, ?, ?, 'new', ?, ?, ?, ?, ?, ?)`,
        ).run(id, row.owner, row.name, row.separate ? 1 : 0, row.maxMinutes, row.requiredCredits, at, at, `voices/${id}`);
        const uploadTokens = newUploadSlots('voice', id, row.owner, row.numberOfFiles);
        return { voice: getVoice.get(id, row.owner) as VoiceRow, uploadTokens };
      })();
    },
    voice: (id: string, owner: string) => getVoice.get(id, owner) as VoiceRow | undefined,
    /** A voice by id whoever owns it (the catalogue and the job runner; never answer a client with its owner's data). */
    anyVoice: (id: string) => db.prepare('SELECT * FROM dubbing_voices WHERE id = ?').get(id) as VoiceRow | undefined,
    updateVoice(id: string, fields: Partial<Omit<VoiceRow, 'id' | 'owner'>>, from?: VoiceStatus | readonly VoiceStatus[]): boolean {
      return update('dubbing_voices', id, fields, from);
    },
    spendOnVoice: (id: string, owner: string, cost: number) => spendAndMove('dubbing_voices', id, owner, 'new', 'queued', cost),
    /**
     * Ends a dub or voice in `error` with the credits it was charged given back, in one
     * transaction, unless it is already done or in error (then nothing changes: false).
     */
    fail(table: 'dub' | 'voice', id: string, owner: string, code: string, message: string): boolean {
      const name = table === 'dub' ? 'dubbing_dubs' : 'dubbing_voices';
      return db.transaction(() => {
        const row = db.prepare(`SELECT status, api_credits_used, api_credits_left FROM ${name} WHERE id = ? AND owner = ?`).get(id, owner) as { status: string; api_credits_used: number; api_credits_left: number | null } | undefined;
        if (!row || row.status === 'done' || row.status === 'error') return false;
        let left = row.api_credits_left;
        if (row.api_credits_used > 0) {
          ensureAccount.run(owner, options.initialCredits);
          credit.run(row.api_credits_used, owner);
          left = balanceOf.get(owner) as number;
        }
        db.prepare(`UPDATE ${name} SET status = 'error', error_code = ?, error_message = ?, api_credits_left = ?, completed_at = ?, updated_at = ? WHERE id = ?`).run(code, message, left, now(), now(), id);
        return true;
      }).immediate();
    },
    /** Gives back what a failed job was charged (the row keeps what it cost in apiCreditsUsed). */
    refund(owner: string, amount: number): number {
      return db.transaction(() => {
        ensureAccount.run(owner, options.initialCredits);
        credit.run(amount, owner);
        return balanceOf.get(owner) as number;
      })();
    },

    /** The live slot a presigned token opens, or undefined (unknown or expired). */
    uploadSlot(token: string): UploadSlot | undefined {
      return db.prepare('SELECT target, target_id, owner, slot, file, format FROM dubbing_uploads WHERE token_hash = ? AND expires_at > ?').get(digestToken(token), Date.now()) as UploadSlot | undefined;
    },
    fillSlot(token: string, file: string, format: string) {
      db.prepare('UPDATE dubbing_uploads SET file = ?, format = ? WHERE token_hash = ?').run(file, format, digestToken(token));
    },
    slots(target: 'dub' | 'voice', targetId: string): UploadSlot[] {
      return db.prepare('SELECT target, target_id, owner, slot, file, format FROM dubbing_uploads WHERE target = ? AND target_id = ? ORDER BY slot').all(target, targetId) as UploadSlot[];
    },

    /** Puts a done voice in the public catalogue (at the end of its order: pages already read stay as they were). */
    publish(id: string, tags: { languages: readonly string[]; genres: readonly string[]; styles: readonly string[] }): VoiceRow | undefined {
      return db.transaction(() => {
        const row = db.prepare("SELECT * FROM dubbing_voices WHERE id = ? AND status = 'done'").get(id) as VoiceRow | undefined;
        if (!row) return undefined;
        const seq = row.seq ?? ((db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 FROM dubbing_voices').pluck().get() as number));
        db.prepare('UPDATE dubbing_voices SET seq = ?, languages = ?, genres = ?, styles = ?, updated_at = ? WHERE id = ?').run(seq, JSON.stringify(tags.languages), JSON.stringify(tags.genres), JSON.stringify(tags.styles), now(), id);
        return db.prepare('SELECT * FROM dubbing_voices WHERE id = ?').get(id) as VoiceRow;
      })();
    },
    /** Public voices after `after` (their seq), in seq order; filters: any of each list, all lists. */
    publicVoices(query: { search?: string; languages: readonly string[]; genres: readonly string[]; styles: readonly string[]; after: number; limit: number }): VoiceRow[] {
      const where = ['seq IS NOT NULL', 'seq > ?'];
      const params: unknown[] = [query.after];
      if (query.search) {
        where.push("name LIKE ? ESCAPE '\\' COLLATE NOCASE");
        params.push(`%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      }
      for (const [column, values] of [['languages', query.languages], ['genres', query.genres], ['styles', query.styles]] as const) {
        if (!values.length) continue;
        where.push(`EXISTS (SELECT 1 FROM json_each(dubbing_voices.${column}) WHERE value IN (${values.map(() => '?').join(', ')}))`);
        params.push(...values);
      }
      params.push(query.limit);
      return db.prepare(`SELECT * FROM dubbing_voices WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`).all(...params) as VoiceRow[];
    },
  };

  function update(table: 'dubbing_dubs' | 'dubbing_voices', id: string, fields: Record<string, unknown>, from?: string | readonly string[]): boolean {
    const names = Object.keys(fields);
    const sets = [...names.map((n) => `${n} = ?`), 'updated_at = ?'];
    const values = [...names.map((n) => fields[n]), now()];
    let sql = `UPDATE ${table} SET ${sets.join(', ')} WHERE id = ?`;
    values.push(id);
    if (from !== undefined) {
      const list = typeof from === 'string' ? [from] : from;
      sql += ` AND status IN (${list.map(() => '?').join(', ')})`;
      values.push(...list);
    }
    return db.prepare(sql).run(...values).changes > 0;
  }
}

export type DubbingStore = ReturnType<typeof makeDubbingStore>;
