// `hub models download <plugin> --hub <url>`: the download runs in a running hub, as the
// same /api/tasks task POST /api/models/download starts (safe fetcher, Range resume, sha256,
// atomic install, restart recovery), and this command follows its events. The admin key
// comes from HUB_API_KEY (never a flag: it would sit in the shell history and `ps`).
import type { DownloadTick } from '../core/onnx/weight-download.ts';
import { HubCallError } from './exit.ts';

interface TaskEvent {
  readonly status: string;
  readonly stage: string;
  readonly message: string;
  readonly error?: { detail: string };
  readonly details?: { bytes?: number; total?: number; file?: string };
}


/** Reads `data:` lines of an event stream as JSON, until it ends. */
async function* events(body: ReadableStream<Uint8Array>): AsyncIterable<TaskEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      for (const line of buffer.slice(0, end).split('\n')) if (line.startsWith('data: ')) yield JSON.parse(line.slice(6)) as TaskEvent;
      buffer = buffer.slice(end + 2);
    }
  }
}

/** Starts the download in the hub and follows it; resolves with the final weight state. */
export async function pullViaHub(hub: string, plugin: string, options: { from?: string; key: string; onTick: (tick: DownloadTick) => void }): Promise<string> {
  const base = hub.replace(/\/+$/, '');
  const headers = { 'X-API-Key': options.key };
  const started = await fetch(`${base}/api/models/download`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ model_name: plugin, ...(options.from === undefined ? {} : { source: options.from }) }),
  });
  const answer = (await started.json().catch(() => ({}))) as { task_id?: string; detail?: string };
  if (started.status !== 202 || !answer.task_id) throw new HubCallError(`the hub answered ${started.status}: ${answer.detail ?? 'no task'}`);
  const stream = await fetch(`${base}/api/tasks/${answer.task_id}/events`, { headers });
  if (!stream.ok || !stream.body) throw new HubCallError(`following task ${answer.task_id}: the hub answered ${stream.status}`);
  for await (const event of events(stream.body)) {
    const d = event.details;
    if (d?.file !== undefined) options.onTick({ file: d.file, bytes: d.bytes ?? 0, total: d.total ?? 0, phase: event.stage === 'verifying' ? 'verifying' : 'downloading' });
    if (event.status === 'error' || event.status === 'cancelled') throw new HubCallError(`task ${answer.task_id} ${event.status}: ${event.error?.detail ?? event.message}`);
    if (event.status === 'done') {
      const result = (await (await fetch(`${base}/api/tasks/${answer.task_id}/result`, { headers })).json()) as { state: string };
      return result.state;
    }
  }
  throw new HubCallError(`task ${answer.task_id}: the event stream ended before the task did (the hub is restarting?); it resumes there: GET ${base}/api/tasks/${answer.task_id}`);
}
