// The thread that owns the espeak-ng instance. Phonemizing takes milliseconds and
// synthesis tens to hundreds, so both run here, off the event loop, one request at a time.
import { parentPort } from 'node:worker_threads';
import { loadEspeakWasm, type EspeakWasm } from './espeak-wasm.ts';
import type { EspeakRequest, EspeakReply } from './espeak-protocol.ts';

let espeak: Promise<EspeakWasm> | undefined;

async function answer(request: EspeakRequest): Promise<EspeakReply> {
  espeak ??= loadEspeakWasm();
  const engine = await espeak;
  switch (request.op) {
    case 'describe':
      return { id: request.id, ok: true, value: { voices: engine.voices, variants: engine.variants } };
    case 'phonemes':
      return { id: request.id, ok: true, value: request.texts.map((text) => engine.textToPhonemes(text, request.voice)) };
    case 'synthesize': {
      const samples = engine.synthesize(request.text, request.settings);
      return { id: request.id, ok: true, value: samples };
    }
  }
}

parentPort!.on('message', (request: EspeakRequest) => {
  answer(request).then(
    (reply) => {
      const transfer = reply.ok && reply.value instanceof Float32Array ? [reply.value.buffer as ArrayBuffer] : [];
      parentPort!.postMessage(reply, transfer);
    },
    (error: unknown) => parentPort!.postMessage({ id: request.id, ok: false, message: (error as Error).message } satisfies EspeakReply),
  );
});
