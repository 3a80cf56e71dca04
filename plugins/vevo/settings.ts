// Vevo's fixed facts and inference defaults, as data. Sources (open-mmlab/Amphion d3de90f):
// models/vc/vevo/{vevo_utils.py, infer_vevo*.py, config/*.json}, models/vc/autoregressive_transformer/
// ar_model.py; summarised in shared/design/models.md §2 and §A7.
import { VEVO_ACOUSTIC } from '../vevo-common/settings.ts';

export const VEVO = {
  sampleRate: VEVO_ACOUSTIC.sampleRate,
  /** HuBERT input rate: `torchaudio.functional.resample(24000 → 16000)`. */
  hubertSampleRate: 16000,
  /** HuBERT-Large, output of layer 18 (of 24). */
  hubertDim: 1024,
  /** vq32 content tokens (Voice/Style AR input) and vq8192 content-style tokens. */
  contentVocab: 32,
  contentStyleVocab: 8192,
  /** Normalisation of HuBERT features for vq8192 (`hubert_large_l18_mean_std.npz`, converted). */
  hubertStatsFile: 'hubert_l18_stats.json',
  /** Amphion G2P vocabulary (`g2p/g2p/vocab.json`) for the TTS text path. */
  phoneVocabFile: 'g2p_vocab.json',

  /** The two Llama ARs: shared vocab = input vocab + 8192 outputs + 20 specials. */
  ar: {
    tts: { inputVocab: 1024, hidden: 1920, layers: 12, heads: 16, headDim: 120 },
    // train_both_vc_and_tts: the 32 content codes sit after the 1024 phone ids
    vc: { inputVocab: 1056, hidden: 1536, layers: 12, heads: 16, headDim: 96, inputOffset: 1024 },
    outputVocab: 8192,
    specials: 20,
    /** ar_model.py `generate` defaults. */
    temperature: 0.8,
    topK: 50,
    topP: 0.9,
    minNewTokens: 50,
    /** HF max_length: counts the prompt. */
    maxLength: 2000,
  },

  flowSteps: VEVO_ACOUSTIC.flowSteps,
  /** Longest upload each route reads: the ARs attend over both clips (RoPE, 2000 positions), FM over both mels. */
  maxSourceSeconds: 30,
  maxReferenceSeconds: 20,
  languages: ['en', 'zh', 'fr', 'de', 'ko'],
} as const;

export type ArName = 'tts' | 'vc';

/** Vocabulary size of an AR's logits. */
export const arVocab = (name: ArName) => VEVO.ar[name].inputVocab + VEVO.ar.outputVocab + VEVO.ar.specials;
