// A TypeScript worker entry for test/threads: answers with its thread's nice value and that of
// a thread it starts (ONNX Runtime's pools and tsx's hooks thread are started the same way).
import { getPriority } from 'node:os';
import { once } from 'node:events';
import { parentPort, Worker } from 'node:worker_threads';

parentPort!.on('message', async () => {
  const child = new Worker(`require('node:worker_threads').parentPort.postMessage(require('node:os').getPriority(0))`, { eval: true });
  const [started] = await once(child, 'message');
  await child.terminate();
  parentPort!.postMessage({ own: getPriority(0), started });
});
