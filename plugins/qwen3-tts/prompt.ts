// The talker's prompt as data (modeling_qwen3_tts.py Qwen3TTSForConditionalGeneration.generate
// and generate_icl_prompt, batch of one): every prefill position is a sum of embeddings, named
// here by what is summed, so the loop module can look them up with a few graph calls and the
// oracle test can restate the same sums. Then the text that trails, one id per frame.
//
//   [instruct ids]                               text only ("<|im_start|>user\n…<|im_end|>\n")
//   [role: ids 0..2]                             text only ("<|im_start|>assistant\n")
//   [tts_pad × (m−2), tts_bos] + codec[0..m−2]   codec = think/nothink, think_bos, [language], think_eos, [speaker], pad, bos
//   then one of
//     ICL clone:         (ref text ⧺ text) ⧺ tts_eos  with  [bos, Σ ref frames]  (in the prefill, or text trailing)
//     text in prefill:   (text + pad)…, (tts_eos + pad), (tts_pad + bos);     trailing: none
//     text trailing:     (text[0] + bos);                                     trailing: text[1..] ⧺ tts_eos
import { QWEN3 } from './variants.ts';
import type { PromptIds } from './text.ts';

/** One prefill position: the sum of whichever of these are present. */
export interface PrefillRow {
  /** A text id, through text_embed (text_projection ∘ text_embedding). */
  readonly text?: number;
  /** A talker codec id, through codec_embed. */
  readonly codec?: number;
  /** The reference x-vector (the speaker encoder's output). */
  readonly speaker?: true;
  /** Σ of the 16 group embeddings of this reference frame. */
  readonly frame?: number;
}

export interface TalkerPrompt {
  readonly rows: readonly PrefillRow[];
  /** Text ids added to the next input, one per generated frame; tts_pad once they run out. */
  readonly trailing: readonly number[];
}

export interface PromptOptions {
  readonly ids: PromptIds;
  /** talker codec id of the language, or undefined for 'auto'. */
  readonly languageId?: number;
  /** A built-in speaker's codec id. */
  readonly speakerId?: number;
  /** A reference x-vector takes the speaker slot. */
  readonly xVector?: boolean;
  /** ICL: the number of reference frames whose codes follow the reference text. */
  readonly referenceFrames?: number;
  /** The reference's `non_streaming_mode`: all text in the prefill. */
  readonly textInPrefill: boolean;
}

const { text: T, codec: C } = QWEN3;

export function talkerPrompt(o: PromptOptions): TalkerPrompt {
  const target = o.ids.target;
  if (target.length < 9) throw new Error(`a target prompt has at least 9 ids (role, one text id, end); got ${target.length}`);
  const rows: PrefillRow[] = [];
  // 1. instruct, text only
  for (const id of o.ids.instruct ?? []) rows.push({ text: id });
  // 2. the role "<|im_start|>assistant\n"
  for (const id of target.slice(0, 3)) rows.push({ text: id });
  // 3. codec prefix (think tags, language, speaker, pad) under tts_pad … tts_bos; codec_bos is held back
  const codec: PrefillRow[] = [
    ...(o.languageId === undefined ? [C.nothink, C.thinkBos, C.thinkEos] : [C.think, C.thinkBos, o.languageId, C.thinkEos]).map((id) => ({ codec: id })),
    ...(o.speakerId !== undefined ? [{ codec: o.speakerId }] : o.xVector ? [{ speaker: true as const }] : []),
    { codec: C.pad },
  ];
  codec.forEach((row, i) => rows.push({ text: i < codec.length - 1 ? T.ttsPad : T.ttsBos, ...row }));

  const text = target.slice(3, -5);
  // 4a. ICL clone: reference text then target text, against codec_bos and the reference frames
  if (o.ids.reference && o.referenceFrames !== undefined) {
    const texts = [...o.ids.reference.slice(3, -2), ...text, T.ttsEos];
    const codes: PrefillRow[] = [{ codec: C.bos }, ...Array.from({ length: o.referenceFrames }, (_, frame) => ({ frame }))];
    if (o.textInPrefill) {
      for (const id of texts) rows.push({ text: id, codec: C.pad });
      for (const row of codes) rows.push({ ...row, text: T.ttsPad });
      return { rows, trailing: [] };
    }
    codes.forEach((row, i) => rows.push({ ...row, text: texts[i] ?? T.ttsPad }));
    return { rows, trailing: texts.slice(codes.length) };
  }
  // 4b. all text in the prefill
  if (o.textInPrefill) {
    for (const id of text) rows.push({ text: id, codec: C.pad });
    rows.push({ text: T.ttsEos, codec: C.pad }, { text: T.ttsPad, codec: C.bos });
    return { rows, trailing: [] };
  }
  // 4c. the first text id with codec_bos; the rest trails
  rows.push({ text: target[3]!, codec: C.bos });
  return { rows, trailing: [...target.slice(4, -5), T.ttsEos] };
}
