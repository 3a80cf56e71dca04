// Entry point of an audio worker thread: runs named jobs, one at a time.
import { parentPort } from 'node:worker_threads';
import { jobs, type JobName } from './jobs.ts';
import { serializeError } from './worker-errors.ts';

if (!parentPort) throw new Error('core/audio/worker.ts must run as a worker thread');
const port = parentPort;

port.on('message', async (message: { id: number; name: JobName; args: unknown }) => {
  try {
    const job = jobs[message.name] as (args: unknown) => unknown;
    if (!job) throw new Error(`unknown audio job '${message.name}'`);
    const result = await job(message.args);
    // Copied, not transferred. The first ArrayBuffer a V8 isolate detaches (a transfer, or a
    // WebAssembly memory growing) switches its optimised code to checking every typed-array
    // access for a detached buffer, for good: the DSP loops here then ran about 30 % slower
    // (a pitch shift part, 141 → 184 ms). Copying a result costs a memcpy.
    port.postMessage({ id: message.id, result });
  } catch (error) {
    port.postMessage({ id: message.id, error: serializeError(error) });
  }
});
