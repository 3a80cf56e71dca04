// Entry point of an audio worker thread: runs named jobs, one at a time.
import { parentPort } from 'node:worker_threads';
import { jobs, transferablesOf, type JobName } from './jobs.ts';
import { serializeError } from './worker-errors.ts';
import { runInBackground } from '../threads/background-priority.ts';

if (!parentPort) throw new Error('core/audio/worker.ts must run as a worker thread');
const port = parentPort;

runInBackground();

port.on('message', async (message: { id: number; name: JobName; args: unknown }) => {
  try {
    const job = jobs[message.name] as (args: unknown) => unknown;
    if (!job) throw new Error(`unknown audio job '${message.name}'`);
    const result = await job(message.args);
    port.postMessage({ id: message.id, result }, transferablesOf(result));
  } catch (error) {
    port.postMessage({ id: message.id, error: serializeError(error) });
  }
});
