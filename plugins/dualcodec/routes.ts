// The Amphion API's DualCodec routes (seed 002): encode audio to `tokens` (layers × frames)
// and decode them back to 24 kHz audio. The encode response carries everything decode
// needs without guessing (variant, layers, frame rate, frames, original length), and the
// whole response is accepted back by decode.
import { errors } from '../../core/errors.ts';
import { defineRoute } from '../../core/plugin/define-plugin.ts';
import { gridToJson } from '../codec-tokens/token-grid.ts';
import { decodeGrid } from './decode.ts';
import { readDecodeRequest } from './decode-request.ts';
import { encodeClip } from './encode.ts';
import { maxFrames } from './token-layout.ts';
import { DUALCODEC, maxQuantizers, type DualcodecVariant } from './variants.ts';

function layout(variant: DualcodecVariant): string {
  return (
    `\`tokens\` is layers × frames: layer 0 holds semantic ids (0..${DUALCODEC.semanticVocab - 1}), layers 1..${variant.acousticLayers} acoustic ids ` +
    `(0..${variant.acousticVocab - 1}), ${variant.frameRate} frames per second (hop ${variant.hop} samples at 24 kHz).`
  );
}

export function encodeRoute(variant: DualcodecVariant) {
  const most = maxQuantizers(variant);
  return defineRoute({
    method: 'POST',
    path: `/codec/${variant.plugin}/encode`,
    summary: `Encode audio into DualCodec ${variant.id} tokens`,
    description:
      `DualCodec ${variant.modelId}: w2v-BERT semantic features and a DAC acoustic encoder, quantised to 1 semantic + up to ${variant.acousticLayers} acoustic codebooks. ` +
      `${layout(variant)} The response also gives \`variant\`, \`n_quantizers\`, \`frame_rate\`, \`frames\` and \`length\` (input samples at 24 kHz), ` +
      'so `decode` restores exactly the input length; send the whole response back to decode.',
    fields: {
      type: 'object',
      properties: {
        n_quantizers: { type: 'integer', minimum: 1, maximum: most, default: most, description: `Codebooks to keep: 1 = semantic only, ${most} = all.` },
      },
      additionalProperties: false,
    },
    uploads: [{ name: 'audio', class: 'content', required: true, description: 'Audio to encode (WAV, MP3, FLAC or OGG; resampled to 24 kHz mono).' }],
    produces: 'json',
    idempotent: true,
    example: { n_quantizers: most },
    async handler(input, ctx) {
      const pcm = await ctx.audio.decode(input.files.audio, { sampleRate: DUALCODEC.sampleRate, signal: ctx.signal, consume: true });
      const clip = pcm.channels[0]!;
      if (clip.length === 0) throw errors.badAudio('audio', 'holds no samples');
      const nQuantizers = input.n_quantizers ?? most;
      const { grid, length } = await encodeClip(ctx, variant, clip, nQuantizers);
      return {
        tokens: gridToJson(grid),
        sample_rate: DUALCODEC.sampleRate,
        variant: variant.id,
        n_quantizers: nQuantizers,
        frame_rate: variant.frameRate,
        frames: grid.frames,
        length,
      };
    },
  });
}

/** A small valid grid for the docs and the conformance suite: 3 layers × 4 frames. */
function exampleTokens(variant: DualcodecVariant): number[][] {
  const top = variant.acousticVocab - 1;
  return [
    [101, 5000, DUALCODEC.semanticVocab - 1, 7],
    [0, 1, top, 17],
    [3, top, 2, 9],
  ];
}

export function decodeRoute(variant: DualcodecVariant) {
  const frames = maxFrames(variant);
  return defineRoute({
    method: 'POST',
    path: `/codec/${variant.plugin}/decode`,
    summary: `Decode DualCodec ${variant.id} tokens to 24 kHz audio`,
    description:
      `${layout(variant)} Send \`tokens\` as a JSON text field (multipart or form), as an array in a JSON body, or send the encode response back whole ` +
      '(as the JSON body, or as the `tokens` field). With `length` (the encode response has it) the audio has exactly the encoded clip\'s length; ' +
      'without it, frames × hop samples. Every id is checked against its codebook first: a bad one is answered 400 naming its position.',
    fields: {
      type: 'object',
      properties: {
        tokens: { description: 'Token grid, layers × frames (JSON), or a whole encode response.' },
        length: { type: 'integer', minimum: 1, maximum: frames * variant.hop, description: 'Samples of the original clip at 24 kHz (from encode); the audio is cut to it.' },
        n_quantizers: { type: 'integer', minimum: 1, maximum: maxQuantizers(variant), description: 'As encode returned it; must equal the number of layers.' },
        frames: { type: 'integer', minimum: 1, maximum: frames, description: 'As encode returned it; must equal the frames of `tokens`.' },
        frame_rate: { type: 'number', minimum: 0, maximum: 1000, description: `As encode returned it: ${variant.frameRate}.` },
        sample_rate: { type: 'integer', enum: [DUALCODEC.sampleRate], description: 'As encode returned it.' },
        variant: { type: 'string', maxLength: 16, description: `As encode returned it: ${variant.id}.` },
      },
      required: ['tokens'],
      additionalProperties: false,
    },
    produces: 'audio',
    idempotent: true,
    example: { tokens: exampleTokens(variant), length: 3 * variant.hop + variant.hop / 2 },
    async handler(input, ctx) {
      const { grid, length } = readDecodeRequest(input, variant);
      const audio = await decodeGrid(ctx, variant, grid, length);
      return { audio, sampleRate: DUALCODEC.sampleRate };
    },
  });
}
