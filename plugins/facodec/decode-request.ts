// What a FACodec decode request says, checked: the three code streams and the speaker
// embedding, from top-level fields (JSON text in forms, values in JSON bodies) or from an
// encode response sent whole as `tokens` (the seed's "JSON object with factorized tokens").
// A top-level `speaker_embedding` replaces the one inside `tokens`: that is voice
// conversion through the codec, one file's codes in another voice.
import { errors } from '../../core/errors.ts';
import { checkLength } from '../codec-tokens/hop-length.ts';
import { expectSame, integerOf, isPlainObject, jsonField, makeFieldSource, readVector, type Found } from '../codec-tokens/payload.ts';
import { checkSameFrames, readTokenGrid, type TokenGrid } from '../codec-tokens/token-grid.ts';
import type { FactorizedCodes } from './codec.ts';
import { FACODEC } from './settings.ts';
import { streamSpec, type StreamName } from './streams.ts';

export const ENCODE_RESPONSE_FIELDS = ['content_tokens', 'prosody_tokens', 'timbre_tokens', 'speaker_embedding', 'sample_rate', 'frame_rate', 'frames', 'length'] as const;

export interface DecodeRequest {
  readonly codes: FactorizedCodes;
  readonly length?: number;
}

export function readDecodeRequest(input: Readonly<Record<string, unknown>>): DecodeRequest {
  const given = input.tokens === undefined ? undefined : jsonField('tokens', input.tokens);
  if (given !== undefined && !isPlainObject(given)) {
    throw errors.invalidField('tokens', 'must be an object with content_tokens, prosody_tokens, timbre_tokens and speaker_embedding (an encode response)');
  }
  const fields = makeFieldSource(input, 'tokens', given, ENCODE_RESPONSE_FIELDS);
  const required = (name: string): Found => {
    const found = fields.get(name);
    if (!found) throw errors.invalidField(name, 'is required (send it, or the whole encode response as tokens)');
    return found;
  };
  const grid = (name: StreamName, found: Found): TokenGrid => readTokenGrid(jsonField(found.field, found.value), streamSpec(name, found.field));

  const prosodyField = required('prosody_tokens');
  const contentField = required('content_tokens');
  const residualField = fields.get('timbre_tokens');
  const streams = [
    { field: prosodyField.field, grid: grid('prosody_tokens', prosodyField) },
    { field: contentField.field, grid: grid('content_tokens', contentField) },
    ...(residualField ? [{ field: residualField.field, grid: grid('timbre_tokens', residualField) }] : []),
  ];
  const frames = checkSameFrames(streams);
  const speakerField = input.speaker_embedding !== undefined ? { field: 'speaker_embedding', value: input.speaker_embedding } : required('speaker_embedding');
  const speaker = readVector(speakerField, FACODEC.speakerDim, FACODEC.speakerLimit);

  expectSame(fields.get('sample_rate'), FACODEC.sampleRate, `FACodec decodes to ${FACODEC.sampleRate} Hz`);
  expectSame(fields.get('frame_rate'), FACODEC.frameRate, `FACodec has ${FACODEC.frameRate} frames per second`);
  expectSame(fields.get('frames'), frames, `but the token streams have ${frames} frames`);

  const useResidual = input.use_residual !== false && streams.length === 3;
  const codes: FactorizedCodes = { prosody: streams[0]!.grid, content: streams[1]!.grid, ...(useResidual ? { residual: streams[2]!.grid } : {}), speaker };
  const lengthField = fields.get('length');
  if (!lengthField) return { codes };
  const length = integerOf(lengthField, 1, Number.MAX_SAFE_INTEGER);
  checkLength(lengthField.field, length, frames, FACODEC.hop);
  return { codes, length };
}
