// How a task looks to clients: the status JSON, the progress event of its current state,
// and the URLs that follow it. URLs are paths relative to the hub, as `Location` is.
import type { TaskRecord, ProgressEvent } from './types.ts';

export function taskUrls(id: string) {
  return {
    status_url: `/api/tasks/${id}`,
    progress_url: `/ws/progress/${id}`,
    events_url: `/api/tasks/${id}/events`,
    result_url: `/api/tasks/${id}/result`,
  };
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function taskView(task: TaskRecord) {
  return {
    task_id: task.id,
    status: task.status,
    progress: task.progress,
    stage: task.stage,
    message: task.message,
    plugin: task.plugin,
    // Plugin routes are stored relative to /api; a surface's own calls (runHere) with their full path.
    route: task.input.surface === undefined ? `${task.method} /api${task.path}` : `${task.method} ${task.path}`,
    attempts: task.attempts,
    created_at: iso(task.createdAt),
    started_at: iso(task.startedAt),
    finished_at: iso(task.finishedAt),
    expires_at: iso(task.expiresAt),
    error: task.error ?? null,
    result: task.result ? { content_type: task.result.contentType, bytes: task.result.bytes } : null,
    ...taskUrls(task.id),
  };
}

/** The progress event a late subscriber gets first: the stored state of the task. */
export function eventOf(task: TaskRecord): ProgressEvent {
  const event: ProgressEvent = { task_id: task.id, status: task.status, progress: task.progress, stage: task.stage, message: task.message };
  if (task.status === 'done') return { ...event, result_url: taskUrls(task.id).result_url };
  if (task.status === 'error' && task.error) return { ...event, error: task.error };
  return event;
}
