// The acoustic half shared by Vevo and VevoSing: the 24 kHz mel both flow-matching models
// predict and the Vocos vocoder that turns it into audio. Sources (open-mmlab/Amphion d3de90f):
// models/vc/vevo/config/Vocoder.json, models/codec/melvqgan/melspec.py, vevo_utils.py
// `extract_mel_feature` and `save_audio`; summarised in shared/design/models.md §A1, §A2, §A4.
import { vocoderMel } from '../mel-presets/presets.ts';

export const VEVO_ACOUSTIC = {
  sampleRate: 24000,
  /** Mel hop at 24 kHz: 50 frames per second, the rate of every Vevo token stream. */
  hop: 480,
  frameRate: 50,
  melBins: 128,
  /** `extract_mel_feature`: (mel − mean) / sqrt(var); the FM model and the vocoder both use it normalised. */
  melMean: -4.92,
  melVar: 8.14,
  /** FM transformer width; `cond_emb` maps each vq8192 token to a vector this wide. */
  fmHidden: 1024,
  condVocab: 8192,
  /** `reverse_diffusion(cfg=1.0, rescale_cfg=0.75)`, `n_timesteps=32` in the inference scripts. */
  cfg: 1.0,
  rescaleCfg: 0.75,
  flowSteps: 32,
  /** Vocos ISTFT head: n_fft 1920 → 961 bins, "same" padding. */
  vocosNfft: 1920,
  vocosBins: 961,
  /** `save_audio(target_db=-25)`: the output is scaled to this RMS level. */
  targetDb: -25,
} as const;

/** melspec.py `MelSpectrogram` with Vocoder.json: the HiFi-GAN mel convention at 24 kHz, 128 bins, n_fft 1920. */
export const VEVO_MEL = vocoderMel({ sampleRate: 24000, nFft: 1920, hop: 480, nMels: 128, fMax: 12000 });
