// Graph contracts of the SVC family. Every variant has its own condition encoder (the
// embeddings and projections of modules/encoder/condition_encoder.py are trained with it);
// they differ in what follows. Prosody enters as ids (prosody.ts), content as features already
// on the mel frames (align.ts), the singer as its look-up id.
import type { GraphContract, TensorContract } from '../../core/plugin/types.ts';
import { nsfGenerator } from '../nsf-hifigan/contract.ts';
import { whisperEncoderGraph, WHISPER_ENCODERS } from '../whisper-encoder/index.ts';
import { SVC } from './settings.ts';
import type { SvcVariant } from './variants.ts';

const frames = 'frames';

/** The condition encoder's inputs, for a variant's content features. */
export function conditionInputs(variant: SvcVariant): TensorContract[] {
  return [
    { name: 'pitch', type: 'int64', dims: [1, frames], description: 'f0_to_coarse ids 1..255 (50–1100 Hz, mel scale)' },
    { name: 'uv', type: 'int64', dims: [1, frames], description: '1 unvoiced, 0 voiced' },
    { name: 'loudness', type: 'int64', dims: [1, frames], description: 'energy bucket ids 0..255' },
    ...(variant.content.whisper ? [{ name: 'whisper', type: 'float32', dims: [1, frames, SVC.whisperDim], description: 'Whisper-medium encoder features on the mel frames' } as const] : []),
    ...(variant.content.contentvec ? [{ name: 'contentvec', type: 'float32', dims: [1, frames, SVC.contentvecDim], description: 'ContentVec features on the mel frames' } as const] : []),
    { name: 'singer', type: 'int64', dims: [1], description: 'the singer’s id in the look-up table' },
  ];
}

const contentvec = {
  file: 'contentvec.onnx',
  device: 'gpu',
  memoryMb: 400,
  description: 'ContentVec (HuBERT-base, checkpoint_best_legacy_500): transformer layer 12 → final_proj, 256 per 20 ms',
  inputs: [{ name: 'waveform', type: 'float32', dims: [1, 'samples'], description: '16 kHz mono, raw (fairseq HuBERT-base does not normalise), cut to 320·frames + 80 samples' }],
  outputs: [{ name: 'features', type: 'float32', dims: [1, 'samples/320', SVC.contentvecDim], description: 'one frame per 400-sample window every 320 samples' }],
} as const satisfies GraphContract;

function denoiser(conditionDim: number, description: string): GraphContract {
  return {
    file: 'denoiser.onnx',
    device: 'gpu',
    memoryMb: 200,
    description,
    inputs: [
      { name: 'x', type: 'float32', dims: [1, frames, SVC.nMels], description: 'noisy normalised mel' },
      { name: 'step', type: 'float32', dims: [1], description: 'the step embedding’s input (diffusion timestep, or ln(σ)/4 for the consistency model)' },
      { name: 'condition', type: 'float32', dims: [1, frames, conditionDim] },
    ],
    outputs: [{ name: 'output', type: 'float32', dims: [1, frames, SVC.nMels], description: 'DiffusionWrapper output (ε, or F_θ before EDM scaling)' }],
  };
}

export function graphsFor(variant: SvcVariant): Record<string, GraphContract> {
  const content: Record<string, GraphContract> = {
    ...(variant.content.whisper ? { whisper_encoder: whisperEncoderGraph(WHISPER_ENCODERS.medium) } : {}),
    ...(variant.content.contentvec ? { contentvec } : {}),
  };
  const inputs = conditionInputs(variant);
  switch (variant.decoder) {
    case 'diffusion':
      return {
        ...content,
        condition: {
          file: 'condition_encoder.onnx',
          memoryMb: 30,
          description: 'ConditionEncoder (merge_mode add): content, melody, loudness and singer streams summed',
          inputs,
          outputs: [{ name: 'condition', type: 'float32', dims: [1, frames, SVC.conditionDim] }],
        },
        denoiser: denoiser(SVC.conditionDim, 'DiffWaveNetSVC: DiffusionWrapper (step encoder + BiDilConv, 512 ch, 40 residual blocks), ε-prediction'),
      };
    case 'consistency':
      return {
        ...content,
        condition: {
          file: 'condition_encoder.onnx',
          memoryMb: 40,
          description: 'ConditionEncoder then the ComoSVC conformer prior (6 layers, relative attention): the mel estimate μ the decoder starts from',
          inputs,
          outputs: [{ name: 'condition', type: 'float32', dims: [1, frames, SVC.nMels], description: 'μ, normalised mel' }],
        },
        denoiser: denoiser(SVC.nMels, 'ComoSVC consistency model (EMA denoiser): DiffusionWrapper with BiDilConv 384 ch, 20 blocks, conditioned on μ'),
      };
    case 'direct':
      return {
        ...content,
        acoustic: {
          file: 'acoustic.onnx',
          memoryMb: 40,
          description: 'ConditionEncoder then the conformer acoustic mapper: the normalised mel',
          inputs,
          outputs: [{ name: 'mel', type: 'float32', dims: [1, frames, SVC.nMels] }],
        },
      };
    case 'vits':
      return {
        ...content,
        prior: {
          file: 'prior.onnx',
          memoryMb: 80,
          description: 'ConditionEncoder → VITS prior encoder (z = m + ε·exp(logs)·0.35) → reverse flow conditioned on emb_g(singer)',
          inputs: [...inputs, { name: 'noise', type: 'float32', dims: [1, SVC.vitsChannels, frames], description: 'ε ~ N(0, 1)' }],
          outputs: [{ name: 'latent', type: 'float32', dims: [1, SVC.vitsChannels, frames] }],
        },
        decoder: nsfGenerator({ channels: SVC.vitsChannels, hop: SVC.hop, harmonics: SVC.vitsHarmonics, file: 'decoder.onnx', memoryMb: 120, description: 'VitsSVC’s NSF-HiFiGAN decoder (768 initial channels, upsample 8·8·2·2)' }),
      };
  }
}
