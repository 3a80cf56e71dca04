// Turns a handler's output into response bytes. Used for synchronous replies and for
// stored task results alike, so both carry the same body, type and headers.
import type { AudioToolkit } from '../audio/toolkit.ts';
import { errors } from '../errors.ts';
import type { AudioOutput, Produces } from '../plugin/types.ts';

export interface RenderedResult {
  readonly contentType: string;
  readonly body: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
}

function isAudioOutput(value: unknown): value is AudioOutput {
  if (typeof value !== 'object' || value === null) return false;
  const { audio, sampleRate } = value as AudioOutput;
  return (audio instanceof Float32Array || (Array.isArray(audio) && audio.every((c) => c instanceof Float32Array))) && Number.isInteger(sampleRate) && sampleRate > 0;
}

export async function renderResult(produces: Produces, output: unknown, format: string, audio: AudioToolkit): Promise<RenderedResult> {
  if (produces === 'json') {
    return { contentType: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(output)), headers: {} };
  }
  if (!isAudioOutput(output)) throw new Error('handler of an audio route returned no { audio, sampleRate }');
  const samples = output.audio instanceof Float32Array ? output.audio.length : (output.audio[0]?.length ?? 0);
  // A handler's output is rendered once: its samples move to the encoder.
  const encoded = await audio.encode(output.audio, output.sampleRate, format, { consume: true });
  return {
    contentType: encoded.contentType,
    body: encoded.bytes,
    headers: {
      ...output.headers,
      'X-Sample-Rate': String(output.sampleRate),
      'X-Audio-Duration': (samples / output.sampleRate).toFixed(3),
      'Content-Disposition': `inline; filename="output.${format}"`,
    },
  };
}

export function assertAudioFormat(format: string, audio: AudioToolkit): void {
  if (!audio.formats.includes(format)) throw errors.badRequest(`response_format '${format}' is not supported; supported: ${audio.formats.join(', ')}`);
}
