// Worker threads that compute (audio jobs, espeak, graph sessions and the thread pools they start)
// run at a lower priority than the event loop. On Linux a nice value set with pid 0 applies
// to the calling thread only, and threads it starts inherit it: when the cores are busy with
// model work, the event loop (health probes, streaming, new requests) still gets a core at
// once. Elsewhere it would renice the whole process, so it is left alone.
import { setPriority } from 'node:os';

const BACKGROUND_NICE = 10;

export function runInBackground(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, BACKGROUND_NICE);
  } catch {
    // not permitted here: run at normal priority
  }
}
