// Reference voices for cloning: a row per voice in the embedded database, the clip as it
// was uploaded under <dataDir>/voices/. Any plugin that clones voices can use them.
// A voice belongs to the key that made it (someone's recorded voice): every query takes
// the caller, ids are unique per owner, and only the admin role sees other keys' voices.
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../../errors.ts';
import { migrate, type Db } from '../../store/database.ts';
import type { UploadedFile } from '../../plugin/types.ts';
import type { Principal } from '../../http/request-types.ts';

/** Who asks: the key id owns what it makes; admin sees every key's voices. */
export type ReferenceViewer = Pick<Principal, 'keyId' | 'role'>;

export interface ReferenceVoice {
  readonly id: string;
  /** Key id of the key that made it. */
  readonly owner: string;
  readonly text: string;
  /** Absolute path of the stored clip. */
  readonly path: string;
  /** Sniffed format of the clip (wav, mp3, flac, ogg-vorbis, ogg-opus). */
  readonly format: string;
  readonly sampleRate: number;
  readonly duration: number;
  readonly createdAt: string;
}

export interface ReferenceStore {
  add(viewer: ReferenceViewer, voice: { id: string; text: string; source: UploadedFile; format: string; sampleRate: number; duration: number }): Promise<ReferenceVoice>;
  /** The caller's own voice of that id; for admin, else the oldest of any key. */
  get(viewer: ReferenceViewer, id: string): ReferenceVoice | undefined;
  /** The caller's voices; for admin, every key's. */
  list(viewer: ReferenceViewer): ReferenceVoice[];
  remove(viewer: ReferenceViewer, id: string): Promise<void>;
}

const MIGRATIONS = [
  {
    id: 1,
    sql: `CREATE TABLE openai_references (
      id TEXT PRIMARY KEY,
      text TEXT NOT NULL,
      file TEXT NOT NULL,
      format TEXT NOT NULL,
      sample_rate INTEGER NOT NULL,
      duration REAL NOT NULL,
      created_at TEXT NOT NULL
    )`,
  },
  {
    // Ownership (issue 26 §0.3): ids become unique per owner. Voices made before owners were
    // recorded belong to no key ('unowned'): only admin keys see, use or delete them.
    id: 2,
    sql: `CREATE TABLE openai_references_owned (
      owner TEXT NOT NULL,
      id TEXT NOT NULL,
      text TEXT NOT NULL,
      file TEXT NOT NULL,
      format TEXT NOT NULL,
      sample_rate INTEGER NOT NULL,
      duration REAL NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (owner, id)
    );
    INSERT INTO openai_references_owned SELECT 'unowned', id, text, file, format, sample_rate, duration, created_at FROM openai_references;
    DROP TABLE openai_references;
    ALTER TABLE openai_references_owned RENAME TO openai_references;`,
  },
];

const EXTENSIONS: Record<string, string> = { wav: 'wav', mp3: 'mp3', flac: 'flac', 'ogg-vorbis': 'ogg', 'ogg-opus': 'opus' };

interface Row {
  owner: string;
  id: string;
  text: string;
  file: string;
  format: string;
  sample_rate: number;
  duration: number;
  created_at: string;
}

export function makeReferenceStore(deps: { db: Db; dir: string }): ReferenceStore {
  migrate(deps.db, 'openai', MIGRATIONS);
  const insert = deps.db.prepare('INSERT INTO openai_references (owner, id, text, file, format, sample_rate, duration, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const ownById = deps.db.prepare('SELECT * FROM openai_references WHERE owner = ? AND id = ?');
  const anyById = deps.db.prepare('SELECT * FROM openai_references WHERE id = ? ORDER BY created_at, owner LIMIT 1');
  const own = deps.db.prepare('SELECT * FROM openai_references WHERE owner = ? ORDER BY created_at, id');
  const all = deps.db.prepare('SELECT * FROM openai_references ORDER BY created_at, id');
  const remove = deps.db.prepare('DELETE FROM openai_references WHERE owner = ? AND id = ?');

  const find = (viewer: ReferenceViewer, id: string): Row | undefined =>
    (ownById.get(viewer.keyId, id) as Row | undefined) ?? (viewer.role === 'admin' ? (anyById.get(id) as Row | undefined) : undefined);

  const toVoice = (row: Row): ReferenceVoice => ({
    id: row.id,
    owner: row.owner,
    text: row.text,
    path: join(deps.dir, row.file),
    format: row.format,
    sampleRate: row.sample_rate,
    duration: row.duration,
    createdAt: row.created_at,
  });

  return {
    async add(viewer, voice) {
      if (ownById.get(viewer.keyId, voice.id)) throw errors.conflict(`reference voice '${voice.id}' already exists; delete it first to replace it`);
      // The file name is ours, never the id or the client's file name.
      const file = `${randomUUID()}.${EXTENSIONS[voice.format] ?? 'audio'}`;
      await mkdir(deps.dir, { recursive: true });
      if (voice.source.bytes) await writeFile(join(deps.dir, file), voice.source.bytes, { flag: 'wx' });
      else await copyFile(voice.source.path, join(deps.dir, file));
      const createdAt = new Date().toISOString();
      try {
        insert.run(viewer.keyId, voice.id, voice.text, file, voice.format, voice.sampleRate, voice.duration, createdAt);
      } catch (error) {
        await rm(join(deps.dir, file), { force: true });
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw errors.conflict(`reference voice '${voice.id}' already exists`);
        throw error;
      }
      return toVoice(ownById.get(viewer.keyId, voice.id) as Row);
    },
    get: (viewer, id) => {
      const row = find(viewer, id);
      return row && toVoice(row);
    },
    list: (viewer) => ((viewer.role === 'admin' ? all.all() : own.all(viewer.keyId)) as Row[]).map(toVoice),
    async remove(viewer, id) {
      // Another key's voice is "not found", exactly like one that never existed.
      const row = find(viewer, id);
      if (!row) throw errors.notFound(`reference voice '${id}'`);
      remove.run(row.owner, row.id);
      await rm(join(deps.dir, row.file), { force: true });
    },
  };
}
