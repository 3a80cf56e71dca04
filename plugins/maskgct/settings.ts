// MaskGCT's fixed facts and inference defaults, as data. Sources: Amphion
// models/tts/maskgct/{maskgct_utils.py, maskgct_inference.py, config/maskgct.json}
// (open-mmlab/Amphion, commit d3de90f), summarised in shared/design/models.md §1.

import { W2V_BERT } from '../w2v-bert/front-end.ts';

export const MASKGCT = {
  /** Output and acoustic-codec rate. */
  sampleRate: 24000,
  /** w2v-BERT input rate. */
  semanticSampleRate: 16000,
  /** Semantic and acoustic tokens per second (24000 / 480, 16000 / 320). */
  frameRate: 50,
  /** Acoustic codec hop at 24 kHz (strides 3·4·5·8). */
  hop: 480,

  semanticVocab: 8192,
  acousticVocab: 1024,
  acousticLayers: 12,
  t2sHidden: 1536,
  s2aHidden: 1024,
  w2vBertDim: W2V_BERT.hiddenDim,
  /** SeamlessM4T features: 80 fbank bins × 2 stacked frames. */
  fbankDim: W2V_BERT.featureDim,

  /** Phone vocabulary beside the graphs: Amphion's `g2p/g2p/vocab.json` (363 phones). */
  phoneVocabFile: 'g2p_vocab.json',
  phoneVocabSize: 363,
  /** Languages of Amphion's MaskGCT G2P that the hub's phonemizer speaks (ja needs pyopenjtalk: not yet). */
  languages: ['en', 'zh', 'fr', 'de', 'ko'],
  /** Longest target the route accepts: T2S attends over phones + prompt + target (RoPE trained to 4096). */
  maxTargetSeconds: 40,
  /** Shortest estimated target, so a long reference with a one-word text still speaks. */
  minTargetSeconds: 0.5,
  /** Shortest reference the encoders can use. */
  minReferenceSeconds: 0.5,

  /** Vocos ISTFT head of the acoustic decoder: n_fft 1920, hop 480, "same" padding. */
  vocosNfft: 1920,
  vocosBins: 961,

  t2s: {
    /** `maskgct_inference(n_timesteps=25)`; the model's own default is 50. */
    steps: 25,
    /** `reverse_diffusion(temp=0.9)`: the route's `temperature` replaces it (see route.ts). */
    temperature: 0.9,
    cfg: 2.5,
    rescale: 0.75,
    filterThreshold: 0.98,
  },
  s2a: {
    /** Steps per acoustic layer: layer 0 by the one-layer model, 1..11 by the full model. */
    stepsPerLayer: [25, 10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    temperature: 1.5,
    cfg: 2.5,
    rescale: 0.75,
    filterThreshold: 0.98,
  },
} as const;
