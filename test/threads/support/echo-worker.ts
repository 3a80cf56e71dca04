// A TypeScript worker entry for test/threads: answers twice the number it is sent.
import { parentPort } from 'node:worker_threads';

const double = (n: number): number => 2 * n;
parentPort!.on('message', (n: number) => parentPort!.postMessage(double(n)));
