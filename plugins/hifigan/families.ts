// The HiFi-GAN checkpoints people download (jik876/hifi-gan README): every one shares the
// 22.05 kHz, 80-bin mel of `meldataset.py`; they differ only in generator size, which the
// ONNX file carries. The family is still told apart for the response's X-Vocoder-Family.
import { MEL_PRESETS } from '../mel-presets/presets.ts';
import type { VocoderFamily } from '../mel-vocoder/family.ts';

const mel = MEL_PRESETS['vocoder-22k-80-fmax8k'];

export const HIFIGAN_FAMILIES: readonly VocoderFamily[] = [
  // Universal V1 (trained on VCTK + LibriTTS) and the LJ/VCTK V1 checkpoints.
  { id: 'v1', title: 'HiFi-GAN V1 (UNIVERSAL_V1, LJ_V1, VCTK_V1; 13.9 M)', mel, architecture: { resblock: '1', upsample_initial_channel: 512 } },
  { id: 'v2', title: 'HiFi-GAN V2 (LJ_V2, VCTK_V2; 0.9 M)', mel, architecture: { resblock: '1', upsample_initial_channel: 128 } },
  { id: 'v3', title: 'HiFi-GAN V3 (LJ_V3, VCTK_V3; 1.5 M)', mel, architecture: { resblock: '2', upsample_initial_channel: 256 } },
];

export const DEFAULT_HIFIGAN_FAMILY = HIFIGAN_FAMILIES[0]!;
