// Messages between the hub and the espeak worker thread.
import type { EspeakVoiceInfo, SynthesisSettings } from './espeak-wasm.ts';

export type EspeakRequest =
  | { readonly id: number; readonly op: 'describe' }
  | { readonly id: number; readonly op: 'phonemes'; readonly voice: string; readonly texts: readonly string[] }
  | { readonly id: number; readonly op: 'synthesize'; readonly text: string; readonly settings: SynthesisSettings };

export interface EspeakDescription {
  readonly voices: readonly EspeakVoiceInfo[];
  readonly variants: readonly string[];
}

export type EspeakReply =
  | { readonly id: number; readonly ok: true; readonly value: EspeakDescription | readonly string[] | Float32Array }
  | { readonly id: number; readonly ok: false; readonly message: string };
