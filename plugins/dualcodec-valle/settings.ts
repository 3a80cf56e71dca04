// DualCodec-VALL-E's fixed facts and inference defaults, as data. Sources: Amphion
// models/codec/dualcodec/dualcodec/{conf_tts/model/valle_ar/llama_250M.yaml,
// conf_tts/model/valle_nar/valle_nar.yaml, model_tts/valle_ar/llama_wrapper.py,
// model_tts/valle_nar/valle_nar_model.py, infer/valle/utils_valle_infer.py} (open-mmlab/Amphion
// commit d3de90f); EXPORT.md lists each fact.

export const VALLE = {
  /** The codec it was trained on: DualCodec 12hz_v1 with 8 quantizers (plugin `dualcodec`). */
  codecPlugin: 'dualcodec',
  quantizers: 8,
  sampleRate: 24000,
  /** Whisper's multilingual tokenizer (`whisper.tokenizer.get_tokenizer(multilingual=True, num_languages=100)`). */
  tokenizerFile: 'tokenizer.json',
  languages: ['en', 'zh', 'ja', 'ko', 'fr', 'de'],
  /** `infer_batch_process`: a quiet reference is scaled up to this RMS. */
  referenceRms: 0.1,
  /** ValleNAR.sample_hf asserts at least 5 prompt frames (0.4 s at 12.5 Hz). */
  minPromptFrames: 5,
  minReferenceSeconds: 0.5,

  ar: {
    /** LlamaForCausalLM: vocab 68260 = 51866 text + 16384 speech + 10 specials. */
    vocab: 68260,
    layers: 12,
    heads: 16,
    headDim: 64,
    hidden: 1024,
    speechVocab: 16384,
    /** Speech ids sit at 10..16393 (`initial_offset`), text ids after them (+ 16384 + 10). */
    initialOffset: 10,
    sep: 3,
    eos: 2,
    /** HF `generate(max_length=1000)`: prompt included. */
    maxLength: 1000,
    /** `infer_process` defaults. */
    temperature: 1.0,
    topK: 15,
    topP: 0.85,
    repetitionPenalty: 1.1,
  },
  nar: {
    /** Layers 1..7 predicted, one greedy pass each (`sample_hf`: argmax over logits[..., :4096]). */
    firstLayer: 1,
    lastLayer: 7,
    hidden: 1024,
    acousticVocab: 4096,
    semanticVocab: 16384,
  },
} as const;
