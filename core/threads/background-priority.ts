// Worker threads that compute (audio jobs, espeak, graph sessions and the thread pools they start)
// run at a lower priority than the event loop. On Linux a nice value set with pid 0 applies
// to the calling thread only, and threads it starts inherit it: when the cores are busy with
// model work, the event loop (health probes, streaming, new requests) still gets a core at
// once. Elsewhere it would renice the whole process, so it is left alone.
//
// It is set by the worker's bootstrap, before the worker loads anything: loading tsx starts
// a module-hooks thread, and a worker's first imports (the transpiler, ONNX Runtime, WASM
// encoders) took ~130 ms of CPU at the event loop's priority when it was set by the entry
// module instead, on every worker a pool starts or replaces under load.

const BACKGROUND_NICE = 10;

/** JavaScript for the start of a worker's bootstrap (CommonJS) that moves its thread to the background. */
export function backgroundPrologue(): string {
  return `if (process.platform === 'linux') { try { require('node:os').setPriority(0, ${BACKGROUND_NICE}); } catch {} }`;
}
