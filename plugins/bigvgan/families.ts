// The BigVGAN checkpoints NVIDIA publishes (HF `nvidia/bigvgan_*`, `configs/*.json` of
// NVIDIA/BigVGAN), each with its mel. Families with the same mel differ by architecture
// keys of their config.json; v2 configs set use_tanh_at_final false, v1 configs omit it.
// The 512x 44 kHz checkpoint makes 512 samples per frame, so its graph has a contract of
// its own: the `bigvgan-512x` plugin (./512x/) serves it.
import { MEL_PRESETS } from '../mel-presets/presets.ts';
import type { VocoderFamily } from '../mel-vocoder/family.ts';

const v2 = { upsample_initial_channel: 1536, use_tanh_at_final: false } as const;

export const BIGVGAN_FAMILIES: readonly VocoderFamily[] = [
  { id: 'bigvgan_v2_24khz_100band_256x', title: 'BigVGAN-v2 24 kHz, 100 bands, 256x (112 M)', mel: MEL_PRESETS['vocoder-24k-100'], architecture: v2 },
  { id: 'bigvgan_v2_22khz_80band_256x', title: 'BigVGAN-v2 22 kHz, 80 bands, 256x (112 M)', mel: MEL_PRESETS['vocoder-22k-80'], architecture: v2 },
  { id: 'bigvgan_v2_22khz_80band_fmax8k_256x', title: 'BigVGAN-v2 22 kHz, 80 bands, fmax 8 kHz, 256x (112 M)', mel: MEL_PRESETS['vocoder-22k-80-fmax8k'], architecture: v2 },
  { id: 'bigvgan_v2_44khz_128band_256x', title: 'BigVGAN-v2 44 kHz, 128 bands, 256x (113 M)', mel: MEL_PRESETS['vocoder-44k-128-256x'], architecture: v2 },
  { id: 'bigvgan_base_24khz_100band', title: 'BigVGAN base 24 kHz, 100 bands (14 M)', mel: MEL_PRESETS['vocoder-24k-100'], architecture: { upsample_initial_channel: 512 } },
  { id: 'bigvgan_base_22khz_80band', title: 'BigVGAN base 22 kHz, 80 bands (14 M)', mel: MEL_PRESETS['vocoder-22k-80-fmax8k'], architecture: { upsample_initial_channel: 512 } },
  { id: 'bigvgan_24khz_100band', title: 'BigVGAN (v1) 24 kHz, 100 bands (112 M)', mel: MEL_PRESETS['vocoder-24k-100'], architecture: { upsample_initial_channel: 1536 } },
  { id: 'bigvgan_22khz_80band', title: 'BigVGAN (v1) 22 kHz, 80 bands (112 M)', mel: MEL_PRESETS['vocoder-22k-80-fmax8k'], architecture: { upsample_initial_channel: 1536 } },
];

/** The family smoke graphs run as, and the plugin's declared rate: the checkpoint most used (24 kHz v2). */
export const DEFAULT_BIGVGAN_FAMILY = BIGVGAN_FAMILIES[0]!;

export const BIGVGAN_512X_FAMILIES: readonly VocoderFamily[] = [
  { id: 'bigvgan_v2_44khz_128band_512x', title: 'BigVGAN-v2 44 kHz, 128 bands, 512x (122 M)', mel: MEL_PRESETS['vocoder-44k-128-512x'], architecture: v2 },
];
