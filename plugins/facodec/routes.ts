// The Amphion API's FACodec routes (seed 002) and voice conversion through the codec.
// Encode returns the seed's three token streams plus the speaker embedding (see streams.ts
// for which FACodec quantiser each name holds); decode takes them back; convert decodes one
// clip's content and prosody codes with another clip's speaker embedding.
import { errors } from '../../core/errors.ts';
import { defineRoute } from '../../core/plugin/define-plugin.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { UploadedFile } from '../../core/plugin/types.ts';
import { gridToJson } from '../codec-tokens/token-grid.ts';
import { decodeCodes, encodeClip } from './codec.ts';
import { readDecodeRequest } from './decode-request.ts';
import { FACODEC, maxFrames } from './settings.ts';

const LAYOUT =
  '`prosody_tokens` is 1 × frames (prosody codes), `content_tokens` 2 × frames (content codes), `timbre_tokens` 3 × frames: FACodec’s residual ' +
  '(acoustic detail) codes, kept under the seed’s name; FACodec’s timbre itself is the continuous 256-dim `speaker_embedding`. ' +
  `Every codebook has ${FACODEC.codebookSize} ids; ${FACODEC.frameRate} frames per second (hop ${FACODEC.hop} samples at 16 kHz).`;

/** Float32 values written with 9 significant digits: the shortest text that reads back to the same float32. */
const float32Json = (values: Float32Array) => Array.from(values, (v) => Number(v.toPrecision(9)));

async function clipOf(file: UploadedFile, ctx: HandlerContext): Promise<Float32Array> {
  const clip = (await ctx.audio.decode(file, { sampleRate: FACODEC.sampleRate, signal: ctx.signal })).channels[0]!;
  if (clip.length === 0) throw errors.badAudio(file.field, 'holds no samples');
  return clip;
}

export const encodeRoute = defineRoute({
  method: 'POST',
  path: '/codec/facodec/encode',
  summary: 'Encode audio into FACodec’s factorised tokens and speaker embedding',
  description:
    `FACodec (NaturalSpeech 3): 16 kHz speech factorised into prosody, content and acoustic-detail codes plus a speaker embedding. ${LAYOUT} ` +
    'The response also gives `frames` and `length` (input samples at 16 kHz), so `decode` restores exactly the input length; send the whole response back to decode.',
  fields: { type: 'object', properties: {}, additionalProperties: false },
  uploads: [{ name: 'audio', class: 'content', required: true, description: 'Speech to encode (WAV, MP3, FLAC or OGG; resampled to 16 kHz mono).' }],
  produces: 'json',
  idempotent: true,
  async handler(input, ctx) {
    const encoded = await encodeClip(ctx, await clipOf(input.files.audio, ctx));
    return {
      content_tokens: gridToJson(encoded.content),
      prosody_tokens: gridToJson(encoded.prosody),
      timbre_tokens: gridToJson(encoded.residual),
      speaker_embedding: float32Json(encoded.speaker),
      sample_rate: FACODEC.sampleRate,
      frame_rate: FACODEC.frameRate,
      frames: encoded.content.frames,
      length: encoded.length,
    };
  },
});

/** A small valid payload for the docs and the conformance suite: 4 frames. */
const EXAMPLE_TOKENS = {
  content_tokens: [
    [12, 400, 1023, 7],
    [0, 5, 6, 900],
  ],
  prosody_tokens: [[3, 3, 4, 4]],
  timbre_tokens: [
    [1, 2, 3, 4],
    [1023, 0, 512, 8],
    [9, 9, 9, 9],
  ],
  speaker_embedding: Array.from({ length: FACODEC.speakerDim }, (_, i) => Number((0.5 * Math.sin(i * 0.7)).toFixed(3))),
  length: 3 * FACODEC.hop + 50,
};

const jsonText = (what: string) => ({ description: `${what} (JSON; text in a form).` });

export const decodeRoute = defineRoute({
  method: 'POST',
  path: '/codec/facodec/decode',
  summary: 'Decode FACodec tokens and a speaker embedding to 16 kHz audio',
  description:
    `${LAYOUT} Send the encode response back whole (as the JSON body, or as the \`tokens\` field, JSON text), or its fields one by one. ` +
    'A `speaker_embedding` field next to `tokens` replaces the one inside it: the codes are then spoken in that voice (voice conversion through the codec; ' +
    'set `use_residual` false to drop the source’s acoustic detail, as FACodec’s own conversion example does). Without `timbre_tokens` only prosody and content are decoded. ' +
    'Every id is checked against its codebook first: a bad one is answered 400 naming its position.',
  fields: {
    type: 'object',
    properties: {
      tokens: jsonText('A whole encode response: content_tokens, prosody_tokens, timbre_tokens, speaker_embedding, length'),
      content_tokens: jsonText('Content codes, 2 × frames'),
      prosody_tokens: jsonText('Prosody codes, 1 × frames'),
      timbre_tokens: jsonText('Residual (acoustic detail) codes, 3 × frames; optional'),
      speaker_embedding: jsonText(`Speaker embedding, ${FACODEC.speakerDim} numbers; replaces the one in tokens`),
      use_residual: { type: 'boolean', default: true, description: 'Decode timbre_tokens (the residual codes) when given.' },
      length: { type: 'integer', minimum: 1, maximum: maxFrames * FACODEC.hop, description: 'Samples of the original clip at 16 kHz (from encode); the audio is cut to it.' },
      frames: { type: 'integer', minimum: 1, maximum: maxFrames, description: 'As encode returned it; must equal the streams’ frames.' },
      frame_rate: { type: 'number', minimum: 0, maximum: 1000, description: `As encode returned it: ${FACODEC.frameRate}.` },
      sample_rate: { type: 'integer', enum: [FACODEC.sampleRate], description: 'As encode returned it.' },
    },
    additionalProperties: false,
  },
  produces: 'audio',
  idempotent: true,
  example: { tokens: EXAMPLE_TOKENS },
  async handler(input, ctx) {
    const { codes, length } = readDecodeRequest(input);
    return { audio: await decodeCodes(ctx, codes, length), sampleRate: FACODEC.sampleRate };
  },
});

export const convertRoute = defineRoute({
  method: 'POST',
  path: '/codec/facodec/convert',
  summary: 'Voice conversion through FACodec: one clip’s words and prosody in another clip’s voice',
  description:
    'Encodes both clips, then decodes the source’s prosody and content codes with the reference’s speaker embedding (FACodec factorises timbre out of the codes). ' +
    'The residual (acoustic detail) codes also carry some of the source voice, so they are dropped unless `use_residual` is true. Output: 16 kHz, the source’s length.',
  fields: {
    type: 'object',
    properties: {
      use_residual: { type: 'boolean', default: false, description: 'Keep the source’s residual (acoustic detail) codes.' },
    },
    additionalProperties: false,
  },
  uploads: [
    { name: 'source_audio', class: 'content', required: true, description: 'What is said, and how: its content and prosody codes are kept.' },
    { name: 'reference_audio', class: 'reference', required: true, aliases: ['target_audio'], description: 'The voice to speak it in: its speaker embedding is used.' },
  ],
  produces: 'audio',
  idempotent: true,
  async handler(input, ctx) {
    const source = await encodeClip(ctx, await clipOf(input.files.source_audio, ctx));
    const reference = await encodeClip(ctx, await clipOf(input.files.reference_audio, ctx));
    const codes = { prosody: source.prosody, content: source.content, ...(input.use_residual ? { residual: source.residual } : {}), speaker: reference.speaker };
    return { audio: await decodeCodes(ctx, codes, source.length), sampleRate: FACODEC.sampleRate };
  },
});
