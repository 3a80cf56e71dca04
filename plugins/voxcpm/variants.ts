// The three VoxCPM generations as data. They share one pipeline and one set of graphs; what
// differs is sizes and rates (and, inside the exported graphs, how the residual LM input and
// the DiT condition are fused — the TypeScript loop never sees that). Sources: OpenBMB/VoxCPM
// README table, src/voxcpm/model/{voxcpm,voxcpm2}.py, modules/audiovae/*; shared/design/models.md §10.

export interface VoxcpmVariant {
  readonly id: string;
  readonly title: string;
  /** Hugging Face repository of the released checkpoint. */
  readonly checkpoint: string;
  /** Latent frames per LM step (one patch = one step). */
  readonly patchSize: number;
  /** AudioVAE latent channels (64 in every release). */
  readonly latentDim: number;
  /** Base LM (MiniCPM-4): width, layers, KV heads and head size (the cache's shape). */
  readonly lm: { readonly hidden: number; readonly layers: number; readonly kvHeads: number; readonly headDim: number };
  readonly residualLayers: number;
  /** Width of the DiT condition `mu`: h_dit (sum of projections) or 2·h_dit (VoxCPM2 concatenates). */
  readonly muDim: number;
  /** AudioVAE: input rate and hop (25 Hz latents), output rate and hop. */
  readonly encoder: { readonly sampleRate: number; readonly hop: number };
  readonly decoder: { readonly sampleRate: number; readonly hop: number };
  /** Rough resident size of each graph family once loaded, MiB (float32). */
  readonly memoryMb: { readonly lm: number; readonly residual: number; readonly local: number; readonly vae: number };
}

export const VARIANTS = {
  '0.5B': {
    id: '0.5B',
    title: 'VoxCPM-0.5B',
    checkpoint: 'openbmb/VoxCPM-0.5B',
    patchSize: 2,
    latentDim: 64,
    lm: { hidden: 1024, layers: 24, kvHeads: 2, headDim: 64 },
    residualLayers: 6,
    muDim: 1024,
    encoder: { sampleRate: 16000, hop: 640 },
    decoder: { sampleRate: 16000, hop: 640 },
    memoryMb: { lm: 1900, residual: 450, local: 260, vae: 300 },
  },
  '1.5': {
    id: '1.5',
    title: 'VoxCPM1.5',
    checkpoint: 'openbmb/VoxCPM1.5',
    patchSize: 4,
    latentDim: 64,
    lm: { hidden: 1024, layers: 24, kvHeads: 2, headDim: 64 },
    residualLayers: 8,
    muDim: 1024,
    // 44.1 kHz in and out; the encoder rates are not published, the hop follows from 25 Hz latents.
    encoder: { sampleRate: 44100, hop: 1764 },
    decoder: { sampleRate: 44100, hop: 1764 },
    memoryMb: { lm: 1900, residual: 600, local: 520, vae: 400 },
  },
  '2': {
    id: '2',
    title: 'VoxCPM2',
    checkpoint: 'openbmb/VoxCPM2',
    patchSize: 4,
    latentDim: 64,
    lm: { hidden: 2048, layers: 28, kvHeads: 2, headDim: 128 },
    residualLayers: 8,
    muDim: 2048,
    // 16 kHz in (hop 640), 48 kHz out (decoder rates 8·6·5·2·2·2 = 1920).
    encoder: { sampleRate: 16000, hop: 640 },
    decoder: { sampleRate: 48000, hop: 1920 },
    memoryMb: { lm: 6400, residual: 1800, local: 780, vae: 380 },
  },
} as const satisfies Readonly<Record<string, VoxcpmVariant>>;

/** Inference constants every generation shares (voxcpm.py `_generate`, unified_cfm.py, core.py). */
export const VOXCPM = {
  /** Text id that opens the audio part of the sequence. */
  audioStartToken: 101,
  /** Patches before the stop head may end generation (`min_len`). */
  minPatches: 2,
  /** `max_length` of the model's static caches: prompt + generated positions. */
  maxPositions: 4096,
  /** core.py's badcase cap: at most 6 patches per target text token, plus 10. */
  patchesPerToken: 6,
  cfgValue: 2.0,
  cfgRange: [0.5, 5.0] as const,
  inferenceTimesteps: 10,
  /** Sway-sampling coefficient of the CFM time grid. */
  swayCoefficient: 1.0,
  /** Stop-head class meaning "stop". */
  stopClass: 1,
} as const;
