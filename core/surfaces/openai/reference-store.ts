// Reference voices for cloning: a row per voice in the embedded database, the clip as it
// was uploaded under <dataDir>/voices/. Any plugin that clones voices can use them.
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../../errors.ts';
import { migrate, type Db } from '../../store/database.ts';
import type { UploadedFile } from '../../plugin/types.ts';

export interface ReferenceVoice {
  readonly id: string;
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
  add(voice: { id: string; text: string; source: UploadedFile; format: string; sampleRate: number; duration: number }): Promise<ReferenceVoice>;
  get(id: string): ReferenceVoice | undefined;
  list(): ReferenceVoice[];
  remove(id: string): Promise<void>;
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
];

const EXTENSIONS: Record<string, string> = { wav: 'wav', mp3: 'mp3', flac: 'flac', 'ogg-vorbis': 'ogg', 'ogg-opus': 'opus' };

interface Row {
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
  const insert = deps.db.prepare('INSERT INTO openai_references (id, text, file, format, sample_rate, duration, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const byId = deps.db.prepare('SELECT * FROM openai_references WHERE id = ?');
  const all = deps.db.prepare('SELECT * FROM openai_references ORDER BY created_at, id');
  const remove = deps.db.prepare('DELETE FROM openai_references WHERE id = ?');

  const toVoice = (row: Row): ReferenceVoice => ({
    id: row.id,
    text: row.text,
    path: join(deps.dir, row.file),
    format: row.format,
    sampleRate: row.sample_rate,
    duration: row.duration,
    createdAt: row.created_at,
  });

  return {
    async add(voice) {
      if (byId.get(voice.id)) throw errors.conflict(`reference voice '${voice.id}' already exists; delete it first to replace it`);
      // The file name is ours, never the id or the client's file name.
      const file = `${randomUUID()}.${EXTENSIONS[voice.format] ?? 'audio'}`;
      await mkdir(deps.dir, { recursive: true });
      if (voice.source.bytes) await writeFile(join(deps.dir, file), voice.source.bytes, { flag: 'wx' });
      else await copyFile(voice.source.path, join(deps.dir, file));
      const createdAt = new Date().toISOString();
      try {
        insert.run(voice.id, voice.text, file, voice.format, voice.sampleRate, voice.duration, createdAt);
      } catch (error) {
        await rm(join(deps.dir, file), { force: true });
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw errors.conflict(`reference voice '${voice.id}' already exists`);
        throw error;
      }
      return toVoice(byId.get(voice.id) as Row);
    },
    get: (id) => {
      const row = byId.get(id) as Row | undefined;
      return row && toVoice(row);
    },
    list: () => (all.all() as Row[]).map(toVoice),
    async remove(id) {
      const row = byId.get(id) as Row | undefined;
      if (!row) throw errors.notFound(`reference voice '${id}'`);
      remove.run(id);
      await rm(join(deps.dir, row.file), { force: true });
    },
  };
}
