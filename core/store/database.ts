// The embedded SQLite database (one file under the data directory). Each module owns its
// tables and hands its migrations to `migrate` under its own name; applied steps are
// recorded so each runs once.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { HubConfig } from '../config/load-config.ts';
import { ensurePrivateDir, ensurePrivateFile } from './private-files.ts';

export type Db = Database.Database;

export interface Migration {
  readonly id: number;
  readonly sql: string;
}

export function openDatabase(deps: { config: HubConfig }): Db {
  ensurePrivateDir(deps.config.dataDir);
  const path = join(deps.config.dataDir, 'hub.db');
  // SQLite gives its -wal and -shm files the database file's mode: 0600 for all three.
  ensurePrivateFile(path, [`${path}-wal`, `${path}-shm`]);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS migrations (module TEXT NOT NULL, id INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (module, id))');
  return db;
}

/** Applies the module's migrations that have not run yet, in id order, each in a transaction. */
export function migrate(db: Db, module: string, migrations: readonly Migration[]): void {
  const applied = new Set(db.prepare('SELECT id FROM migrations WHERE module = ?').pluck().all(module) as number[]);
  const record = db.prepare('INSERT INTO migrations (module, id, applied_at) VALUES (?, ?, ?)');
  for (const step of [...migrations].sort((a, b) => a.id - b.id)) {
    if (applied.has(step.id)) continue;
    db.transaction(() => {
      db.exec(step.sql);
      record.run(module, step.id, new Date().toISOString());
    })();
  }
}
