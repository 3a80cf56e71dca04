// `hub tasks list|show|cancel`: the running hub's tasks, through its task API (the hub owns
// running tasks; cancelling one has to reach the process that runs it).
import { InvalidArgumentError, type Command } from 'commander';
import { callHub, hubTarget } from './hub-client.ts';
import { printJson, table } from './table.ts';

interface TaskView {
  task_id: string;
  status: string;
  progress: number;
  stage: string;
  message: string;
  plugin: string;
  route: string;
  created_at: string;
  error?: { detail: string };
}

const hubOption = ['--hub <url>', 'the running hub (default HUB_URL or http://127.0.0.1:8000; key in HUB_API_KEY)'] as const;

function limit(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new InvalidArgumentError(`must be a positive integer, got '${text}'`);
  return Number(text);
}

export function tasksCommand(program: Command): void {
  const tasks = program.command('tasks').description("the running hub's tasks (async calls, downloads)");

  tasks
    .command('list')
    .description('tasks of your key (every task with an admin key), newest first')
    .option(...hubOption)
    .option('--status <status>', 'only queued, running, done, error or cancelled')
    .option('--limit <n>', 'how many', limit)
    .option('--json', 'print JSON')
    .action(async (o: { hub?: string; status?: string; limit?: number; json?: boolean }) => {
      const query = new URLSearchParams();
      if (o.status) query.set('status', o.status);
      if (o.limit) query.set('limit', String(o.limit));
      const page = await callHub<{ tasks: TaskView[] }>(hubTarget(o.hub), `/api/tasks${query.size ? `?${query}` : ''}`);
      if (o.json) return printJson(page.tasks);
      if (page.tasks.length === 0) return console.log('no tasks');
      console.log(table([['ID', 'STATUS', 'PROGRESS', 'PLUGIN', 'ROUTE', 'CREATED'], ...page.tasks.map((t) => [t.task_id, t.status, `${Math.round(t.progress * 100)}%`, t.plugin, t.route, t.created_at])]));
    });

  tasks
    .command('show')
    .description('one task: status, progress, stage, error')
    .argument('<id>', 'task id')
    .option(...hubOption)
    .option('--json', 'print JSON')
    .action(async (id: string, o: { hub?: string; json?: boolean }) => {
      const task = await callHub<TaskView>(hubTarget(o.hub), `/api/tasks/${encodeURIComponent(id)}`);
      if (o.json) return printJson(task);
      console.log(`${task.task_id}  ${task.status}  ${Math.round(task.progress * 100)}%  ${task.stage}${task.message ? ` (${task.message})` : ''}\n  ${task.route} on ${task.plugin}, created ${task.created_at}${task.error ? `\n  error: ${task.error.detail}` : ''}`);
    });

  tasks
    .command('cancel')
    .description('cancel a queued or running task')
    .argument('<id>', 'task id')
    .option(...hubOption)
    .action(async (id: string, o: { hub?: string }) => {
      const task = await callHub<TaskView>(hubTarget(o.hub), `/api/tasks/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
      console.log(`${task.task_id}: ${task.status}`);
    });
}
