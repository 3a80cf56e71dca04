// Entry point of an audio worker thread: runs named jobs, one at a time.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { jobs, transferablesOf, type JobName } from './jobs.ts';
import { serializeError } from './worker-errors.ts';

if (!parentPort) throw new Error('core/audio/worker.ts must run as a worker thread');
const port = parentPort;

// On Linux a nice value set with pid 0 applies to the calling thread only: when cores are
// scarce the event loop (health checks, streaming) then wins over bulk audio work. Elsewhere
// it would renice the whole process, so it is left alone.
if (process.platform === 'linux') {
  try {
    setPriority(0, 10);
  } catch {
    // not permitted here: run at normal priority
  }
}

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
