// What Amphion's SVC recipes fix and every variant shares (config/svc/base.json, the egs/svc/*
// exp_config.json files, processors/content_extractor.py). EXPORT.md says where each comes from.
export const SVC = {
  /** preprocess.sample_rate, hop_size, n_mel (n_fft 1024, win 1024, fmin 0, fmax 12000). */
  sampleRate: 24000,
  hop: 256,
  nMels: 100,
  /** f0_min, f0_max, pitch_bin: the melody encoder's coarse mel-scale pitch ids 1..255. */
  f0Min: 50,
  f0Max: 1100,
  pitchBins: 256,
  /** The loudness encoder's 256 buckets over exp(linspace(ln 1e-30, ln 1.5, 255)). */
  loudnessBins: 256,
  loudnessMin: 1e-30,
  loudnessMax: 1.5,
  /** Content features are extracted at 16 kHz, one frame per 20 ms (whisper 10 ms × 2, contentvec 20 ms). */
  contentRate: 16000,
  contentFrameSeconds: 0.02,
  whisperDim: 1024,
  contentvecDim: 256,
  /** condition_encoder content_encoder_dim / output dims: every stream is projected to 384 and summed. */
  conditionDim: 384,
  /** VitsSVC inter_channels: the latent frames its NSF-HiFiGAN decoder reads. */
  vitsChannels: 384,
  /** generator_config.nsfhifigan.harmonic_num of VitsSVC. */
  vitsHarmonics: 8,
  /** VITS prior noise_scale of SynthesizerTrn.infer. */
  vitsNoiseScale: 0.35,
  /** singer_table_size / n_speakers: ids the look-up tables hold. */
  singerTable: 512,
} as const;
