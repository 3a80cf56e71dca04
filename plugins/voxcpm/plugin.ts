// A VoxCPM plugin for one generation: POST /api/tts/<name> and the `tts` capability the
// OpenAI-compatible surface speaks through. The generations differ only in data
// (variants.ts): each folder exports `makeVoxcpmPlugin(...)` with its variant.
import type { TtsCapability } from '../../core/capabilities.ts';
import { errors } from '../../core/errors.ts';
import { definePlugin, defineRoute } from '../../core/plugin/define-plugin.ts';
import { voxcpmGraphs } from './graphs.ts';
import { checkedCfg, freshSeed } from './settings-check.ts';
import { synthesize } from './synthesize.ts';
import { VOXCPM, type VoxcpmVariant } from './variants.ts';

export interface VoxcpmPluginOptions {
  readonly name: string;
  readonly variant: VoxcpmVariant;
}

export function makeVoxcpmPlugin({ name, variant }: VoxcpmPluginOptions) {
  const [cfgLow, cfgHigh] = VOXCPM.cfgRange;
  const route = defineRoute({
    method: 'POST',
    path: `/tts/${name}`,
    summary: `Speech from text with ${variant.title}, optionally continuing a reference voice`,
    description:
      'Tokenizer-free diffusion-autoregressive TTS: a MiniCPM-4 LM predicts one latent patch per step, a local diffusion transformer (LocDiT) draws it by flow matching ' +
      'with classifier-free guidance, and the AudioVAE decodes the patches. With `reference_audio` and its `reference_text` the speech continues that clip\'s voice and style ' +
      `(prompt continuation). Output: ${variant.decoder.sampleRate / 1000} kHz mono; \`X-Seed\` gives the seed to reproduce it.`,
    fields: {
      type: 'object',
      properties: {
        text: { type: 'string', minLength: 1, maxLength: 5000, description: 'Text to speak.' },
        reference_text: { type: 'string', minLength: 1, maxLength: 2000, description: 'What `reference_audio` says, word for word. Default: transcribed by the installed speech recognition model.', 'x-aliases': ['prompt_text'] },
        cfg_value: { type: 'number', default: VOXCPM.cfgValue, description: `Guidance scale of the LocDiT, ${cfgLow} to ${cfgHigh} (422 outside): higher follows the prompt more closely.` },
        inference_timesteps: { type: 'integer', minimum: 1, maximum: 100, default: VOXCPM.inferenceTimesteps, description: 'Flow-matching (Euler) steps per patch.' },
        seed: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'Seed of the diffusion noise: the same seed and inputs give the same audio. Default: random (see `X-Seed`).' },
      },
      required: ['text'],
      additionalProperties: false,
    },
    uploads: [{ name: 'reference_audio', class: 'reference', required: false, aliases: ['prompt_wav'], description: 'Voice to continue: a few seconds of clean speech (with `reference_text`).' }],
    produces: 'audio',
    idempotent: true,
    example: { text: 'Hello from the hub.', cfg_value: 2, inference_timesteps: 2, seed: 7 },
    async handler(input, ctx) {
      const cfg = checkedCfg(input.cfg_value);
      const audio = input.files.reference_audio;
      if (!audio && input.reference_text) throw errors.invalidField('reference_audio', 'reference_text was sent without the clip it transcribes');
      const seed = input.seed ?? freshSeed();
      const result = await synthesize(
        variant,
        {
          text: input.text,
          ...(audio ? { reference: { audio, ...(input.reference_text === undefined ? {} : { text: input.reference_text }), field: 'reference_audio' } } : {}),
          cfg,
          steps: input.inference_timesteps ?? VOXCPM.inferenceTimesteps,
          seed,
        },
        ctx,
      );
      return { audio: result.audio, sampleRate: result.sampleRate, headers: { 'X-Seed': String(seed), 'X-Patches': String(result.patches) } };
    },
  });

  const tts: TtsCapability = {
    // 'reference': continues a registered or uploaded clip (transcribed when it comes without text); 'cfg_value': guidance; 'seed': repeatable noise
    supports: ['reference', 'cfg_value', 'seed'],
    voices: async () => [{ id: 'default', name: `${variant.title} (its own voice)` }],
    async synthesize(request, ctx) {
      const cfg = checkedCfg(request.sampling?.cfg_value);
      const reference = request.reference;
      const result = await synthesize(
        variant,
        {
          text: request.text,
          ...(reference ? { reference: { audio: reference, ...(reference.text ? { text: reference.text } : {}), field: 'voice' } } : {}),
          cfg,
          steps: VOXCPM.inferenceTimesteps,
          seed: request.seed ?? freshSeed(),
        },
        ctx,
      );
      return { audio: result.audio, sampleRate: result.sampleRate };
    },
  };

  return definePlugin({
    name,
    title: variant.title,
    task: 'tts',
    summary: `${variant.title} (OpenBMB): tokenizer-free diffusion-autoregressive TTS with voice continuation from a reference clip.`,
    license: 'Apache-2.0',
    sampleRate: variant.decoder.sampleRate,
    graphs: voxcpmGraphs(variant),
    routes: [route],
    capabilities: { tts },
  });
}
