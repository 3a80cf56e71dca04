// The AR prompt in VevoSing's shared Llama vocabulary (models/svc/autoregressive_transformer/
// ar_model.py `padding_for_*`, `generate`):
//   content-style ids 0 … 16383; prosody ("style") ids + 16384; phone ("content") ids + 16896
//   pad = 1024 + 512 + 16384 = 17920; content bos/eos 17921/17922, style 17923/17924,
//   content-style bos/eos 17925/17926
//   prompt = [c_bos, phones…, c_eos] ([s_bos, prosody…, s_eos]) [cs_bos, prompt content-style…]   (no cs_eos)
// Generation stops on cs_eos; only content-style ids and cs_eos may be sampled.
import type { OutputRange } from '../../vevo-common/output-range.ts';
import { VEVOSING } from '../settings.ts';

const { contentVocab, styleVocab, contentStyleVocab } = VEVOSING.ar;
const pad = contentVocab + styleVocab + contentStyleVocab;

export const SING_LAYOUT = {
  pad,
  contentBos: pad + 1,
  contentEos: pad + 2,
  styleBos: pad + 3,
  styleEos: pad + 4,
  contentStyleBos: pad + 5,
  contentStyleEos: pad + 6,
  /** Offsets of the input ranges in the shared vocabulary. */
  styleOffset: contentStyleVocab,
  contentOffset: styleVocab + contentStyleVocab,
} as const;

export const SING_OUTPUTS: OutputRange = { outputVocab: contentStyleVocab, outputEos: SING_LAYOUT.contentStyleEos };

function checked(ids: readonly number[], size: number, what: string): readonly number[] {
  for (const id of ids) if (!(Number.isInteger(id) && id >= 0 && id < size)) throw new RangeError(`AR ${what} id ${id} is outside 0..${size - 1}`);
  return ids;
}

export function singPrompt(phones: readonly number[], prosody: readonly number[] | undefined, promptOutputs: readonly number[]): number[] {
  const L = SING_LAYOUT;
  const content = [L.contentBos, ...checked(phones, contentVocab, 'phone').map((id) => id + L.contentOffset), L.contentEos];
  const style = prosody ? [L.styleBos, ...checked(prosody, styleVocab, 'prosody').map((id) => id + L.styleOffset), L.styleEos] : [];
  return [...content, ...style, L.contentStyleBos, ...checked(promptOutputs, contentStyleVocab, 'content-style')];
}
