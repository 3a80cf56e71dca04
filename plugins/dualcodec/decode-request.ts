// What a DualCodec decode request says, checked: the token grid (from the `tokens` field as
// JSON text, a JSON body's array, or a whole encode response in either place) and the
// metadata an encode response carries, which must agree with the grid and this variant.
import { errors } from '../../core/errors.ts';
import { checkLength } from '../codec-tokens/hop-length.ts';
import { expectSame, integerOf, isPlainObject, jsonField, makeFieldSource } from '../codec-tokens/payload.ts';
import { readTokenGrid, type TokenGrid } from '../codec-tokens/token-grid.ts';
import { tokensSpec } from './token-layout.ts';
import { DUALCODEC, DUALCODEC_VARIANTS, type DualcodecVariant } from './variants.ts';

/** The fields of an encode response; all may come back to decode. */
export const ENCODE_RESPONSE_FIELDS = ['tokens', 'sample_rate', 'variant', 'n_quantizers', 'frame_rate', 'frames', 'length'] as const;

export interface DecodeRequest {
  readonly grid: TokenGrid;
  /** Original length in samples, when the client gave it. */
  readonly length?: number;
}

export function readDecodeRequest(input: Readonly<Record<string, unknown>>, variant: DualcodecVariant): DecodeRequest {
  const given = jsonField('tokens', input.tokens);
  // An encode response sent back whole as `tokens`: its grid is `tokens.tokens`.
  const response = isPlainObject(given) ? given : undefined;
  const fields = makeFieldSource(input, 'tokens', response, ENCODE_RESPONSE_FIELDS);
  if (response && response.tokens === undefined) throw errors.invalidField('tokens.tokens', 'is required: the encode response sent as tokens has no token grid');
  const gridField = response ? 'tokens.tokens' : 'tokens';
  const grid = readTokenGrid(jsonField(gridField, response ? response.tokens : given), tokensSpec(variant, gridField));

  const variantField = fields.get('variant');
  const other = Object.values(DUALCODEC_VARIANTS).find((v) => v.id === variantField?.value && v.id !== variant.id);
  expectSame(
    variantField,
    variant.id,
    other ? `this route decodes DualCodec ${variant.id}; ${other.id} tokens go to POST /api/codec/${other.plugin}/decode` : `this route decodes DualCodec ${variant.id}`,
  );
  expectSame(fields.get('sample_rate'), DUALCODEC.sampleRate, `DualCodec decodes to ${DUALCODEC.sampleRate} Hz`);
  expectSame(fields.get('frame_rate'), variant.frameRate, `DualCodec ${variant.id} has ${variant.frameRate} frames per second`);
  expectSame(fields.get('n_quantizers'), grid.layers, `but ${gridField} has ${grid.layers} layers`);
  expectSame(fields.get('frames'), grid.frames, `but ${gridField} has ${grid.frames} frames`);

  const lengthField = fields.get('length');
  if (!lengthField) return { grid };
  const length = integerOf(lengthField, 1, Number.MAX_SAFE_INTEGER);
  checkLength(lengthField.field, length, grid.frames, variant.hop);
  return { grid, length };
}
