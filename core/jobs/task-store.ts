// Task records in the embedded SQLite database: what was asked, by whom, where it stands,
// and where its result is. Times are epoch milliseconds.
import { migrate, type Db } from '../store/database.ts';
import type { TaskError, TaskRecord, TaskResult, TaskStatus } from './types.ts';

const MIGRATIONS = [
  {
    id: 1,
    sql: `
      CREATE TABLE tasks (
        id          TEXT PRIMARY KEY,
        owner       TEXT NOT NULL,
        plugin      TEXT NOT NULL,
        method      TEXT NOT NULL,
        path        TEXT NOT NULL,
        input       TEXT NOT NULL,
        format      TEXT NOT NULL,
        request_id  TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'error', 'cancelled')),
        progress    REAL NOT NULL DEFAULT 0,
        stage       TEXT NOT NULL,
        message     TEXT NOT NULL DEFAULT '',
        error       TEXT,
        result      TEXT,
        attempts    INTEGER NOT NULL DEFAULT 0,
        created_at  INTEGER NOT NULL,
        started_at  INTEGER,
        finished_at INTEGER,
        expires_at  INTEGER
      );
      CREATE INDEX tasks_owner_created ON tasks (owner, created_at DESC, id DESC);
      CREATE INDEX tasks_created ON tasks (created_at DESC, id DESC);
      CREATE INDEX tasks_status ON tasks (status, created_at);
      CREATE INDEX tasks_expires ON tasks (expires_at) WHERE expires_at IS NOT NULL;
    `,
  },
];

interface Row {
  id: string;
  owner: string;
  plugin: string;
  method: string;
  path: string;
  input: string;
  format: string;
  request_id: string;
  status: TaskStatus;
  progress: number;
  stage: string;
  message: string;
  error: string | null;
  result: string | null;
  attempts: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  expires_at: number | null;
}

function fromRow(row: Row): TaskRecord {
  return {
    id: row.id,
    owner: row.owner,
    plugin: row.plugin,
    method: row.method,
    path: row.path,
    input: JSON.parse(row.input) as Record<string, unknown>,
    format: row.format,
    requestId: row.request_id,
    status: row.status,
    progress: row.progress,
    stage: row.stage,
    message: row.message,
    error: row.error === null ? undefined : (JSON.parse(row.error) as TaskError),
    result: row.result === null ? undefined : (JSON.parse(row.result) as TaskResult),
    attempts: row.attempts,
    createdAt: row.created_at,
    startedAt: row.started_at ?? undefined,
    finishedAt: row.finished_at ?? undefined,
    expiresAt: row.expires_at ?? undefined,
  };
}

export type NewTask = Pick<TaskRecord, 'id' | 'owner' | 'plugin' | 'method' | 'path' | 'input' | 'format' | 'requestId' | 'createdAt'>;

export interface Finish {
  readonly status: 'done' | 'error' | 'cancelled';
  readonly stage: string;
  readonly message: string;
  readonly progress?: number;
  readonly error?: TaskError;
  readonly result?: TaskResult;
  readonly finishedAt: number;
  readonly expiresAt: number;
}

/** Newest first; `after` is the last task of the previous page. */
export interface ListQuery {
  /** Only this owner's tasks; undefined lists everyone's (admin). */
  readonly owner: string | undefined;
  readonly status: TaskStatus | undefined;
  readonly limit: number;
  readonly after: { readonly createdAt: number; readonly id: string } | undefined;
}

export interface TaskStore {
  insert(task: NewTask): void;
  get(id: string): TaskRecord | undefined;
  /** False when the task is no longer queued: another process cancelled it a moment before. */
  markRunning(id: string, startedAt: number): boolean;
  saveProgress(id: string, progress: number, stage: string, message: string): void;
  /** Records the final state unless the task already finished (a cancel won the race). */
  finish(id: string, finish: Finish): boolean;
  requeue(id: string, message: string): void;
  withStatus(status: TaskStatus): TaskRecord[];
  list(query: ListQuery): TaskRecord[];
  expired(now: number): string[];
  /** Bytes of stored results (done tasks), of one owner or of everyone. */
  resultBytes(owner: string | undefined): number;
  /** Done tasks with a stored result, oldest first. */
  oldestResults(owner: string | undefined, limit: number): { id: string; bytes: number }[];
  ids(): Set<string>;
  remove(id: string): void;
}

export function makeTaskStore(deps: { db: Db }): TaskStore {
  const { db } = deps;
  migrate(db, 'jobs', MIGRATIONS);
  const insert = db.prepare(
    `INSERT INTO tasks (id, owner, plugin, method, path, input, format, request_id, status, stage, created_at)
     VALUES (@id, @owner, @plugin, @method, @path, @input, @format, @requestId, 'queued', 'queued', @createdAt)`,
  );
  const get = db.prepare('SELECT * FROM tasks WHERE id = ?');
  const markRunning = db.prepare(
    `UPDATE tasks SET status = 'running', stage = 'running', message = '', progress = 0, attempts = attempts + 1, started_at = ? WHERE id = ? AND status = 'queued'`,
  );
  const saveProgress = db.prepare(`UPDATE tasks SET progress = ?, stage = ?, message = ? WHERE id = ? AND status = 'running'`);
  const finish = db.prepare(
    `UPDATE tasks SET status = @status, stage = @stage, message = @message, progress = COALESCE(@progress, progress),
       error = @error, result = @result, finished_at = @finishedAt, expires_at = @expiresAt
     WHERE id = @id AND status IN ('queued', 'running')`,
  );
  const requeue = db.prepare(`UPDATE tasks SET status = 'queued', stage = 'queued', message = ?, progress = 0, started_at = NULL WHERE id = ?`);
  const withStatus = db.prepare('SELECT * FROM tasks WHERE status = ? ORDER BY created_at, id');
  const expired = db.prepare('SELECT id FROM tasks WHERE expires_at IS NOT NULL AND expires_at <= ?').pluck();
  const ids = db.prepare('SELECT id FROM tasks').pluck();
  const bytesOf = "COALESCE(json_extract(result, '$.bytes'), 0)";
  const resultBytesAll = db.prepare(`SELECT COALESCE(SUM(${bytesOf}), 0) FROM tasks WHERE status = 'done'`).pluck();
  const resultBytesOf = db.prepare(`SELECT COALESCE(SUM(${bytesOf}), 0) FROM tasks WHERE status = 'done' AND owner = ?`).pluck();
  const oldestAll = db.prepare(`SELECT id, ${bytesOf} AS bytes FROM tasks WHERE status = 'done' ORDER BY finished_at, id LIMIT ?`);
  const oldestOf = db.prepare(`SELECT id, ${bytesOf} AS bytes FROM tasks WHERE status = 'done' AND owner = ? ORDER BY finished_at, id LIMIT ?`);
  const remove = db.prepare('DELETE FROM tasks WHERE id = ?');

  return {
    insert: (task) => void insert.run({ ...task, input: JSON.stringify(task.input) }),
    get: (id) => {
      const row = get.get(id) as Row | undefined;
      return row && fromRow(row);
    },
    markRunning: (id, startedAt) => markRunning.run(startedAt, id).changes === 1,
    saveProgress: (id, progress, stage, message) => void saveProgress.run(progress, stage, message, id),
    finish: (id, f) =>
      finish.run({
        id,
        status: f.status,
        stage: f.stage,
        message: f.message,
        progress: f.progress ?? null,
        error: f.error ? JSON.stringify(f.error) : null,
        result: f.result ? JSON.stringify(f.result) : null,
        finishedAt: f.finishedAt,
        expiresAt: f.expiresAt,
      }).changes === 1,
    requeue: (id, message) => void requeue.run(message, id),
    withStatus: (status) => (withStatus.all(status) as Row[]).map(fromRow),
    list(query) {
      const where: string[] = [];
      const params: unknown[] = [];
      const filter = (clause: string, ...values: unknown[]) => {
        where.push(clause);
        params.push(...values);
      };
      if (query.owner !== undefined) filter('owner = ?', query.owner);
      if (query.status !== undefined) filter('status = ?', query.status);
      if (query.after) filter('(created_at < ? OR (created_at = ? AND id < ?))', query.after.createdAt, query.after.createdAt, query.after.id);
      const sql = `SELECT * FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`;
      return (db.prepare(sql).all(...params, query.limit) as Row[]).map(fromRow);
    },
    expired: (now) => expired.all(now) as string[],
    ids: () => new Set(ids.all() as string[]),
    resultBytes: (owner) => (owner === undefined ? resultBytesAll.get() : resultBytesOf.get(owner)) as number,
    oldestResults: (owner, limit) => (owner === undefined ? oldestAll.all(limit) : oldestOf.all(owner, limit)) as { id: string; bytes: number }[],
    remove: (id) => void remove.run(id),
  };
}
