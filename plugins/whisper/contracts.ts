// Whisper's two graphs in the layout of sherpa-onnx's export (k2-fsa/sherpa-onnx
// scripts/whisper/export-onnx.py), for which converted files are published per model size:
//   encoder: log-mel → the cross-attention keys and values of every decoder layer, computed once;
//   decoder: tokens + a fixed 448-position self-attention cache + those keys/values + the
//            position offset → logits and the updated cache.
import type { GraphContract } from '../../core/plugin/types.ts';
import { N_AUDIO_CTX, N_FRAMES, N_TEXT_CTX, type WhisperPreset } from './presets.ts';

export function whisperGraphs(preset: WhisperPreset) {
  const { layers, state, nMels, vocab } = preset;
  const crossKv = (name: string) =>
    ({ name, type: 'float32', dims: [layers, 'batch', N_AUDIO_CTX, state], description: 'per-layer cross-attention projections of the audio' }) as const;
  const selfCache = (name: string) =>
    ({ name, type: 'float32', dims: [layers, 'batch', N_TEXT_CTX, state], description: 'per-layer self-attention cache, positions [0, offset) filled' }) as const;
  const encoder = {
    file: 'encoder.onnx',
    description: `Whisper ${preset.name} audio encoder with the decoder's cross-attention key/value projections folded in.`,
    inputs: [{ name: 'mel', type: 'float32', dims: ['batch', nMels, N_FRAMES], description: 'Whisper log-mel of one 30 s window' }],
    outputs: [crossKv('n_layer_cross_k'), crossKv('n_layer_cross_v')],
    memoryMb: preset.memoryMb.encoder,
  } as const satisfies GraphContract;
  const decoder = {
    file: 'decoder.onnx',
    description: `Whisper ${preset.name} text decoder, one call per step with its self-attention cache.`,
    inputs: [
      { name: 'tokens', type: 'int64', dims: ['batch', 'tokens'], description: 'tokens fed at positions offset … offset+tokens-1' },
      selfCache('in_n_layer_self_k_cache'),
      selfCache('in_n_layer_self_v_cache'),
      crossKv('n_layer_cross_k'),
      crossKv('n_layer_cross_v'),
      { name: 'offset', type: 'int64', dims: [1], description: 'position of the first fed token' },
    ],
    outputs: [
      { name: 'logits', type: 'float32', dims: ['batch', 'tokens', vocab], description: 'next-token logits after each fed token' },
      selfCache('out_n_layer_self_k_cache'),
      selfCache('out_n_layer_self_v_cache'),
    ],
    memoryMb: preset.memoryMb.decoder,
  } as const satisfies GraphContract;
  return { encoder, decoder };
}
