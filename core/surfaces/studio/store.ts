// Voice profiles, their samples and the generation history in the hub's SQLite database.
// Every query takes the viewer: a key sees only what it made; the admin role sees all.
// History search is SQLite FTS5 with the trigram tokenizer over the text and the profile
// name, so it finds substrings (as the seed's LIKE search does) in any script, Chinese
// included; terms under three characters, which trigrams cannot index, fall back to LIKE.
import { randomUUID } from 'node:crypto';
import { errors } from '../../errors.ts';
import { migrate, type Db } from '../../store/database.ts';

export interface Viewer {
  readonly owner: string;
  readonly admin: boolean;
}

export interface Profile {
  readonly id: string;
  readonly owner: string;
  readonly name: string;
  readonly description: string | null;
  readonly language: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface Sample {
  readonly id: string;
  readonly profile_id: string;
  readonly file: string;
  readonly format: string;
  readonly duration: number;
  readonly reference_text: string;
  readonly created_at: string;
}

export interface Generation {
  readonly id: string;
  readonly owner: string;
  readonly profile_id: string;
  readonly profile_name: string;
  readonly text: string;
  readonly language: string;
  readonly file: string;
  readonly duration: number;
  readonly seed: number | null;
  readonly engine: string;
  readonly created_at: string;
}

const MIGRATIONS = [
  {
    id: 1,
    sql: `
      CREATE TABLE studio_profiles (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        language TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX studio_profiles_owner ON studio_profiles (owner, created_at);
      CREATE TABLE studio_samples (
        id TEXT PRIMARY KEY,
        profile_id TEXT NOT NULL REFERENCES studio_profiles (id) ON DELETE CASCADE,
        file TEXT NOT NULL,
        format TEXT NOT NULL,
        duration REAL NOT NULL,
        reference_text TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX studio_samples_profile ON studio_samples (profile_id, created_at);
      CREATE TABLE studio_generations (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        profile_id TEXT NOT NULL REFERENCES studio_profiles (id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        language TEXT NOT NULL,
        file TEXT NOT NULL,
        duration REAL NOT NULL,
        seed INTEGER,
        engine TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX studio_generations_owner ON studio_generations (owner, created_at DESC);
      CREATE INDEX studio_generations_profile ON studio_generations (profile_id, created_at DESC);
      CREATE VIRTUAL TABLE studio_generations_fts USING fts5 (text, profile_name, tokenize = 'trigram');
      CREATE TRIGGER studio_generations_fts_insert AFTER INSERT ON studio_generations BEGIN
        INSERT INTO studio_generations_fts (rowid, text, profile_name)
          VALUES (new.rowid, new.text, (SELECT name FROM studio_profiles WHERE id = new.profile_id));
      END;
      CREATE TRIGGER studio_generations_fts_delete AFTER DELETE ON studio_generations BEGIN
        DELETE FROM studio_generations_fts WHERE rowid = old.rowid;
      END;
      CREATE TRIGGER studio_profiles_fts_rename AFTER UPDATE OF name ON studio_profiles BEGIN
        UPDATE studio_generations_fts SET profile_name = new.name
          WHERE rowid IN (SELECT rowid FROM studio_generations WHERE profile_id = new.id);
      END;
    `,
  },
];

const GENERATION_COLUMNS = 'g.id, g.owner, g.profile_id, p.name AS profile_name, g.text, g.language, g.file, g.duration, g.seed, g.engine, g.created_at';

/** FTS5 phrase for one search term: quotes doubled, so the client's text is never query syntax. */
const phrase = (term: string) => `"${term.replace(/"/g, '""')}"`;
const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface HistoryQuery {
  readonly profileId?: string;
  readonly search?: string;
  readonly limit: number;
  readonly offset: number;
}

export interface StudioStore {
  createProfile(viewer: Viewer, fields: { name: string; description: string | null; language: string }): Profile;
  listProfiles(viewer: Viewer): Profile[];
  /** 404 when it does not exist or belongs to another key. */
  profile(viewer: Viewer, id: string): Profile;
  updateProfile(viewer: Viewer, id: string, fields: { name: string; description: string | null; language: string }): Profile;
  /** Deletes the profile, its samples and its generations; returns the files to remove. */
  deleteProfile(viewer: Viewer, id: string): string[];

  /** Inserts the row for a file already written; the row is the commit point. */
  addSample(viewer: Viewer, profileId: string, sample: { file: string; format: string; duration: number; reference_text: string }): Sample;
  samples(viewer: Viewer, profileId: string): Sample[];
  /** Deletes the sample; returns its file to remove. */
  deleteSample(viewer: Viewer, id: string): string;

  addGeneration(viewer: Viewer, generation: Omit<Generation, 'id' | 'owner' | 'profile_name' | 'created_at'> & { id?: string }): Generation;
  generation(viewer: Viewer, id: string): Generation;
  history(viewer: Viewer, query: HistoryQuery): { items: Generation[]; total: number };
  deleteGeneration(viewer: Viewer, id: string): string;
  stats(viewer: Viewer): { total_generations: number; total_duration: number; total_profiles: number; generations_by_profile: { profile_id: string; profile_name: string; count: number; duration: number }[] };

  /** Every stored file name (for the boot-time sweep). */
  files(): Set<string>;
}

export function makeStudioStore(db: Db): StudioStore {
  migrate(db, 'studio', MIGRATIONS);
  const now = () => new Date().toISOString();
  /** The ownership clause every query carries: `owner = ?` unless the viewer is admin. */
  const mine = (viewer: Viewer, column: string): [string, unknown[]] => (viewer.admin ? ['1 = 1', []] : [`${column} = ?`, [viewer.owner]]);

  const profile = (viewer: Viewer, id: string): Profile => {
    const [clause, args] = mine(viewer, 'owner');
    const row = db.prepare(`SELECT * FROM studio_profiles WHERE id = ? AND ${clause}`).get(id, ...args) as Profile | undefined;
    if (!row) throw errors.notFound(`profile '${id}'`);
    return row;
  };

  const generation = (viewer: Viewer, id: string): Generation => {
    const [clause, args] = mine(viewer, 'g.owner');
    const row = db.prepare(`SELECT ${GENERATION_COLUMNS} FROM studio_generations g JOIN studio_profiles p ON p.id = g.profile_id WHERE g.id = ? AND ${clause}`).get(id, ...args) as Generation | undefined;
    if (!row) throw errors.notFound(`generation '${id}'`);
    return row;
  };

  return {
    createProfile(viewer, fields) {
      const id = randomUUID();
      const at = now();
      db.prepare('INSERT INTO studio_profiles (id, owner, name, description, language, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(id, viewer.owner, fields.name, fields.description, fields.language, at, at);
      return profile(viewer, id);
    },
    listProfiles(viewer) {
      const [clause, args] = mine(viewer, 'owner');
      return db.prepare(`SELECT * FROM studio_profiles WHERE ${clause} ORDER BY created_at DESC, id`).all(...args) as Profile[];
    },
    profile,
    updateProfile(viewer, id, fields) {
      profile(viewer, id);
      db.prepare('UPDATE studio_profiles SET name = ?, description = ?, language = ?, updated_at = ? WHERE id = ?').run(fields.name, fields.description, fields.language, now(), id);
      return profile(viewer, id);
    },
    deleteProfile(viewer, id) {
      return db.transaction(() => {
        profile(viewer, id);
        const files = [
          ...(db.prepare('SELECT file FROM studio_samples WHERE profile_id = ?').pluck().all(id) as string[]),
          ...(db.prepare('SELECT file FROM studio_generations WHERE profile_id = ?').pluck().all(id) as string[]),
        ];
        db.prepare('DELETE FROM studio_profiles WHERE id = ?').run(id); // samples and generations cascade
        return files;
      })();
    },

    addSample(viewer, profileId, sample) {
      const id = randomUUID();
      db.transaction(() => {
        profile(viewer, profileId);
        db.prepare('INSERT INTO studio_samples (id, profile_id, file, format, duration, reference_text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(id, profileId, sample.file, sample.format, sample.duration, sample.reference_text, now());
      })();
      return db.prepare('SELECT * FROM studio_samples WHERE id = ?').get(id) as Sample;
    },
    samples(viewer, profileId) {
      profile(viewer, profileId);
      return db.prepare('SELECT * FROM studio_samples WHERE profile_id = ? ORDER BY created_at, rowid').all(profileId) as Sample[];
    },
    deleteSample(viewer, id) {
      return db.transaction(() => {
        const [clause, args] = mine(viewer, 'p.owner');
        const row = db.prepare(`SELECT s.file FROM studio_samples s JOIN studio_profiles p ON p.id = s.profile_id WHERE s.id = ? AND ${clause}`).get(id, ...args) as { file: string } | undefined;
        if (!row) throw errors.notFound(`sample '${id}'`);
        db.prepare('DELETE FROM studio_samples WHERE id = ?').run(id);
        return row.file;
      })();
    },

    addGeneration(viewer, g) {
      const id = g.id ?? randomUUID();
      db.transaction(() => {
        profile(viewer, g.profile_id); // deleted while it generated: no row, the caller removes the file
        db.prepare('INSERT INTO studio_generations (id, owner, profile_id, text, language, file, duration, seed, engine, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(id, viewer.owner, g.profile_id, g.text, g.language, g.file, g.duration, g.seed, g.engine, now());
      })();
      return generation(viewer, id);
    },
    generation,
    history(viewer, query) {
      const [clause, args] = mine(viewer, 'g.owner');
      const where = [clause];
      const params = [...args];
      if (query.profileId !== undefined) {
        where.push('g.profile_id = ?');
        params.push(query.profileId);
      }
      for (const term of (query.search ?? '').split(/\s+/).filter(Boolean)) {
        if ([...term].length >= 3) {
          where.push('g.rowid IN (SELECT rowid FROM studio_generations_fts WHERE studio_generations_fts MATCH ?)');
          params.push(phrase(term));
        } else {
          where.push("(g.text LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\')");
          params.push(likePattern(term), likePattern(term));
        }
      }
      const from = `FROM studio_generations g JOIN studio_profiles p ON p.id = g.profile_id WHERE ${where.join(' AND ')}`;
      const total = db.prepare(`SELECT count(*) ${from}`).pluck().get(...params) as number;
      const items = db.prepare(`SELECT ${GENERATION_COLUMNS} ${from} ORDER BY g.created_at DESC, g.rowid DESC LIMIT ? OFFSET ?`).all(...params, query.limit, query.offset) as Generation[];
      return { items, total };
    },
    deleteGeneration(viewer, id) {
      return db.transaction(() => {
        const { file } = generation(viewer, id);
        db.prepare('DELETE FROM studio_generations WHERE id = ?').run(id);
        return file;
      })();
    },
    stats(viewer) {
      const [clause, args] = mine(viewer, 'g.owner');
      const byProfile = db
        .prepare(`SELECT g.profile_id, p.name AS profile_name, count(*) AS count, sum(g.duration) AS duration FROM studio_generations g JOIN studio_profiles p ON p.id = g.profile_id WHERE ${clause} GROUP BY g.profile_id ORDER BY count DESC, p.name`)
        .all(...args) as { profile_id: string; profile_name: string; count: number; duration: number }[];
      const [profileClause, profileArgs] = mine(viewer, 'owner');
      return {
        total_generations: byProfile.reduce((n, p) => n + p.count, 0),
        total_duration: Math.round(byProfile.reduce((n, p) => n + p.duration, 0) * 1000) / 1000,
        total_profiles: db.prepare(`SELECT count(*) FROM studio_profiles WHERE ${profileClause}`).pluck().get(...profileArgs) as number,
        generations_by_profile: byProfile.map((p) => ({ ...p, duration: Math.round(p.duration * 1000) / 1000 })),
      };
    },

    files() {
      return new Set([...(db.prepare('SELECT file FROM studio_samples').pluck().all() as string[]), ...(db.prepare('SELECT file FROM studio_generations').pluck().all() as string[])]);
    },
  };
}
