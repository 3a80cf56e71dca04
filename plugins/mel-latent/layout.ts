// The mel "image" AudioLDM-family models diffuse in, as one set of facts (haoheliu/AudioLDM
// audioldm/utils.py default_audioldm_config; diffusers pipeline_audioldm.py): 16 kHz audio,
// hop 160 (100 mel frames/s), 64 mel bins; the VAE halves both image axes twice, so a latent
// is [8, frames/4, 16]. PicoAudio trains on the same VAE and vocoder, so it shares these.
export const MEL_LATENT = {
  sampleRate: 16000,
  hop: 160,
  melBins: 64,
  latentChannels: 8,
  /** 2 ** (len(vae.block_out_channels) − 1) */
  vaeScale: 4,
  get latentBins(): number {
    return this.melBins / this.vaeScale;
  },
} as const;

export interface LatentShape {
  /** Mel frames the VAE decodes to (a multiple of vaeScale). */
  readonly melFrames: number;
  /** [1, channels, melFrames/4, 16] */
  readonly dims: readonly [number, number, number, number];
  /** Samples kept after the vocoder: int(seconds · rate). */
  readonly samples: number;
}

/** diffusers: `height = int(s / 0.01)`, rounded up to a multiple of the VAE scale; crop to `int(s · 16000)`. */
export function latentShapeFor(seconds: number): LatentShape {
  const secondsPerFrame = MEL_LATENT.hop / MEL_LATENT.sampleRate;
  const height = Math.trunc(seconds / secondsPerFrame);
  const melFrames = Math.ceil(height / MEL_LATENT.vaeScale) * MEL_LATENT.vaeScale;
  return {
    melFrames,
    dims: [1, MEL_LATENT.latentChannels, melFrames / MEL_LATENT.vaeScale, MEL_LATENT.latentBins],
    samples: Math.trunc(seconds * MEL_LATENT.sampleRate),
  };
}
