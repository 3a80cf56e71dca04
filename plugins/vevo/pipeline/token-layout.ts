// The AR prompt in the Llama's shared vocabulary (ar_model.py `padding_for_input`,
// `padding_for_output`, `generate`): input ids are shifted past the 8192 output ids, and the
// special ids follow both ranges.
//   pad = input_vocab + output_vocab; in_bos = pad+1, in_eos = pad+2, out_bos = pad+3, out_eos = pad+4
//   prompt = [in_bos, inputs + output_vocab…, in_eos, out_bos, prompt_outputs…]   (no out_eos)
export interface ArLayout {
  readonly inputVocab: number;
  readonly outputVocab: number;
  readonly pad: number;
  readonly inputBos: number;
  readonly inputEos: number;
  readonly outputBos: number;
  readonly outputEos: number;
}

export function arLayout(inputVocab: number, outputVocab: number): ArLayout {
  const pad = inputVocab + outputVocab;
  return { inputVocab, outputVocab, pad, inputBos: pad + 1, inputEos: pad + 2, outputBos: pad + 3, outputEos: pad + 4 };
}

export function arPrompt(layout: ArLayout, inputs: readonly number[], promptOutputs: ArrayLike<number>): number[] {
  for (const id of inputs) if (id < 0 || id >= layout.inputVocab) throw new RangeError(`AR input id ${id} is outside 0..${layout.inputVocab - 1}`);
  return [layout.inputBos, ...inputs.map((id) => id + layout.outputVocab), layout.inputEos, layout.outputBos, ...Array.from(promptOutputs)];
}

export { outputOnly } from '../../vevo-common/output-range.ts';
