// Audio analysis: what a file is and how loud. Needs no weights, so a fresh hub can
// check its upload path end to end, and clients can inspect audio before sending it on.
import { defineRoute, definePlugin } from '../../core/plugin/define-plugin.ts';
import { measureLevels } from './levels.ts';

const info = defineRoute({
  method: 'POST',
  path: '/audio/info',
  summary: 'Describe an audio file: format, duration, rate, channels and levels',
  fields: { type: 'object', properties: {}, additionalProperties: false },
  uploads: [{ name: 'audio', class: 'content', required: true, description: 'Audio file to analyse' }],
  produces: 'json',
  async handler(input, ctx) {
    const pcm = await ctx.audio.decode(input.files.audio, { mono: false });
    const frames = pcm.channels[0]?.length ?? 0;
    return {
      format: input.files.audio.format,
      sample_rate: pcm.sampleRate,
      channels: pcm.channels.length,
      samples: frames,
      duration: frames / pcm.sampleRate,
      ...measureLevels(pcm.channels),
    };
  },
});

export default definePlugin({
  name: 'audio-info',
  title: 'Audio info',
  task: 'audio',
  summary: 'Format, duration, sample rate, channels, peak and RMS level of an audio file.',
  license: 'Apache-2.0',
  sampleRate: 48000,
  weightFree: true,
  routes: [info],
});
