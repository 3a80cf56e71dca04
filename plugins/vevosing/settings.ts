// VevoSing's (Vevo1.5's) fixed facts and inference defaults, as data. Sources (open-mmlab/Amphion
// d3de90f): models/svc/vevosing/{vevosing_utils.py, infer_vevosing_*.py, config/*.json},
// models/svc/autoregressive_transformer/ar_model.py, models/codec/coco/rep_coco_model.py,
// evaluation/metrics/f0/f0_corr.py; summarised in shared/design/models.md §3 and §A8.
import { VEVO_ACOUSTIC } from '../vevo-common/settings.ts';

const ar = {
  /** Phone ids (Amphion G2P, 1024 rows), prosody ids (512), content-style ids (16384), + 20 specials. */
  contentVocab: 1024,
  styleVocab: 512,
  contentStyleVocab: 16384,
  specials: 20,
  hidden: 1920,
  layers: 12,
  heads: 16,
  headDim: 120,
  /** ar_model.py `generate` defaults. */
  temperature: 0.8,
  topK: 50,
  topP: 0.9,
  minNewTokens: 50,
  /** HF max_length: counts the prompt. */
  maxLength: 2000,
} as const;

export const VEVOSING = {
  sampleRate: VEVO_ACOUSTIC.sampleRate,
  /** Whisper-medium encoder width. */
  whisperDim: 1024,
  /** `use_normed_whisper`: (feats − mean) / std with config/whisper_stats.pt, converted. */
  whisperStatsFile: 'whisper_stats.json',
  /** get_chromagram: librosa chroma_stft(sr=24000, n_fft=1920, hop_length=480, win_length=1920, n_chroma=24). */
  chroma: { nFft: 1920, hop: VEVO_ACOUSTIC.hop, winLength: 1920, nChroma: 24 },
  /** Coco content-style tokens: 50 Hz features downsampled ×4 → 12.5 Hz, 16384 codes. */
  contentStyleVocab: ar.contentStyleVocab,
  contentStyleDownsample: 4,
  /** Coco prosody ("style") tokens: chroma downsampled ×8 → 6.25 Hz, 512 codes. */
  prosodyVocab: ar.styleVocab,
  prosodyDownsample: 8,
  /** f0_corr.py extract_f0_hz as infer_vevosing_fm.py uses it: 16 kHz, hop 256, 50–1100 Hz (config f0_fmin/f0_fmax). */
  f0: { sampleRate: 16000, hop: 256, fmin: 50, fmax: 1100 },
  /** Amphion G2P vocabulary (`g2p/g2p/vocab.json`) for the lyrics. */
  phoneVocabFile: 'g2p_vocab.json',
  ar,
  flowSteps: VEVO_ACOUSTIC.flowSteps,
  /**
   * Longest uploads. FM attends over reference + content mels (RoPE, 4096 positions = 81.9 s at
   * 50 Hz): 60 + 20 s stays inside. Whisper reads 30 s windows; longer content is encoded
   * window by window (Amphion drops everything after 30 s).
   */
  maxContentSeconds: 60,
  maxReferenceSeconds: 20,
  languages: ['en', 'zh', 'fr', 'de', 'ko'],
} as const;

/** The Llama's logits rows: 1024 + 512 + 16384 + 20 = 17940. */
export const AR_VOCAB = ar.contentVocab + ar.styleVocab + ar.contentStyleVocab + ar.specials;
