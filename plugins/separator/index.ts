// A vocal separator (MDX-Net, the UVR checkpoints exported as ONNX): a song → its vocals and
// the accompaniment. Offers the `source-separation` capability the dubbing surface uses when
// the weights are installed (with smoke graphs it falls back to its weight-free method), and
// a route to hear either stem. Contract and install: EXPORT.md; the steps: pipeline.ts.
import { defineRoute, definePlugin } from '../../core/plugin/define-plugin.ts';
import type { SourceSeparationCapability } from '../../core/capabilities.ts';
import type { GraphContract } from '../../core/plugin/types.ts';
import { separateMdx } from './pipeline.ts';
import { MDX_DEFAULTS } from './settings.ts';

const separator = {
  file: 'separator.onnx',
  description: 'MDX-Net TFC-TDF U-Net (UVR checkpoint): the primary stem\'s spectrogram from the mix\'s (EXPORT.md).',
  inputs: [{ name: 'input', type: 'float32', dims: ['batch', 4, 'dim_f', 'dim_t'], description: 'first dim_f bins of the stereo STFT, channels [L.re, L.im, R.re, R.im]' }],
  outputs: [{ name: 'output', type: 'float32', dims: ['batch', 4, 'dim_f', 'dim_t'], description: 'the primary stem, same layout' }],
  memoryMb: 200,
} as const satisfies GraphContract;

const capability: SourceSeparationCapability = {
  separate: (mix, ctx) => separateMdx(mix, ctx),
};

const separateRoute = defineRoute({
  method: 'POST',
  path: '/audio/separate',
  summary: 'Separate a song into vocals and accompaniment (MDX-Net); answers the stem asked for',
  description: 'Stereo 44.1 kHz in and out; a mono upload is taken as both channels. `stem` picks the vocals (default) or the accompaniment (the mix minus the vocals).',
  fields: {
    type: 'object',
    properties: { stem: { type: 'string', enum: ['vocals', 'accompaniment'], default: 'vocals', description: 'Which stem to answer with.' } },
    additionalProperties: false,
  },
  uploads: [{ name: 'audio', class: 'content', required: true, description: 'The song (WAV, MP3, FLAC or OGG).' }],
  produces: 'audio',
  idempotent: true,
  example: { stem: 'vocals' },
  async handler(input, ctx) {
    const decoded = await ctx.audio.decode(input.files.audio, { sampleRate: MDX_DEFAULTS.sampleRate, mono: false, signal: ctx.signal, consume: true });
    const stems = await separateMdx({ channels: decoded.channels, sampleRate: decoded.sampleRate }, ctx);
    return { audio: input.stem === 'accompaniment' ? stems.accompaniment : stems.vocals, sampleRate: stems.sampleRate };
  },
});

export default definePlugin({
  name: 'separator',
  title: 'Vocal separator (MDX-Net)',
  task: 'audio',
  summary: 'Splits a song into vocals and accompaniment with an MDX-Net checkpoint (ONNX).',
  license: 'MIT (code); checkpoints: see EXPORT.md',
  sampleRate: MDX_DEFAULTS.sampleRate,
  graphs: { separator },
  routes: [separateRoute],
  capabilities: { 'source-separation': capability },
});
