// /api/tasks: status, result, cancel, list and progress (SSE) of async tasks, and the
// WebSocket progress endpoint /ws/progress/{task_id}. Any plugin route becomes a task with
// `Prefer: respond-async` or `?async=true` (see core/jobs/async-dispatch.ts).
import { once } from 'node:events';
import type { Request } from 'express';
import { errors } from '../errors.ts';
import type { Guards } from '../http/guards.ts';
import { sendStream } from '../http/send-stream.ts';
import type { Surface } from '../http/surface.ts';
import { streamTaskEvents } from '../jobs/event-stream.ts';
import type { Jobs, ListOptions } from '../jobs/jobs.ts';
import { keyFromQuery } from '../jobs/key-from-query.ts';
import type { ProgressSockets } from '../jobs/progress-socket.ts';
import { taskView } from '../jobs/task-view.ts';
import { TASK_STATUSES, type TaskStatus } from '../jobs/types.ts';
import { tasksOpenApi } from './tasks-openapi.ts';

const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;

const taskIdOf = (req: Request): string => String(req.params.task_id);

function listOptions(req: Request): ListOptions {
  const { status, limit, cursor } = req.query;
  if (status !== undefined && !TASK_STATUSES.includes(status as TaskStatus)) throw errors.invalidField('status', `must be one of: ${TASK_STATUSES.join(', ')}`);
  let size = DEFAULT_PAGE;
  if (limit !== undefined) {
    size = Number(limit);
    if (typeof limit !== 'string' || !/^\d+$/.test(limit) || size < 1 || size > MAX_PAGE) throw errors.invalidField('limit', `must be an integer from 1 to ${MAX_PAGE}`);
  }
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor.length > 200)) throw errors.invalidField('cursor', 'is not a cursor this API returned');
  return { status: status as TaskStatus | undefined, limit: size, cursor: cursor as string | undefined };
}

export function makeTasksSurface(deps: { jobs: Jobs; guards: Guards; progressSockets: ProgressSockets }): Surface {
  const { jobs } = deps;
  return {
    name: 'tasks',
    mount(app) {
      // Every task route also counts in the task routes' own minute window (clients poll).
      const auth = [deps.guards.authenticate(), deps.guards.rateLimit('/api/tasks*', { scope: 'tasks' })];

      app.get('/api/tasks', ...auth, function listTasks(req, res) {
        const page = jobs.list(req.principal, listOptions(req));
        res.json({ tasks: page.tasks.map(taskView), next_cursor: page.nextCursor });
      });

      app.get('/api/tasks/:task_id', ...auth, function getTask(req, res) {
        res.json(taskView(jobs.get(taskIdOf(req), req.principal)));
      });

      app.get('/api/tasks/:task_id/result', ...auth, async function taskResult(req, res) {
        const { task, body } = jobs.result(taskIdOf(req), req.principal);
        try {
          await once(body, 'open');
        } catch {
          throw errors.notFound(`result of task '${task.id}'`); // expired while we looked, or removed by hand
        }
        const result = task.result!;
        for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
        res.setHeader('Content-Length', String(result.bytes));
        res.status(200).type(result.contentType);
        await sendStream(body, res);
      });

      app.get('/api/tasks/:task_id/events', keyFromQuery(), ...auth, function taskEvents(req, res) {
        streamTaskEvents(jobs, taskIdOf(req), req, res);
      });

      app.post('/api/tasks/:task_id/cancel', ...auth, async function cancelTask(req, res) {
        const { task, pending } = await jobs.cancel(taskIdOf(req), req.principal);
        res.status(pending ? 202 : 200).json(taskView(task));
      });

      app.delete('/api/tasks/:task_id', ...auth, async function removeTask(req, res) {
        await jobs.remove(taskIdOf(req), req.principal);
        res.status(204).end();
      });

      app.get('/ws/progress/:task_id', keyFromQuery(), ...auth, function progressSocket(req, res) {
        deps.progressSockets.accept(req, res, taskIdOf(req));
      });
    },
    openapi: tasksOpenApi,
  };
}
