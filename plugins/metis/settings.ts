// Metis' TTS defaults, as data. Source: Amphion models/tts/metis/{metis.py, metis_infer_tts.py,
// config/tts.json} (open-mmlab/Amphion, commit d3de90f); EXPORT.md lists each fact.

export const METIS = {
  /** Phone vocabulary beside the graphs: Amphion's `g2p/g2p/vocab.json` (363 phones), as MaskGCT's. */
  phoneVocabFile: 'g2p_vocab.json',
  /** `Metis.tokenizer` keeps these (langid's guess outside them falls back to en); ja needs pyopenjtalk: not in the hub yet. */
  languages: ['en', 'zh', 'fr', 'de', 'ko'],
  /** Longest target the route accepts: T2S attends over phones + prompt + target (RoPE trained to 4096). */
  maxTargetSeconds: 40,
  /** Shortest estimated target, so a long reference with a one-word text still speaks. */
  minTargetSeconds: 0.5,
  /** Shortest reference the encoders can use. */
  minReferenceSeconds: 0.5,
  /**
   * Speaking rate assumed when no reference gives one: UTF-8 bytes of text per second. Amphion
   * cannot run TTS without a prompt (`text2semantic` reads the prompt's length and text); the hub
   * generates from an empty prompt and estimates the length from this rate (≈ 15 letters/s in
   * English, ≈ 5 characters/s in Chinese at 3 bytes each).
   */
  unpromptedBytesPerSecond: 15,

  t2s: {
    /** `metis_infer_tts.py`: n_timesteps=25, cfg=2.5; `text2semantic`: rescale_cfg=0.75. */
    steps: 25,
    cfg: 2.5,
    rescale: 0.75,
    /** `MetisStage1.reverse_diffusion(temp=0.9)`, annealed to 0 over the steps. */
    temperature: 0.9,
  },
  s2a: {
    /**
     * `Metis.semantic2acoustic`: layer 0 by the one-layer model with n_timesteps=[40] and cfg=0;
     * layers 1..11 by the full model with n_timesteps=[40, 16, 1, …] (its layer-0 entry is unused:
     * `gt_code` supplies layer 0) and cfg=2.5. MaskGCT uses [25, 10, 1, …] with cfg 2.5 throughout.
     */
    stepsPerLayer: [40, 16, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    firstLayerCfg: 0,
    cfg: 2.5,
    rescale: 0.75,
    temperature: 1.5,
  },
} as const;
