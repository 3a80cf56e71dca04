// The vocoder that needs no weights: fast Griffin-Lim from the audio toolkit inverts a
// log-mel (mel → linear magnitude by non-negative least squares, then phase retrieval). Its
// audio is phasey, but intelligible, so a fresh hub turns any mel into sound.
import type { VocoderCapability } from '../../core/capabilities.ts';
import { defineRoute, definePlugin } from '../../core/plugin/define-plugin.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { MEL_PRESETS, type MelPresetName } from '../mel-presets/presets.ts';
import type { Mel } from '../mel-vocoder/chunking.ts';
import { VOCODER_INPUT, melOfUpload } from '../mel-vocoder/mel-input.ts';

const DEFAULT_PRESET: MelPresetName = 'vocoder-22k-80-fmax8k';
const DEFAULTS = { iterations: 32, momentum: 0.99 } as const;

interface Inversion {
  readonly preset: MelPresetName;
  readonly iterations: number;
  readonly momentum: number;
}

async function invert(mel: Mel, how: Inversion, ctx: HandlerContext): Promise<{ audio: Float32Array; sampleRate: number }> {
  const options = MEL_PRESETS[how.preset];
  const audio = await ctx.audio.melToAudio(
    { data: mel.data, dims: [mel.nMels, mel.frames] },
    { ...options, iterations: how.iterations, momentum: how.momentum, length: mel.frames * options.hop },
  );
  return { audio, sampleRate: options.sampleRate };
}

const vocode = defineRoute({
  method: 'POST',
  path: '/vocoder/griffinlim',
  summary: 'Vocode with Griffin-Lim (no weights)',
  description:
    'Inverts a log-mel spectrogram (.npy) made with one of the published vocoder mel conventions, or re-synthesises an ' +
    'audio file through that mel, by fast Griffin-Lim. Always available; the quality is that of phase retrieval.',
  fields: {
    type: 'object',
    properties: {
      mel_preset: {
        type: 'string',
        enum: Object.keys(MEL_PRESETS),
        default: DEFAULT_PRESET,
        description: 'Mel convention of the input: rate, bins, n_fft, hop, fmax (the HiFi-GAN one by default).',
      },
      n_iter: { type: 'integer', minimum: 1, maximum: 256, default: DEFAULTS.iterations, description: 'Griffin-Lim iterations.' },
      momentum: { type: 'number', minimum: 0, maximum: 0.999, default: DEFAULTS.momentum, description: 'Fast Griffin-Lim momentum (0: classic).' },
    },
    additionalProperties: false,
  },
  uploads: [VOCODER_INPUT],
  produces: 'audio',
  idempotent: true,
  example: { mel_preset: DEFAULT_PRESET, n_iter: 16 },
  async handler(input, ctx) {
    // The validator applied the defaults; `??` only satisfies the types.
    const preset = (input.mel_preset ?? DEFAULT_PRESET) as MelPresetName;
    const mel = await melOfUpload(input.files.audio, MEL_PRESETS[preset], ctx, { lastRead: true });
    return invert(mel, { preset, iterations: input.n_iter ?? DEFAULTS.iterations, momentum: input.momentum ?? DEFAULTS.momentum }, ctx);
  },
});

const vocoder: VocoderCapability = {
  melOptions: async () => MEL_PRESETS[DEFAULT_PRESET],
  vocode: (mel, ctx) => invert(mel, { preset: DEFAULT_PRESET, ...DEFAULTS }, ctx),
};

export default definePlugin({
  name: 'griffinlim',
  title: 'Griffin-Lim',
  task: 'vocoder',
  summary: 'Weight-free vocoder: fast Griffin-Lim inversion of a log-mel spectrogram.',
  license: 'Apache-2.0',
  sampleRate: MEL_PRESETS[DEFAULT_PRESET].sampleRate,
  weightFree: true,
  routes: [vocode],
  capabilities: { vocoder },
});
