// Starting a weight download as a task, shared by /api/models/download and the studio's
// /models/download: a second request while one is queued or running joins that task.
import type { Jobs } from '../jobs/jobs.ts';
import { FINISHED } from '../jobs/types.ts';
import type { DownloadInput, DownloadManager, DownloadProgress } from '../onnx/download-manager.ts';
import type { Principal } from '../http/request-types.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';

export async function startDownloadTask(
  deps: { downloads: DownloadManager; jobs: Jobs },
  plugin: LoadedPlugin,
  request: { principal: Principal | undefined; requestId: string; source?: string },
): Promise<{ taskId: string; progress: DownloadProgress }> {
  const name = plugin.decl.name;
  const running = deps.downloads.taskOf(name);
  const joined = running === undefined ? undefined : deps.jobs.find(running);
  if (joined && !FINISHED.has(joined.status)) return { taskId: joined.id, progress: deps.downloads.progress(name) };
  const input: DownloadInput = { model_name: name, ...(request.source === undefined ? {} : { source: request.source }) };
  const task = await deps.jobs.submitSystem(deps.downloads.kind, input as unknown as Record<string, unknown>, request.principal, request.requestId);
  return { taskId: task.id, progress: deps.downloads.queued(plugin, task.id) };
}
