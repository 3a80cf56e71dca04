// The hub's handle on espeak-ng: requests go to one worker thread that owns the WASM
// instance (started on first use, ~0.3 s), so the event loop never waits on espeak.
import type { Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from '../../threads/typescript-worker.ts';
import type { EspeakDescription, EspeakReply, EspeakRequest } from './espeak-protocol.ts';
import type { SynthesisSettings } from './espeak-wasm.ts';

export interface EspeakEngine {
  describe(): Promise<EspeakDescription>;
  /** Raw espeak IPA for each text (see EspeakWasm.textToPhonemes), voice by identifier. */
  phonemes(texts: readonly string[], voice: string): Promise<string[]>;
  /** Mono float32 PCM at ESPEAK_SAMPLE_RATE (espeak-limits.ts). */
  synthesize(text: string, settings: SynthesisSettings): Promise<Float32Array>;
  close(): Promise<void>;
}


type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export function makeEspeakEngine(): EspeakEngine {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
    worker = undefined;
  };

  const start = (): Worker => {
    const thread = startTypeScriptWorker(new URL('./espeak-worker.ts', import.meta.url), { background: true });
    thread.on('message', (reply: EspeakReply) => {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if (pending.size === 0) thread.unref();
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(reply.message));
    });
    thread.on('error', (error) => failAll(new Error(`espeak worker failed: ${error.message}`)));
    thread.on('exit', (code) => {
      if (worker === thread) failAll(new Error(`espeak worker exited with code ${code}`));
    });
    return thread;
  };

  const request = <T>(message: WithoutId<EspeakRequest>): Promise<T> => {
    worker ??= start();
    // Keep the process alive only while an answer is owed.
    worker.ref();
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker!.postMessage({ ...message, id });
    });
  };

  let described: Promise<EspeakDescription> | undefined;
  return {
    describe() {
      described ??= request<EspeakDescription>({ op: 'describe' }).catch((error: Error) => {
        described = undefined;
        throw error;
      });
      return described;
    },
    phonemes: (texts, voice) => request<string[]>({ op: 'phonemes', texts, voice }),
    synthesize: (text, settings) => request<Float32Array>({ op: 'synthesize', text, settings }),
    async close() {
      const thread = worker;
      worker = undefined;
      if (thread) await thread.terminate();
      failAll(new Error('espeak engine closed'));
    },
  };
}
