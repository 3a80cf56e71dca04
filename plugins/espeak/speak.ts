// Text → speech with espeak-ng's formant synthesizer. Speed maps to espeak's speaking
// rate (words per minute); past espeak's own range the rest is done by time-stretching.
import { errors } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { resolveVoice } from './voices.ts';

export interface SpeakRequest {
  readonly text: string;
  readonly voice?: string;
  readonly language?: string;
  /** 1 is espeak's normal rate (175 words per minute). */
  readonly speed?: number;
  /** Base pitch 0–100; 50 is the voice's own. */
  readonly pitch?: number;
}

/** espeak's rate for a speed, and the time-stretch still needed when the rate is clamped. */
export function rateFor(speed: number, rate: { min: number; normal: number; max: number }): { wordsPerMinute: number; stretch: number } {
  const wanted = rate.normal * speed;
  const wordsPerMinute = Math.min(rate.max, Math.max(rate.min, wanted));
  return { wordsPerMinute, stretch: wanted / wordsPerMinute };
}

export async function speak(request: SpeakRequest, ctx: HandlerContext): Promise<{ audio: Float32Array; sampleRate: number }> {
  const { espeakVoice } = resolveVoice(request);
  const { wordsPerMinute, stretch } = rateFor(request.speed ?? 1, ctx.text.espeak.rate);
  const spoken = await ctx.text.espeak.synthesize(request.text, { voice: espeakVoice, rate: wordsPerMinute, pitch: request.pitch ?? 50 });
  if (!spoken.audio.some((x) => x !== 0)) throw errors.invalidField('text', 'has nothing espeak can speak (only punctuation or symbols?)');
  const audio = Math.abs(stretch - 1) > 0.01 ? await ctx.audio.timeStretch(spoken.audio, spoken.sampleRate, stretch) : spoken.audio;
  return { audio, sampleRate: spoken.sampleRate };
}
