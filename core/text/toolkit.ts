// Text front ends shared by plugins (phonemizer, tokenizers, normalisation).
// The text issue fills this in; plugins reach it as `ctx.text`.
export interface TextToolkit {
  /** Languages the phonemizer supports, as codes clients send. */
  readonly languages: readonly string[];
}

export function makeTextToolkit(): TextToolkit {
  return { languages: [] };
}
