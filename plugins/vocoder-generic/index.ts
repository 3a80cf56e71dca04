// One route for every vocoder: `vocoder_name` picks any installed plugin that offers the
// `vocoder` capability. The names are not listed here: the field is marked
// `x-capability: vocoder` and the core fills its enum from the registry at boot, so a name
// no plugin provides yet (the seed's `nsf_hifigan`) is answered "not installed".
import type { VocoderCapability } from '../../core/capabilities.ts';
import { errors } from '../../core/errors.ts';
import { defineRoute, definePlugin } from '../../core/plugin/define-plugin.ts';
import { F0_INPUT, f0ForUpload } from '../mel-vocoder/f0-input.ts';
import { VOCODER_INPUT, melOfUpload } from '../mel-vocoder/mel-input.ts';

const vocode = defineRoute({
  method: 'POST',
  path: '/vocoder/generic',
  summary: 'Vocode with any installed vocoder, chosen by name',
  description:
    'Runs the vocoder named by `vocoder_name` on an audio file (analysis–synthesis with that vocoder’s own mel) or on a ' +
    '.npy log-mel with that vocoder’s bins. F0-driven vocoders (nsf_hifigan) also take `f0` (.npy, Hz per mel frame) or compute it from an audio `audio`. The allowed names are the installed plugins offering the `vocoder` capability. ' +
    'The `X-Vocoder` header names the vocoder that ran and `X-Weight-State` its weight state.',
  fields: {
    type: 'object',
    properties: {
      vocoder_name: { type: 'string', 'x-capability': 'vocoder', description: 'An installed vocoder plugin (e.g. hifigan, bigvgan, griffinlim).' },
    },
    required: ['vocoder_name'],
    additionalProperties: false,
  },
  uploads: [VOCODER_INPUT, F0_INPUT],
  produces: 'audio',
  idempotent: true,
  example: { vocoder_name: 'griffinlim' },
  async handler(input, ctx) {
    // 1. the vocoder, run in its own context (its graphs, its weight folder)
    const provider = ctx.capabilities.find<VocoderCapability>('vocoder', input.vocoder_name);
    if (!provider) {
      const usable = ctx.capabilities.list('vocoder').map((p) => p.plugin);
      throw errors.unavailable(`vocoder '${input.vocoder_name}' cannot run now: it has no usable weights (usable: ${usable.join(', ') || 'none'}); GET /api/health shows each plugin's weight state`);
    }
    await provider.ready();
    const vocoderCtx = provider.context({ signal: ctx.signal, requestId: ctx.requestId, progress: ctx.progress });
    // 2. the upload as the mel that vocoder takes, 3. synthesis
    const melOptions = await provider.capability.melOptions(vocoderCtx);
    // The recording is read again when F0 has to be tracked on it.
    const mel = await melOfUpload(input.files.audio, melOptions, vocoderCtx, { lastRead: !provider.capability.needsF0 || input.files.f0 !== undefined });
    // F0-driven vocoders (needsF0) also take F0 per mel frame: the `f0` upload, or tracked on the audio
    const conditioning = provider.capability.needsF0 ? { f0: await f0ForUpload(input.files.audio, input.files.f0, melOptions, mel.frames, vocoderCtx) } : undefined;
    const { audio, sampleRate } = await provider.capability.vocode(mel, vocoderCtx, conditioning);
    return { audio, sampleRate, headers: { 'X-Vocoder': provider.plugin, 'X-Weight-State': vocoderCtx.weightState } };
  },
});

export default definePlugin({
  name: 'vocoder-generic',
  title: 'Vocoder by name',
  task: 'vocoder',
  summary: 'Dispatches to any installed vocoder plugin by name (the Amphion `/api/vocoder/generic` route).',
  license: 'Apache-2.0',
  sampleRate: 22050,
  weightFree: true,
  routes: [vocode],
});
