// NSF-HiFiGAN (Wang et al. 2019 neural source-filter + HiFi-GAN; Amphion
// models/vocoders/gan/generator/nsfhifigan.py): mel + F0 → waveform. The F0 drives a harmonic
// source computed in TypeScript (excitation.ts); the generator graph merges it into every
// upsampling stage. As a `vocoder` capability it says `needsF0`, so /api/vocoder/generic asks
// for F0 (an `f0` .npy, or computed from an `audio` upload) when `vocoder_name=nsf_hifigan`.
import type { VocoderCapability } from '../../core/capabilities.ts';
import { errors } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import { defineRoute, definePlugin } from '../../core/plugin/define-plugin.ts';
import { MEL_PRESETS } from '../mel-presets/presets.ts';
import { VOCODER_INPUT, melOfUpload } from '../mel-vocoder/mel-input.ts';
import { F0_INPUT, f0ForUpload } from '../mel-vocoder/f0-input.ts';
import { nsfGenerator, NSF_VOCODER } from './contract.ts';
import { nsfGenerate } from './vocode.ts';

const mel = MEL_PRESETS['vocoder-24k-100'];
const shape = { sampleRate: NSF_VOCODER.sampleRate, hop: NSF_VOCODER.hop, harmonics: NSF_VOCODER.harmonics };

async function vocode(melData: { data: Float32Array; nMels: number; frames: number }, f0: Float32Array | undefined, ctx: HandlerContext) {
  if (!f0) throw errors.invalidValue('f0', 'nsf_hifigan needs F0 (Hz per mel frame, 0 = unvoiced) besides the mel');
  if (melData.nMels !== NSF_VOCODER.nMels) throw errors.invalidValue('audio', `mel has ${melData.nMels} bins; nsf_hifigan takes ${NSF_VOCODER.nMels}`);
  if (f0.length !== melData.frames) throw errors.invalidValue('f0', `F0 has ${f0.length} values for ${melData.frames} mel frames`);
  ctx.progress(0, 'vocoding', 'vocode');
  const audio = await nsfGenerate('generator', { frames: melData.data, channels: melData.nMels, f0 }, shape, ctx);
  ctx.progress(1, 'vocoded', 'vocode');
  return { audio, sampleRate: NSF_VOCODER.sampleRate };
}

const capability: VocoderCapability = {
  melOptions: async () => mel,
  vocode: (melData, ctx, conditioning) => vocode(melData, conditioning?.f0, ctx),
  needsF0: true,
};

const route = defineRoute({
  method: 'POST',
  path: '/vocoder/nsf-hifigan',
  summary: 'Vocode with NSF-HiFiGAN (mel + F0, 24 kHz, 100 mels)',
  description:
    'Neural source-filter HiFi-GAN (Amphion’s singing vocoder): a harmonic source built from F0 is merged into every ' +
    'upsampling stage, so the pitch of the output follows the given F0. Takes a [100, frames] log-mel .npy with an `f0` .npy ' +
    '(Hz per frame, 0 = unvoiced), or a recording (its mel and F0 are computed: 24 kHz, n_fft 1024, hop 256, F0 50–1100 Hz).',
  fields: { type: 'object', properties: {}, additionalProperties: false },
  uploads: [VOCODER_INPUT, F0_INPUT],
  produces: 'audio',
  idempotent: true,
  async handler(input, ctx) {
    // Without an `f0` upload, F0 is tracked on the recording: a second read.
    const melData = await melOfUpload(input.files.audio, mel, ctx, { lastRead: input.files.f0 !== undefined });
    const f0 = await f0ForUpload(input.files.audio, input.files.f0, mel, melData.frames, ctx);
    return vocode(melData, f0, ctx);
  },
});

export default definePlugin({
  name: 'nsf_hifigan',
  title: 'NSF-HiFiGAN',
  task: 'vocoder',
  summary: 'Neural source-filter HiFi-GAN: 100-bin log-mel + F0 → 24 kHz waveform (Amphion’s singing vocoder).',
  license: 'MIT',
  sampleRate: NSF_VOCODER.sampleRate,
  graphs: { generator: nsfGenerator({ channels: NSF_VOCODER.nMels, hop: NSF_VOCODER.hop, harmonics: NSF_VOCODER.harmonics }) },
  routes: [route],
  capabilities: { vocoder: capability },
});
