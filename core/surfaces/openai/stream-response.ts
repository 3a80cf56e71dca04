// Sends speech while it is being made. `audio`: the bytes themselves (a WAV header with
// the unknown-length sentinel, then 16-bit PCM; or raw PCM). `sse`: OpenAI's
// `speech.audio.delta` events carrying base64 audio, then one `speech.audio.done`.
// Nothing is sent until the first chunk exists, so a request the model refuses still gets
// a proper error status.
import type { Response } from 'express';
import type { AudioToolkit, WavStream } from '../../audio/toolkit.ts';
import type { AudioChunk } from './synthesize.ts';

export interface StreamTarget {
  readonly format: 'wav' | 'pcm';
  readonly transport: 'audio' | 'sse';
  readonly headers: Readonly<Record<string, string>>;
  /** Characters of input, reported in the done event's usage. */
  readonly inputCharacters: number;
}

/** Waits for the socket to take more when `write` said its buffer is full. */
function write(res: Response, bytes: Uint8Array | string): Promise<void> {
  if (res.write(bytes)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', closed);
      resolve();
    };
    const closed = () => {
      res.off('drain', done);
      reject(new Error('client went away'));
    };
    res.once('drain', done);
    res.once('close', closed);
  });
}

const sseEvent = (event: Record<string, unknown>) => `data: ${JSON.stringify(event)}\n\n`;

export async function streamSpeech(res: Response, chunks: AsyncIterable<AudioChunk>, target: StreamTarget, audio: AudioToolkit): Promise<void> {
  const send = (bytes: Uint8Array) =>
    target.transport === 'sse' ? write(res, sseEvent({ type: 'speech.audio.delta', audio: Buffer.from(bytes).toString('base64') })) : write(res, bytes);
  let samples = 0;
  let started = false;
  let sampleRate = 0;
  let wav: WavStream | undefined;
  for await (const chunk of chunks) {
    if (!started) {
      started = true;
      sampleRate = chunk.sampleRate;
      res.status(200);
      for (const [name, value] of Object.entries(target.headers)) res.setHeader(name, value);
      res.setHeader('X-Sample-Rate', String(sampleRate));
      if (target.transport === 'sse') {
        res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
        res.setHeader('Cache-Control', 'no-cache');
      } else {
        res.setHeader('Content-Type', audio.contentType(target.format));
      }
      res.flushHeaders();
      wav = audio.createWavStream(sampleRate);
      if (target.format === 'wav') await send(wav.header);
    }
    if (chunk.samples.length === 0) continue;
    samples += chunk.samples.length;
    // The WAV stream's samples are the 16-bit PCM `encode(…, 'pcm')` makes, so both formats carry the same bytes.
    await send(wav!.chunk(chunk.samples));
  }
  if (target.transport === 'sse') {
    const usage = { input_tokens: target.inputCharacters, output_tokens: 0, total_tokens: target.inputCharacters };
    await write(res, sseEvent({ type: 'speech.audio.done', usage, audio_seconds: sampleRate ? samples / sampleRate : 0 }));
  }
  res.end();
}
